from __future__ import annotations

import threading

import pytest

from ragkit.engine.store import chunks, corpora, documents
from ragkit.engine.store.clock import Clock
from ragkit.engine.store.db import Database
from ragkit.engine.store.records import NewChunk
from tests.engine.store.conftest import add_chunks, make_document


def _counts(db: Database) -> tuple[int, int, int, int]:
    with db.read() as conn:
        return tuple(  # type: ignore[return-value]
            conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
            for table in ("chunks", "chunk_vectors", "chunk_metadata", "chunks_fts_1")
        )


def test_exception_inside_a_batch_write_leaves_nothing(db: Database, clock: Clock) -> None:
    document = make_document(db, clock)
    batch = [NewChunk(f"k{i}", f"text {i}", (), b"\x00" * 8) for i in range(50)]
    with pytest.raises(RuntimeError, match="crash"), db.write() as conn:
        chunks.insert_many(conn, document, batch, now=clock.now(), ready_time=0)
        raise RuntimeError("crash after the inserts, before the commit")
    assert _counts(db) == (0, 0, 0, 0)
    with db.read() as conn:
        corpus = corpora.get(conn, "c1")
    assert corpus is not None and corpus.chunk_count == 0


def test_constraint_violation_midway_rolls_back_the_earlier_items(
    db: Database, clock: Clock
) -> None:
    document = make_document(db, clock)
    add_chunks(db, clock, document, ("taken", "already here", ()))
    batch = [NewChunk("fresh", "new", (), None), NewChunk("taken", "duplicate", (), None)]
    with pytest.raises(Exception, match="UNIQUE"), db.write() as conn:
        chunks.insert_many(conn, document, batch, now=clock.now(), ready_time=0)
    with db.read() as conn:
        names = [r.chunk_id for r in chunks.list_page(conn, document.rowid, None, 10)]
    assert names == ["taken"]


def test_committed_writes_are_visible_to_a_new_connection(db: Database, clock: Clock) -> None:
    document = make_document(db, clock)
    add_chunks(db, clock, document, ("a", "alpha", ()))
    reopened = Database(db.path)
    with reopened.read() as conn:
        assert chunks.get(conn, document.rowid, "a") is not None
    reopened.close()


def test_writers_from_many_threads_are_serialised(db: Database, clock: Clock) -> None:
    errors: list[BaseException] = []

    def worker(n: int) -> None:
        try:
            with db.write() as conn:
                corpora.insert(conn, f"c-{n}", "", clock.now(), "test")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with db.read() as conn:
        assert conn.execute("SELECT COUNT(*) FROM corpora").fetchone()[0] == 8


def test_forced_document_delete_removes_chunks_vectors_metadata_and_fts(
    db: Database, clock: Clock
) -> None:
    document = make_document(db, clock)
    with db.write() as conn:
        chunks.insert_many(
            conn,
            document,
            [NewChunk("a", "alpha beta", (), b"v" * 8), NewChunk("b", "gamma", (), b"w" * 8)],
            now=clock.now(),
            ready_time=0,
        )
    with db.write() as conn:
        documents.delete(conn, document)
    assert _counts(db) == (0, 0, 0, 0)
    with db.read() as conn:
        corpus = corpora.get(conn, "c1")
        assert corpus is not None
        assert (corpus.document_count, corpus.chunk_count) == (0, 0)
        # The external-content FTS index really forgot the text (not just the rows).
        hits = conn.execute("SELECT rowid FROM chunks_fts_1 WHERE chunks_fts_1 MATCH 'alpha'")
        assert hits.fetchall() == []
