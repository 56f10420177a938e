"""Chunk rows with their vectors, full-text entries and metadata rows, kept in step."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence

from ragkit.engine.store import corpora, fulltext, metadata
from ragkit.engine.store.pages import Cursor, keyset_page
from ragkit.engine.store.records import ChunkRecord, DocumentRecord, Metadata, NewChunk

_COLUMNS = (
    "k.id, k.document, k.corpus, c.corpus_id, d.document_id, k.chunk_id, k.text,"
    " k.custom_metadata, k.create_time, k.update_time, k.ready_time"
)
_FROM = "chunks k JOIN documents d ON d.id = k.document JOIN corpora c ON c.id = k.corpus"


def _record(row: tuple[object, ...]) -> ChunkRecord:
    values = list(row)
    values[7] = metadata.load(values[7])  # type: ignore[arg-type]
    return ChunkRecord(*values)  # type: ignore[arg-type]


def insert_many(
    conn: sqlite3.Connection,
    document: DocumentRecord,
    new_chunks: Sequence[NewChunk],
    *,
    now: int,
    ready_time: int,
) -> list[ChunkRecord]:
    """Insert chunks under ``document`` (rows, vectors, FTS entries, metadata rows, counters)."""
    corpus_rowid = document.corpus_rowid
    records: list[ChunkRecord] = []
    for new in new_chunks:
        cur = conn.execute(
            "INSERT INTO chunks (document, corpus, chunk_id, text, custom_metadata,"
            " create_time, update_time, ready_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                document.rowid,
                corpus_rowid,
                new.chunk_id,
                new.text,
                metadata.dump(new.custom_metadata),
                now,
                now,
                ready_time,
            ),
        )
        records.append(
            ChunkRecord(
                int(cur.lastrowid or 0),
                document.rowid,
                corpus_rowid,
                document.corpus_id,
                document.document_id,
                new.chunk_id,
                new.text,
                new.custom_metadata,
                now,
                now,
                ready_time,
            )
        )
    conn.executemany(
        "INSERT INTO chunk_vectors (chunk, corpus, vector) VALUES (?, ?, ?)",
        [
            (r.rowid, corpus_rowid, n.vector)
            for r, n in zip(records, new_chunks, strict=True)
            if n.vector is not None
        ],
    )
    fulltext.add(conn, corpus_rowid, [(r.rowid, r.text) for r in records])
    metadata.write_index(
        conn, "chunk", [(r.rowid, corpus_rowid, r.custom_metadata) for r in records]
    )
    corpora.add_counts(conn, corpus_rowid, chunks=len(records))
    return records


def get(conn: sqlite3.Connection, document_rowid: int, chunk_id: str) -> ChunkRecord | None:
    found = conn.execute(
        f"SELECT {_COLUMNS} FROM {_FROM} WHERE k.document = ? AND k.chunk_id = ?",
        (document_rowid, chunk_id),
    ).fetchone()
    return _record(found) if found else None


def get_many(conn: sqlite3.Connection, rowids: Sequence[int]) -> dict[int, ChunkRecord]:
    """Chunks by rowid (the ids the search indexes return)."""
    if not rowids:
        return {}
    marks = ",".join("?" * len(rowids))
    rows = conn.execute(f"SELECT {_COLUMNS} FROM {_FROM} WHERE k.id IN ({marks})", list(rowids))
    return {record.rowid: record for record in map(_record, rows)}


def list_page(
    conn: sqlite3.Connection, document_rowid: int, after: Cursor | None, limit: int
) -> list[ChunkRecord]:
    rows = keyset_page(
        conn,
        f"SELECT {_COLUMNS} FROM {_FROM}",
        "k.document = ?",
        [document_rowid],
        alias="k",
        after=after,
        limit=limit,
    )
    return [_record(r) for r in rows]


def update(
    conn: sqlite3.Connection,
    record: ChunkRecord,
    *,
    text: str | None,
    vector: bytes | None,
    custom_metadata: Metadata | None,
    now: int,
    ready_time: int,
) -> ChunkRecord:
    """Replace the given fields (None = unchanged); new text needs its new vector."""
    new_text = record.text
    new_ready = record.ready_time
    if text is not None:
        fulltext.remove(conn, record.corpus_rowid, [(record.rowid, record.text)])
        conn.execute(
            "UPDATE chunks SET text = ?, ready_time = ? WHERE id = ?",
            (text, ready_time, record.rowid),
        )
        fulltext.add(conn, record.corpus_rowid, [(record.rowid, text)])
        if vector is not None:
            conn.execute(
                "INSERT OR REPLACE INTO chunk_vectors (chunk, corpus, vector) VALUES (?, ?, ?)",
                (record.rowid, record.corpus_rowid, vector),
            )
        new_text, new_ready = text, ready_time
        corpora.bump_chunks_version(conn, record.corpus_rowid)
    new_metadata = record.custom_metadata
    if custom_metadata is not None:
        conn.execute(
            "UPDATE chunks SET custom_metadata = ? WHERE id = ?",
            (metadata.dump(custom_metadata), record.rowid),
        )
        metadata.write_index(
            conn, "chunk", [(record.rowid, record.corpus_rowid, custom_metadata)], replace=True
        )
        new_metadata = custom_metadata
    conn.execute("UPDATE chunks SET update_time = ? WHERE id = ?", (now, record.rowid))
    return ChunkRecord(
        record.rowid,
        record.document_rowid,
        record.corpus_rowid,
        record.corpus_id,
        record.document_id,
        record.chunk_id,
        new_text,
        new_metadata,
        record.create_time,
        now,
        new_ready,
    )


def delete_many(conn: sqlite3.Connection, records: Sequence[ChunkRecord]) -> None:
    """Delete chunks (their vectors and metadata rows cascade)."""
    by_corpus: dict[int, list[ChunkRecord]] = {}
    for record in records:
        by_corpus.setdefault(record.corpus_rowid, []).append(record)
    for corpus_rowid, group in by_corpus.items():
        fulltext.remove(conn, corpus_rowid, [(r.rowid, r.text) for r in group])
        conn.executemany("DELETE FROM chunks WHERE id = ?", [(r.rowid,) for r in group])
        corpora.add_counts(conn, corpus_rowid, chunks=-len(group))


def iter_vectors(
    conn: sqlite3.Connection, corpus_rowid: int, batch: int = 50_000
) -> Iterator[tuple[list[int], list[bytes]]]:
    """Stored vectors of a corpus in rowid order, ``batch`` at a time (never all in one list)."""
    last = -1
    while True:
        rows = conn.execute(
            "SELECT chunk, vector FROM chunk_vectors WHERE corpus = ? AND chunk > ?"
            " ORDER BY chunk LIMIT ?",
            (corpus_rowid, last, batch),
        ).fetchall()
        if not rows:
            return
        yield [int(r[0]) for r in rows], [bytes(r[1]) for r in rows]
        last = int(rows[-1][0])
