"""The derived int8-activation MiniLM graph: cached, verified, and close to the float one."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from ragkit.engine.search import get_embedder
from ragkit.engine.search.embed import DEFAULT_EMBEDDER, EmbedderError
from ragkit.engine.search.embed_minilm import MODEL_SHA256, MiniLMEmbedder, _default_model_path
from ragkit.engine.search.minilm_int8 import int8_model

TEXTS = [
    "Incident response teams coordinate with law enforcement during a breach.",
    "A loss of availability is the disruption of access to or use of information.",
    "The recipe needs two cups of flour and an egg.",
    "Photosynthesis converts light energy into chemical energy. " * 40,  # several windows
]


def test_default_spec_is_the_int8_variant() -> None:
    assert DEFAULT_EMBEDDER == "minilm:int8"
    fast, exact = get_embedder(), get_embedder("minilm")
    assert fast.name == "minilm-l6-v2-int8-dynamic" and exact.name == "minilm-l6-v2-int8"
    with pytest.raises(EmbedderError, match="'int8'"):
        get_embedder("minilm:int4")


def test_int8_vectors_stay_close_to_the_float_ones_and_rank_alike() -> None:
    fast = get_embedder("minilm:int8").embed_documents(TEXTS)
    exact = get_embedder("minilm").embed_documents(TEXTS)
    assert np.allclose(np.linalg.norm(fast, axis=1), 1.0, atol=1e-5)
    cosines = (fast * exact).sum(axis=1)
    assert cosines.min() > 0.97, cosines
    query = "What is a loss of availability?"
    for embedder in (get_embedder("minilm:int8"), get_embedder("minilm")):
        scores = embedder.embed_documents(TEXTS) @ embedder.embed_query(query)
        assert int(np.argmax(scores)) == 1


def test_derived_once_then_reused(tmp_path: Path) -> None:
    source = _default_model_path()
    first = int8_model(source, MODEL_SHA256, tmp_path)
    stamp = first.stat().st_mtime_ns
    again = int8_model(source, MODEL_SHA256, tmp_path)
    assert again == first and again.stat().st_mtime_ns == stamp  # not derived twice
    checksum = first.with_suffix(".sha256").read_text().strip()
    assert len(checksum) == 64 and first.parent == tmp_path / "models"


def test_a_damaged_cached_graph_is_derived_again(tmp_path: Path) -> None:
    source = _default_model_path()
    target = int8_model(source, MODEL_SHA256, tmp_path)
    good = target.read_bytes()
    target.write_bytes(good[: len(good) // 2])  # truncated, as by a full disk
    repaired = int8_model(source, MODEL_SHA256, tmp_path)
    assert repaired.read_bytes() == good
    vectors = MiniLMEmbedder(activations="int8", cache_dir=tmp_path).embed_documents(TEXTS[:2])
    assert vectors.shape == (2, 384)


def test_a_failed_derivation_is_reported(tmp_path: Path) -> None:
    bogus = tmp_path / "not-a-model.onnx"
    bogus.write_bytes(b"not an onnx graph")
    with pytest.raises(EmbedderError, match="could not derive the int8 MiniLM graph"):
        int8_model(bogus, "0" * 64, tmp_path / "cache")


def test_an_unwritable_cache_is_reported(tmp_path: Path) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache folder should be")
    with pytest.raises(EmbedderError, match="set RAGKIT_CACHE to a writable directory"):
        int8_model(_default_model_path(), MODEL_SHA256, blocker)
