"""A fresh on-disk store per test (WAL needs a real file) plus small builders."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from ragkit.engine.store import chunks, corpora, documents
from ragkit.engine.store.clock import Clock
from ragkit.engine.store.db import Database
from ragkit.engine.store.records import DocumentRecord, Metadata, NewChunk


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = Database.in_directory(tmp_path / "home")
    yield database
    database.close()


@pytest.fixture
def clock() -> Clock:
    return Clock()


def make_document(
    db: Database,
    clock: Clock,
    corpus_id: str = "c1",
    document_id: str = "d1",
    custom_metadata: Metadata = (),
) -> DocumentRecord:
    with db.write() as conn:
        corpus = corpora.get(conn, corpus_id) or corpora.insert(
            conn, corpus_id, "", clock.now(), "test"
        )
        documents.insert(conn, corpus.rowid, document_id, "", custom_metadata, clock.now())
        record = documents.get(conn, corpus.rowid, document_id)
    assert record is not None
    return record


def add_chunks(
    db: Database, clock: Clock, document: DocumentRecord, *items: tuple[str, str, Metadata]
) -> list[int]:
    now = clock.now()
    with db.write() as conn:
        records = chunks.insert_many(
            conn,
            document,
            [NewChunk(cid, text, meta, None) for cid, text, meta in items],
            now=now,
            ready_time=now,
        )
    return [r.rowid for r in records]
