"""Document rows: create, read, list, update, delete (with their chunks when forced)."""

from __future__ import annotations

import sqlite3

from ragkit.engine.store import corpora, fulltext, metadata
from ragkit.engine.store.pages import Cursor, keyset_page
from ragkit.engine.store.records import DocumentRecord, Metadata

_COLUMNS = (
    "d.id, d.corpus, c.corpus_id, d.document_id, d.display_name, d.custom_metadata,"
    " d.create_time, d.update_time"
)
_FROM = "documents d JOIN corpora c ON c.id = d.corpus"


def _record(row: tuple[object, ...]) -> DocumentRecord:
    values = list(row)
    values[5] = metadata.load(values[5])  # type: ignore[arg-type]
    return DocumentRecord(*values)  # type: ignore[arg-type]


def insert(
    conn: sqlite3.Connection,
    corpus_rowid: int,
    document_id: str,
    display_name: str,
    custom_metadata: Metadata,
    now: int,
) -> int:
    """Insert a document (and its metadata rows); returns its rowid."""
    cur = conn.execute(
        "INSERT INTO documents (corpus, document_id, display_name, custom_metadata,"
        " create_time, update_time) VALUES (?, ?, ?, ?, ?, ?)",
        (corpus_rowid, document_id, display_name, metadata.dump(custom_metadata), now, now),
    )
    rowid = int(cur.lastrowid or 0)
    metadata.write_index(conn, "document", [(rowid, corpus_rowid, custom_metadata)])
    corpora.add_counts(conn, corpus_rowid, documents=1)
    return rowid


def get(conn: sqlite3.Connection, corpus_rowid: int, document_id: str) -> DocumentRecord | None:
    found = conn.execute(
        f"SELECT {_COLUMNS} FROM {_FROM} WHERE d.corpus = ? AND d.document_id = ?",
        (corpus_rowid, document_id),
    ).fetchone()
    return _record(found) if found else None


def get_many(conn: sqlite3.Connection, rowids: list[int]) -> dict[int, DocumentRecord]:
    """Documents by rowid (for filling ``RelevantChunk.document``)."""
    if not rowids:
        return {}
    marks = ",".join("?" * len(rowids))
    rows = conn.execute(f"SELECT {_COLUMNS} FROM {_FROM} WHERE d.id IN ({marks})", rowids)
    return {record.rowid: record for record in map(_record, rows)}


def list_page(
    conn: sqlite3.Connection, corpus_rowid: int, after: Cursor | None, limit: int
) -> list[DocumentRecord]:
    rows = keyset_page(
        conn,
        f"SELECT {_COLUMNS} FROM {_FROM}",
        "d.corpus = ?",
        [corpus_rowid],
        alias="d",
        after=after,
        limit=limit,
    )
    return [_record(r) for r in rows]


def update(
    conn: sqlite3.Connection,
    record: DocumentRecord,
    *,
    display_name: str | None,
    custom_metadata: Metadata | None,
    now: int,
) -> None:
    """Replace the given fields (None = leave unchanged) and bump ``update_time``."""
    if display_name is not None:
        conn.execute(
            "UPDATE documents SET display_name = ? WHERE id = ?", (display_name, record.rowid)
        )
    if custom_metadata is not None:
        conn.execute(
            "UPDATE documents SET custom_metadata = ? WHERE id = ?",
            (metadata.dump(custom_metadata), record.rowid),
        )
        metadata.write_index(
            conn, "document", [(record.rowid, record.corpus_rowid, custom_metadata)], replace=True
        )
    conn.execute("UPDATE documents SET update_time = ? WHERE id = ?", (now, record.rowid))


def has_chunks(conn: sqlite3.Connection, rowid: int) -> bool:
    row = conn.execute("SELECT 1 FROM chunks WHERE document = ? LIMIT 1", (rowid,)).fetchone()
    return row is not None


def delete(conn: sqlite3.Connection, record: DocumentRecord) -> list[int]:
    """Delete a document and (cascading) its chunks, vectors and metadata rows.

    Returns the rowids of the chunks deleted with it.
    """
    fulltext.remove_document(conn, record.corpus_rowid, record.rowid)
    removed = [
        row[0] for row in conn.execute("SELECT id FROM chunks WHERE document = ?", (record.rowid,))
    ]
    conn.execute("DELETE FROM documents WHERE id = ?", (record.rowid,))
    corpora.add_counts(conn, record.corpus_rowid, documents=-1, chunks=-len(removed))
    return removed
