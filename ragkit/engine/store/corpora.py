"""Corpus rows: create, read, list (by owner), rename, delete, counters."""

from __future__ import annotations

import sqlite3

from ragkit.engine.store import fulltext
from ragkit.engine.store.pages import Cursor, keyset_page
from ragkit.engine.store.records import CorpusRecord

_COLUMNS = (
    "c.id, c.corpus_id, c.display_name, c.create_time, c.update_time, c.embedder,"
    " c.document_count, c.chunk_count, c.chunks_version"
)


def _record(row: tuple[object, ...]) -> CorpusRecord:
    return CorpusRecord(*row)  # type: ignore[arg-type]


def insert(
    conn: sqlite3.Connection, corpus_id: str, display_name: str, now: int, embedder: str
) -> CorpusRecord:
    """Insert a corpus and create its full-text table (in the caller's transaction)."""
    cur = conn.execute(
        "INSERT INTO corpora (corpus_id, display_name, create_time, update_time, embedder)"
        " VALUES (?, ?, ?, ?, ?)",
        (corpus_id, display_name, now, now, embedder),
    )
    rowid = int(cur.lastrowid or 0)
    fulltext.create(conn, rowid)
    return CorpusRecord(rowid, corpus_id, display_name, now, now, embedder, 0, 0, 0)


def get(conn: sqlite3.Connection, corpus_id: str) -> CorpusRecord | None:
    row = conn.execute(f"SELECT {_COLUMNS} FROM corpora c WHERE c.corpus_id = ?", (corpus_id,))
    found = row.fetchone()
    return _record(found) if found else None


def list_owned(
    conn: sqlite3.Connection, email: str, after: Cursor | None, limit: int
) -> list[CorpusRecord]:
    """Corpora on which ``email`` holds OWNER, ascending by creation."""
    rows = keyset_page(
        conn,
        f"SELECT {_COLUMNS} FROM corpora c",
        "c.id IN (SELECT corpus FROM permissions WHERE email_address = ? AND role = 'OWNER')",
        [email],
        alias="c",
        after=after,
        limit=limit,
    )
    return [_record(r) for r in rows]


def count_owned(conn: sqlite3.Connection, email: str) -> int:
    row = conn.execute(
        "SELECT COUNT(DISTINCT corpus) FROM permissions WHERE email_address = ? AND role = 'OWNER'",
        (email,),
    ).fetchone()
    return int(row[0])


def update_display_name(conn: sqlite3.Connection, rowid: int, display_name: str, now: int) -> None:
    conn.execute(
        "UPDATE corpora SET display_name = ?, update_time = ? WHERE id = ?",
        (display_name, now, rowid),
    )


def delete(conn: sqlite3.Connection, rowid: int) -> None:
    """Delete a corpus with everything in it (documents, chunks, vectors, permissions)."""
    fulltext.drop(conn, rowid)
    conn.execute("DELETE FROM corpora WHERE id = ?", (rowid,))


def add_counts(
    conn: sqlite3.Connection, rowid: int, *, documents: int = 0, chunks: int = 0
) -> None:
    """Adjust the cached counters; any chunk change also bumps ``chunks_version``."""
    conn.execute(
        "UPDATE corpora SET document_count = document_count + ?, chunk_count = chunk_count + ?,"
        " chunks_version = chunks_version + ? WHERE id = ?",
        (documents, chunks, 1 if chunks else 0, rowid),
    )


def bump_chunks_version(conn: sqlite3.Connection, rowid: int) -> None:
    """Record that the corpus's chunks (text, vectors or readiness) changed."""
    conn.execute("UPDATE corpora SET chunks_version = chunks_version + 1 WHERE id = ?", (rowid,))
