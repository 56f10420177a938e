"""Text embedders: the :class:`Embedder` protocol, a registry and :func:`get_embedder`.

An embedder turns text into L2-normalised float32 vectors so that a dot product is a
cosine similarity. The engine picks one from a short *spec* string:

==================  =====================================================================
spec                embedder
==================  =====================================================================
``"minilm:int8"``   :class:`~ragkit.engine.search.embed_minilm.MiniLMEmbedder` (default):
                    all-MiniLM-L6-v2, int8 ONNX on onnxruntime with int8 activations too,
                    384 dimensions, offline
``"minilm"``        the same model computing in float (int8 weights only): vectors at cosine
                    ~0.99 to ``minilm:int8``, half its speed; corpora created with it keep it
``"st:/a/folder"``  :class:`SentenceTransformersEmbedder` over a local sentence-transformers
                    model folder (needs the optional ``sentence-transformers`` package)
==================  =====================================================================

Other backends (for example Google's ``embedContent`` through the ragkit client) plug in
with :func:`register_embedder` without touching this module::

    register_embedder("google", lambda arg: GoogleEmbedder(model=arg or "gemini-embedding-001"))
    get_embedder("google:text-embedding-004")

Instances are created lazily and cached per spec for the whole process, so every caller
shares one model session.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

__all__ = [
    "DEFAULT_EMBEDDER",
    "Embedder",
    "EmbedderError",
    "SentenceTransformersEmbedder",
    "get_embedder",
    "l2_normalise",
    "register_embedder",
]

#: The spec :func:`get_embedder` uses when none is given (and new corpora get by default).
DEFAULT_EMBEDDER = "minilm:int8"

FloatArray = npt.NDArray[np.float32]


class EmbedderError(RuntimeError):
    """An embedder cannot be created or run (unknown spec, missing package, bad model file)."""


@runtime_checkable
class Embedder(Protocol):
    """What the engine needs from an embedding model.

    ``embed_documents`` returns a float32 array of shape ``(len(texts), dimension)`` whose
    rows have unit L2 norm (an empty text gets a valid unit vector too); ``embed_query``
    returns one such row of shape ``(dimension,)``. Implementations must be safe to call
    from several threads.
    """

    @property
    def name(self) -> str:
        """A stable identifier of the model and its settings (stored beside vectors)."""
        ...

    @property
    def dimension(self) -> int:
        """Length of every vector this embedder returns."""
        ...

    def embed_documents(self, texts: Sequence[str]) -> FloatArray:
        """Embed passages for storage in an index."""
        ...

    def embed_query(self, text: str) -> FloatArray:
        """Embed a search query (some models encode queries differently from passages)."""
        ...


def l2_normalise(matrix: npt.NDArray[np.floating[Any]]) -> FloatArray:
    """Rows of ``matrix`` scaled to unit length, as float32 (all-zero rows stay zero)."""
    out = np.asarray(matrix, dtype=np.float32)
    norms = np.linalg.norm(out, axis=-1, keepdims=True)
    # Dividing by 1 leaves a zero row zero instead of producing NaNs.
    return np.divide(out, np.where(norms > 0, norms, 1.0), dtype=np.float32)


EmbedderFactory = Callable[[str], Embedder]
_FACTORIES: dict[str, EmbedderFactory] = {}
_INSTANCES: dict[str, Embedder] = {}
_LOCK = threading.Lock()


def register_embedder(scheme: str, factory: EmbedderFactory) -> None:
    """Make ``get_embedder("<scheme>:<argument>")`` (or just ``"<scheme>"``) build embedders.

    ``factory`` receives the text after the first colon ("" when there is none). Registering
    a scheme again replaces its factory and forgets instances cached under that scheme.
    """
    if not scheme or ":" in scheme:
        raise ValueError(f"embedder scheme must be a non-empty word without ':', got {scheme!r}")
    with _LOCK:
        _FACTORIES[scheme] = factory
        for spec in [s for s in _INSTANCES if s.split(":", 1)[0] == scheme]:
            del _INSTANCES[spec]


def get_embedder(spec: str = DEFAULT_EMBEDDER) -> Embedder:
    """The process-wide embedder for ``spec`` (created on first use, then cached).

    >>> emb = get_embedder("minilm")
    >>> emb.embed_query("How do I rotate an API key?").shape
    (384,)
    """
    spec = spec.strip() or DEFAULT_EMBEDDER
    with _LOCK:
        cached = _INSTANCES.get(spec)
        if cached is not None:
            return cached
        scheme, _, argument = spec.partition(":")
        factory = _FACTORIES.get(scheme)
        if factory is None:
            known = ", ".join(sorted(_FACTORIES))
            raise EmbedderError(f"unknown embedder {spec!r}; known schemes: {known}")
        # Creation is cheap (models load lazily on first use), so holding the lock is fine
        # and guarantees one instance per spec.
        embedder = factory(argument)
        _INSTANCES[spec] = embedder
        return embedder


class SentenceTransformersEmbedder:
    """Any local sentence-transformers model folder, e.g. ``get_embedder("st:/models/e5")``.

    Needs the optional ``sentence-transformers`` package (and therefore PyTorch), which
    ragkit does not install. The model is loaded on first use, from the folder only.
    """

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder).expanduser()
        if not self.folder.is_dir():
            raise EmbedderError(f"sentence-transformers model folder not found: {self.folder}")
        self.name = f"st:{self.folder}"
        self._model: Any = None
        self._lock = threading.Lock()
        self._dimension: int | None = None

    def _load(self) -> Any:
        with self._lock:
            if self._model is None:
                try:
                    module = importlib.import_module("sentence_transformers")
                except ImportError as exc:
                    raise EmbedderError(
                        "the 'st:' embedder needs the optional package sentence-transformers "
                        "(pip install sentence-transformers); the default 'minilm' embedder "
                        "needs nothing extra"
                    ) from exc
                self._model = module.SentenceTransformer(str(self.folder), local_files_only=True)
            return self._model

    @property
    def dimension(self) -> int:
        """Output size of the model (loads it)."""
        if self._dimension is None:
            self._dimension = int(self._load().get_sentence_embedding_dimension())
        return self._dimension

    def embed_documents(self, texts: Sequence[str]) -> FloatArray:
        """Embed passages with the model's own settings, L2-normalised."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self._load().encode(list(texts), convert_to_numpy=True, show_progress_bar=False)
        return l2_normalise(vectors)

    def embed_query(self, text: str) -> FloatArray:
        """Embed one query, L2-normalised."""
        vector: FloatArray = self.embed_documents([text])[0]
        return vector


def _minilm_factory(argument: str) -> Embedder:
    # Imported here so that merely importing this module never loads onnxruntime.
    from ragkit.engine.search.embed_minilm import MiniLMEmbedder

    if argument == "int8":
        return MiniLMEmbedder(activations="int8")
    if argument:
        raise EmbedderError(
            f"the 'minilm' embedder takes no argument or 'int8' ('minilm:int8'), got {argument!r}"
        )
    return MiniLMEmbedder()


def _st_factory(argument: str) -> Embedder:
    if not argument:
        raise EmbedderError("the 'st' embedder needs a folder: 'st:/path/to/model'")
    return SentenceTransformersEmbedder(argument)


register_embedder("minilm", _minilm_factory)
register_embedder("st", _st_factory)
