"""The embedders: the default MiniLM on onnxruntime, the registry and the optional ST one."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from ragkit.engine.search import embed as embed_module
from ragkit.engine.search.embed import (
    Embedder,
    EmbedderError,
    SentenceTransformersEmbedder,
    get_embedder,
    register_embedder,
)
from ragkit.engine.search.embed_minilm import (
    MAX_WORDPIECES,
    MiniLMEmbedder,
    ModelIntegrityError,
    split_windows,
    verify_model,
)


@pytest.fixture(scope="module")
def minilm() -> Embedder:
    return get_embedder("minilm")


def test_shape_dtype_norm(minilm: Embedder) -> None:
    texts = ["How do I rotate an API key?", "", "   ", "Ünïcödé — 日本語 🙂", "x" * 3000]
    vectors = minilm.embed_documents(texts)
    assert vectors.shape == (5, 384) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    query = minilm.embed_query("rotate a key")
    assert query.shape == (384,) and query.dtype == np.float32
    assert minilm.embed_documents([]).shape == (0, 384)
    assert minilm.dimension == 384 and minilm.name


def test_deterministic_and_batch_independent(minilm: Embedder) -> None:
    texts = [f"sentence number {i} about {'cats ' * i}" for i in range(12)]
    batched = minilm.embed_documents(texts)
    again = minilm.embed_documents(texts)
    np.testing.assert_array_equal(batched, again)
    alone = np.stack([minilm.embed_query(t) for t in texts])
    # Padding inside a batch must not change a text's vector beyond float noise.
    np.testing.assert_allclose(batched, alone, atol=1e-4)


def test_similarity_sanity(minilm: Embedder) -> None:
    a, para, other = minilm.embed_documents(
        [
            "How do I rotate an API key?",
            "What are the steps to replace an API key with a new one?",
            "The recipe needs two cups of flour and an egg.",
        ]
    )
    assert float(a @ para) > float(a @ other) + 0.3


def test_long_text_is_embedded_past_the_window(minilm: Embedder) -> None:
    head = "Photosynthesis converts light energy into chemical energy in plants. " * 30
    tail = "The stock market fell sharply after the central bank raised interest rates. " * 30
    assert isinstance(minilm, MiniLMEmbedder)
    full = minilm.embed_documents([head + tail])
    first_only = MiniLMEmbedder(combine="first").embed_documents([head + tail])
    prefix = minilm.embed_documents([head])
    tail_vector = minilm.embed_query(tail)
    # Truncation would make the text indistinguishable from its head...
    assert float(first_only[0] @ prefix[0]) > 0.99
    # ...windows keep the tail in the vector.
    assert float(full[0] @ prefix[0]) < 0.95
    assert float(full[0] @ tail_vector) > float(prefix[0] @ tail_vector) + 0.1


def test_window_vectors_cover_every_wordpiece(minilm: Embedder) -> None:
    assert isinstance(minilm, MiniLMEmbedder)
    pooled, counts, owners = minilm.window_vectors(["short", "word " * 600, "also short"])
    assert owners.tolist()[0] == 0 and owners.tolist()[-1] == 2
    assert (owners == 1).sum() == 3  # 600 wordpieces -> windows of 254 with overlap
    assert counts.max() <= MAX_WORDPIECES and pooled.shape == (len(owners), 384)


def test_split_windows() -> None:
    assert split_windows([]) == [[101, 102]]
    windows = split_windows(list(range(1000, 1600)), size=256, overlap=32)
    assert [len(w) for w in windows] == [256, 256, 158]
    assert all(w[0] == 101 and w[-1] == 102 for w in windows)
    body = [w[1:-1] for w in windows]
    assert body[0][-32:] == body[1][:32]  # overlap
    assert sorted(set().union(*map(set, body))) == list(range(1000, 1600))  # full coverage
    assert len(split_windows(list(range(254)), size=256)) == 1
    with pytest.raises(ValueError):
        split_windows([1, 2, 3], size=10, overlap=8)


def test_concurrent_calls_agree(minilm: Embedder) -> None:
    text = "threads share one session"
    expected = minilm.embed_query(text)
    results: list[npt.NDArray[np.float32]] = []

    def work() -> None:
        results.append(minilm.embed_query(text))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 4
    for r in results:
        np.testing.assert_allclose(r, expected, atol=1e-6)


def test_model_hash_mismatch_is_refused(tmp_path: Path) -> None:
    fake = tmp_path / "model.onnx"
    fake.write_bytes(b"not a model")
    with pytest.raises(ModelIntegrityError, match="sha256"):
        verify_model(fake)
    with pytest.raises(ModelIntegrityError, match="sha256"):
        MiniLMEmbedder(model_path=fake).embed_query("x")
    with pytest.raises(ModelIntegrityError, match="not found"):
        MiniLMEmbedder(model_path=tmp_path / "missing.onnx").embed_query("x")


def test_get_embedder_caches_and_validates() -> None:
    assert get_embedder() is get_embedder("minilm:int8") is get_embedder(" minilm:int8 ")
    assert get_embedder("minilm") is get_embedder(" minilm ") is not get_embedder()
    with pytest.raises(EmbedderError, match="unknown embedder"):
        get_embedder("nope:x")
    with pytest.raises(EmbedderError, match="no argument"):
        get_embedder("minilm:extra")
    with pytest.raises(EmbedderError, match="needs a folder"):
        get_embedder("st")
    with pytest.raises(EmbedderError, match="not found"):
        get_embedder("st:/definitely/not/here")


class _Constant:
    name = "constant"
    dimension = 2

    def embed_documents(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        return np.tile(np.array([[1.0, 0.0]], dtype=np.float32), (len(texts), 1))

    def embed_query(self, text: str) -> npt.NDArray[np.float32]:
        return np.array([1.0, 0.0], dtype=np.float32)


def test_registry_hook(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(embed_module, "_FACTORIES", dict(embed_module._FACTORIES))
    monkeypatch.setattr(embed_module, "_INSTANCES", {})
    seen: list[str] = []

    def factory(argument: str) -> Embedder:
        seen.append(argument)
        return _Constant()

    register_embedder("const", factory)
    first = get_embedder("const:abc")
    assert isinstance(first, Embedder)
    assert get_embedder("const:abc") is first and seen == ["abc"]
    register_embedder("const", factory)  # re-registering forgets cached instances
    assert get_embedder("const:abc") is not first
    with pytest.raises(ValueError):
        register_embedder("a:b", factory)


def test_sentence_transformers_missing_is_friendly(tmp_path: Path) -> None:
    try:
        import sentence_transformers  # noqa: F401
    except ImportError:
        pass
    else:
        pytest.skip("sentence-transformers is installed here")
    embedder = SentenceTransformersEmbedder(tmp_path)
    assert embedder.name == f"st:{tmp_path}"
    with pytest.raises(EmbedderError, match="pip install sentence-transformers"):
        embedder.embed_documents(["x"])


class _CountingSession:
    """Wraps an onnxruntime session and records how many runs overlap."""

    def __init__(self, inner: object) -> None:
        self.inner = inner
        self.active = 0
        self.most = 0
        self.lock = threading.Lock()

    def run(self, outputs: list[str], feeds: dict[str, object]) -> object:
        with self.lock:
            self.active += 1
            self.most = max(self.most, self.active)
        try:
            time.sleep(0.01)  # widen the window in which runs could overlap
            return self.inner.run(outputs, feeds)  # type: ignore[attr-defined]
        finally:
            with self.lock:
                self.active -= 1


def test_runs_go_parallel_up_to_the_core_budget_and_no_further() -> None:
    embedder = MiniLMEmbedder(threads=2)
    texts = [f"passage {i} " + "word " * (i % 7) for i in range(24)]
    expected = embedder.embed_documents(texts)
    counting = _CountingSession(embedder._session)
    embedder._session = counting
    callers = [threading.Thread(target=embedder.embed_documents, args=(texts,)) for _ in range(3)]
    for caller in callers:
        caller.start()
    got = embedder.embed_documents(texts)
    for caller in callers:
        caller.join()
    # One caller's batches run side by side, but four callers never exceed two runs.
    assert counting.most == 2
    np.testing.assert_allclose(got, expected, atol=1e-6)
