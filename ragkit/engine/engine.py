"""The engine object: one per data directory, shared by every request in the process.

It owns the database, the clock, the embedders and the in-memory search indexes,
and gives handlers the access-checked lookups they all need. Handlers
(``ragkit.engine.handlers``) are plain blocking functions ``(engine, principal,
request) -> response``; the ASGI app runs them on worker threads.

>>> import tempfile, pathlib
>>> engine = Engine(EngineSettings(home=pathlib.Path(tempfile.mkdtemp())))
>>> engine.db.path.endswith("engine.sqlite3")
True
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from ragkit.engine.access import Role
from ragkit.engine.errors import ApiError, not_found, permission_denied
from ragkit.engine.principal import Principal
from ragkit.engine.settings import EngineSettings
from ragkit.engine.store import chunks, corpora, documents, pages, permissions
from ragkit.engine.store.clock import Clock
from ragkit.engine.store.db import Database
from ragkit.engine.store.records import ChunkRecord, CorpusRecord, DocumentRecord
from ragkit.types import names

if TYPE_CHECKING:
    from ragkit.engine.aqa.generator import Generator
    from ragkit.engine.indexes import SearchIndexes
    from ragkit.engine.lexical import LexicalPlanner


@dataclass
class CorpusChanges:
    """What one write transaction did to a corpus's chunks (for the in-memory index)."""

    corpus: CorpusRecord  # as read at the start of the transaction (old chunks_version)
    added_ids: list[int] = field(default_factory=list)
    added_vectors: list[npt.NDArray[np.float32]] = field(default_factory=list)
    removed_ids: list[int] = field(default_factory=list)
    dropped: bool = False
    new_version: int = -1


class Changes:
    """Collects chunk changes during a write so the search index can follow the commit."""

    def __init__(self) -> None:
        self.by_corpus: dict[int, CorpusChanges] = {}

    def _entry(self, corpus: CorpusRecord) -> CorpusChanges:
        return self.by_corpus.setdefault(corpus.rowid, CorpusChanges(corpus))

    def added(self, corpus: CorpusRecord, ids: list[int], vectors: npt.NDArray[np.float32]) -> None:
        entry = self._entry(corpus)
        entry.added_ids += ids
        entry.added_vectors.append(vectors)

    def removed(self, corpus: CorpusRecord, ids: list[int]) -> None:
        self._entry(corpus).removed_ids += ids

    def dropped(self, corpus: CorpusRecord) -> None:
        self._entry(corpus).dropped = True

    def finish(self, conn: sqlite3.Connection) -> None:
        for entry in self.by_corpus.values():
            row = conn.execute(
                "SELECT chunks_version FROM corpora WHERE id = ?", (entry.corpus.rowid,)
            ).fetchone()
            entry.new_version = int(row[0]) if row else -1


class Engine:
    """State shared by all requests against one data directory."""

    def __init__(self, settings: EngineSettings | None = None, *, db: Database | None = None):
        self.settings = settings or EngineSettings()
        self.db = db or Database.in_directory(self.settings.data_dir())
        self.clock = Clock()

    @cached_property
    def page_key(self) -> bytes:
        with self.db.read() as conn:
            return pages.signing_key(conn)

    @cached_property
    def search(self) -> SearchIndexes:
        """Embedders and in-memory vector indexes (loads onnxruntime only when first used)."""
        from ragkit.engine.indexes import SearchIndexes

        return SearchIndexes()

    @contextmanager
    def write(self) -> Iterator[tuple[sqlite3.Connection, Changes]]:
        """A write transaction whose chunk changes reach the search index after the commit.

        The writer lock is held until the index is updated too, so index updates are
        applied in commit order.
        """
        with self.db.lock:
            changes = Changes()
            with self.db.write() as conn:
                yield conn, changes
                changes.finish(conn)
            if changes.by_corpus:
                self.search.apply(changes)

    @cached_property
    def lexical(self) -> LexicalPlanner:
        """Chooses the query words worth a BM25 search (see ``ragkit.engine.lexical``)."""
        from ragkit.engine.lexical import LexicalPlanner

        return LexicalPlanner()

    @cached_property
    def generator(self) -> Generator | None:
        """The configured abstractive generator (settings ``generator*``), None when off.

        One per engine, so its HTTP connection pool is shared by every request.
        """
        from ragkit.engine.aqa.generator import build_generator

        key = self.settings.generator_api_key
        return build_generator(
            self.settings.generator,
            url=self.settings.generator_url,
            model=self.settings.generator_model,
            api_key=key.get_secret_value() if key is not None else None,
            timeout=self.settings.generator_timeout,
        )

    def ready_time(self, now: int) -> int:
        """When a chunk written at ``now`` becomes STATE_ACTIVE."""
        return now + int(self.settings.chunk_ready_delay * 1_000_000)

    def close(self) -> None:
        # Close the generator only if it was built: reading the property would build it.
        generator = self.__dict__.get("generator")
        if generator is not None:
            generator.close()
        self.db.close()

    # --- access-checked lookups ---------------------------------------------------------

    def missing_corpus(self, corpus_id: str) -> ApiError:
        """The error for a corpus that does not exist or that the caller may not see."""
        name = f"corpora/{corpus_id}"
        if self.settings.missing_corpus_status == "NOT_FOUND":
            return not_found(f"Corpus {name} not found.")
        return permission_denied(f"Permission denied on resource {name} (or it may not exist).")

    def corpus(
        self, conn: sqlite3.Connection, who: Principal, corpus_id: str, needed: Role
    ) -> CorpusRecord:
        """The corpus if ``who`` holds at least ``needed`` on it, else the right error."""
        record = corpora.get(conn, corpus_id)
        if record is None:
            raise self.missing_corpus(corpus_id)
        role = Role.best(permissions.roles_for(conn, record.rowid, who.email))
        if role is Role.NONE:
            raise self.missing_corpus(corpus_id)  # do not reveal that it exists
        if role < needed:
            raise permission_denied(
                f"The caller does not have permission: {needed.name} access to "
                f"corpora/{corpus_id} is required (caller has {role.name})."
            )
        return record

    def document(
        self, conn: sqlite3.Connection, corpus: CorpusRecord, document_id: str
    ) -> DocumentRecord:
        record = documents.get(conn, corpus.rowid, document_id)
        if record is None:
            name = names.document_name(corpus.corpus_id, document_id)
            raise not_found(f"Document {name} not found.")
        return record

    def chunk(
        self, conn: sqlite3.Connection, document: DocumentRecord, chunk_id: str
    ) -> ChunkRecord:
        record = chunks.get(conn, document.rowid, chunk_id)
        if record is None:
            name = names.chunk_name(document.corpus_id, document.document_id, chunk_id)
            raise not_found(f"Chunk {name} not found.")
        return record


_ENGINES: dict[EngineSettings, Engine] = {}
_ENGINES_LOCK = threading.Lock()


def get_engine(settings: EngineSettings | None = None) -> Engine:
    """The process-wide engine for these settings (one per data directory and settings).

    Several engines on one directory (other settings, other processes) stay correct:
    SQLite serialises their writes and the search indexes notice foreign writes.
    """
    settings = settings or EngineSettings()
    key = settings.model_copy(update={"home": settings.data_dir().resolve()})
    with _ENGINES_LOCK:
        engine = _ENGINES.get(key)
        if engine is None:
            engine = _ENGINES[key] = Engine(key)
        return engine


def close_engines() -> None:
    """Close and forget every cached engine (tests; a server shutting down)."""
    with _ENGINES_LOCK:
        for engine in _ENGINES.values():
            engine.close()
        _ENGINES.clear()
