"""In-memory vector indexes, one per corpus, kept in step with the store.

Vectors are stored as compact BLOBs in ``chunk_vectors``; a corpus's
:class:`~ragkit.engine.search.vectors.VectorIndex` is loaded from them on its first
query and then updated by every write this process commits (see
:meth:`ragkit.engine.engine.Engine.write`). Each corpus row carries a
``chunks_version`` that every chunk write bumps: an index older than the version a
query reads (another process wrote) is reloaded, so several processes may share one
data directory safely.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from ragkit.engine.errors import failed_precondition
from ragkit.engine.search import Embedder, EmbedderError, get_embedder
from ragkit.engine.search.vectors import VectorIndex, encode
from ragkit.engine.store import chunks
from ragkit.engine.store.records import CorpusRecord

if TYPE_CHECKING:
    from ragkit.engine.engine import Changes

FloatArray = npt.NDArray[np.float32]


def available_embedder(spec: str, context: str) -> Embedder:
    """``get_embedder(spec)``, or 400 FAILED_PRECONDITION saying why it cannot be used."""
    try:
        return get_embedder(spec)
    except EmbedderError as exc:
        raise failed_precondition(f"{context} {spec!r}, which is not available: {exc}") from exc


class SharedLock:
    """Many readers or one writer: searches run in parallel, an update waits for them."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._readers = 0
        self._writing = False

    @contextmanager
    def shared(self) -> Iterator[None]:
        with self._cond:
            self._cond.wait_for(lambda: not self._writing)
            self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                self._readers -= 1
                self._cond.notify_all()

    @contextmanager
    def exclusive(self) -> Iterator[None]:
        with self._cond:
            self._cond.wait_for(lambda: not self._writing and self._readers == 0)
            self._writing = True
        try:
            yield
        finally:
            with self._cond:
                self._writing = False
                self._cond.notify_all()


@dataclass
class _Loaded:
    identity: tuple[int, str, int]  # (rowid, corpus id, create time): rowids can be reused
    version: int
    index: VectorIndex
    guard: SharedLock = field(default_factory=SharedLock)


def _identity(corpus: CorpusRecord) -> tuple[int, str, int]:
    return (corpus.rowid, corpus.corpus_id, corpus.create_time)


class SearchIndexes:
    """The vector side of retrieval: embedders per corpus and the loaded indexes."""

    def __init__(self) -> None:
        self._loaded: dict[int, _Loaded] = {}
        self._lock = threading.Lock()  # guards the dict and (re)loading

    @staticmethod
    def embedder(corpus: CorpusRecord) -> Embedder:
        """The embedder a corpus was created with (its vectors only compare with its own)."""
        return available_embedder(
            corpus.embedder, f"corpora/{corpus.corpus_id} was created with the embedder"
        )

    def embed_documents(
        self, corpus: CorpusRecord, texts: Sequence[str]
    ) -> tuple[FloatArray, list[bytes]]:
        """Vectors for chunk texts and their storage BLOBs."""
        if not texts:
            return np.zeros((0, 0), dtype=np.float32), []
        vectors = self.embedder(corpus).embed_documents(list(texts))
        return vectors, [encode(vector) for vector in vectors]

    @contextmanager
    def searching(self, conn: sqlite3.Connection, corpus: CorpusRecord) -> Iterator[VectorIndex]:
        """The corpus's index, at least as new as ``corpus``, held steady while in use.

        Loads it (in ``conn``'s snapshot) when missing or older than the corpus.
        """
        with self._lock:
            loaded = self._loaded.get(corpus.rowid)
            if (
                loaded is None
                or loaded.identity != _identity(corpus)
                or loaded.version < corpus.chunks_version
            ):
                index = VectorIndex(self.embedder(corpus).dimension)
                index.reserve(corpus.chunk_count)
                for ids, blobs in chunks.iter_vectors(conn, corpus.rowid):
                    index.bulk_load(ids, blobs)
                loaded = _Loaded(_identity(corpus), corpus.chunks_version, index)
                self._loaded[corpus.rowid] = loaded
        with loaded.guard.shared():
            yield loaded.index

    def apply(self, changes: Changes) -> None:
        """Replay a committed write on the loaded indexes (called under the writer lock)."""
        with self._lock:
            for rowid, change in changes.by_corpus.items():
                loaded = self._loaded.get(rowid)
                if loaded is None:
                    continue  # not loaded: the next query loads the committed state
                current = (
                    loaded.identity == _identity(change.corpus)
                    and loaded.version == change.corpus.chunks_version
                )
                if change.dropped or change.new_version < 0 or not current:
                    del self._loaded[rowid]  # out of step: reload on the next query
                    continue
                with loaded.guard.exclusive():
                    if change.removed_ids:
                        loaded.index.remove(change.removed_ids)
                    if change.added_ids:
                        loaded.index.add(change.added_ids, np.vstack(change.added_vectors))
                loaded.version = change.new_version
