"""Per-corpus FTS5 tables over chunk text (external content: the text lives once, in ``chunks``).

One table per corpus keeps BM25 statistics per corpus (as a hosted corpus would
have them) and lets ``MATCH ... ORDER BY rank LIMIT k`` stop early instead of
filtering a shared index by corpus. The engine maintains these tables itself in
the same transaction as the chunk rows (no triggers), because the table to touch
depends on the corpus.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from ragkit.engine.search.fts import FTS5_TOKENIZE, create_vocab_sql

# The search primitives' recommended tokenizer (porter over unicode61, measured on SciFact).
TOKENIZE = FTS5_TOKENIZE


def table_name(corpus_rowid: int) -> str:
    """The FTS5 table of a corpus (the rowid is an integer, so the name is safe to inline)."""
    return f"chunks_fts_{int(corpus_rowid)}"


def vocab_name(corpus_rowid: int) -> str:
    """The ``fts5vocab`` (row) table of a corpus: document frequency per index term."""
    return f"{table_name(corpus_rowid)}_vocab"


def create(conn: sqlite3.Connection, corpus_rowid: int) -> None:
    conn.execute(
        f"CREATE VIRTUAL TABLE {table_name(corpus_rowid)} USING fts5("
        f"text, content='chunks', content_rowid='id', tokenize='{TOKENIZE}')"
    )
    create_vocab(conn, corpus_rowid)


def create_vocab(conn: sqlite3.Connection, corpus_rowid: int) -> None:
    conn.execute(create_vocab_sql(table_name(corpus_rowid), vocab_name(corpus_rowid)))


def drop(conn: sqlite3.Connection, corpus_rowid: int) -> None:
    conn.execute(f"DROP TABLE IF EXISTS {vocab_name(corpus_rowid)}")
    conn.execute(f"DROP TABLE IF EXISTS {table_name(corpus_rowid)}")


def add(conn: sqlite3.Connection, corpus_rowid: int, rows: Iterable[tuple[int, str]]) -> None:
    """Index ``(chunk_rowid, text)`` pairs."""
    conn.executemany(
        f"INSERT INTO {table_name(corpus_rowid)} (rowid, text) VALUES (?, ?)", list(rows)
    )


def remove(conn: sqlite3.Connection, corpus_rowid: int, rows: Iterable[tuple[int, str]]) -> None:
    """Unindex ``(chunk_rowid, old_text)`` pairs; external content needs the old text."""
    table = table_name(corpus_rowid)
    conn.executemany(
        f"INSERT INTO {table} ({table}, rowid, text) VALUES ('delete', ?, ?)", list(rows)
    )


def remove_document(conn: sqlite3.Connection, corpus_rowid: int, document_rowid: int) -> None:
    """Unindex every chunk of a document (before its rows are deleted)."""
    table = table_name(corpus_rowid)
    conn.execute(
        f"INSERT INTO {table} ({table}, rowid, text)"
        " SELECT 'delete', id, text FROM chunks WHERE document = ?",
        (document_rowid,),
    )


def search(
    conn: sqlite3.Connection,
    corpus_rowid: int,
    match: str,
    limit: int,
    *,
    document_rowid: int | None = None,
    allowed_json: str | None = None,
) -> list[tuple[int, float]]:
    """Best ``limit`` chunks for an FTS5 ``match`` expression: ``(rowid, bm25)``.

    SQLite's ``bm25()`` is negative, smaller is better; rows come best first.
    ``document_rowid`` restricts to one document, ``allowed_json`` (a JSON array) to a set
    of rowids.
    """
    table = table_name(corpus_rowid)
    sql = f"SELECT rowid, bm25({table}) AS score FROM {table} WHERE {table} MATCH ?"
    params: list[object] = [match]
    if document_rowid is not None:
        sql += " AND +rowid IN (SELECT id FROM chunks WHERE document = ?)"
        params.append(document_rowid)
    if allowed_json is not None:
        # Unary "+": filter the MATCH result; as a rowid constraint FTS5 would re-run the
        # whole MATCH once per allowed id (seconds for a few thousand ids).
        sql += " AND +rowid IN (SELECT value FROM json_each(?))"
        params.append(allowed_json)
    sql += " ORDER BY score LIMIT ?"
    params.append(limit)
    return [(int(r), float(s)) for r, s in conn.execute(sql, params)]
