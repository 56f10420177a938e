"""``corpora.documents.chunks`` methods, batch calls included (reference §10).

Every call validates all of its items before writing any, embeds new text *outside*
the writer lock (embedding is the slow part), then writes everything in one
transaction, re-checking what may have changed meanwhile. A batch is therefore
all-or-nothing.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ragkit.engine import ids, wire
from ragkit.engine.access import Role
from ragkit.engine.engine import Changes, Engine
from ragkit.engine.errors import already_exists, field_error
from ragkit.engine.handlers.common import (
    by_creation,
    limit_exceeded,
    mask_paths,
    paginate,
    parse_name,
)
from ragkit.engine.principal import Principal
from ragkit.engine.store import chunks
from ragkit.engine.store.records import (
    ChunkRecord,
    CorpusRecord,
    DocumentRecord,
    Metadata,
    NewChunk,
)
from ragkit.types import (
    BatchCreateChunksRequest,
    BatchCreateChunksResponse,
    BatchDeleteChunksRequest,
    BatchUpdateChunksRequest,
    BatchUpdateChunksResponse,
    Chunk,
    CreateChunkRequest,
    DeleteChunkRequest,
    GetChunkRequest,
    ListChunksRequest,
    ListChunksResponse,
    UpdateChunkRequest,
    limits,
    names,
)

_CHUNK_MASK = {
    "data": "data",
    "data.stringValue": "data",
    "data.string_value": "data",
    "customMetadata": "custom_metadata",
    "custom_metadata": "custom_metadata",
}


@dataclass(frozen=True)
class _Target:
    corpus_id: str
    document_id: str


def _document_of(parent: str | None, *, field: str) -> _Target:
    corpus_id, document_id = parse_name(names.parse_document_name, parent, field=field)
    return _Target(corpus_id, document_id)


def _open(
    engine: Engine, conn: sqlite3.Connection, who: Principal, target: _Target, needed: Role
) -> tuple[CorpusRecord, DocumentRecord]:
    corpus = engine.corpus(conn, who, target.corpus_id, needed)
    return corpus, engine.document(conn, corpus, target.document_id)


def _chunk_id_in(target: _Target, name: str, *, field: str) -> str:
    """The chunk ID of ``name``, which must lie under the target document."""
    parsed = parse_name(names.parse_chunk_name, name, field=field)
    if (parsed.corpus_id, parsed.document_id) != (target.corpus_id, target.document_id):
        parent = names.document_name(target.corpus_id, target.document_id)
        raise field_error(field, f"{name} is not under the parent {parent}")
    return parsed.chunk_id


def _once_each(chunk_ids: Sequence[str | None], field_of: str) -> None:
    """400 if a chunk appears twice in one batch (``field_of`` formats with the index)."""
    first: dict[str, int] = {}
    for index, chunk_id in enumerate(chunk_ids):
        if chunk_id is None:
            continue
        if chunk_id in first:
            raise field_error(
                field_of.format(index),
                f"chunk {chunk_id!r} appears twice in the batch "
                f"(also {field_of.format(first[chunk_id])})",
            )
        first[chunk_id] = index


def _embed(
    engine: Engine, who: Principal, target: _Target, texts: Sequence[str]
) -> tuple[npt.NDArray[np.float32], list[bytes]]:
    with engine.db.read() as conn:
        corpus, _ = _open(engine, conn, who, target, Role.WRITER)
    return engine.search.embed_documents(corpus, texts)


# --- create ------------------------------------------------------------------------------


def batch_create(
    engine: Engine, who: Principal, request: BatchCreateChunksRequest
) -> BatchCreateChunksResponse:
    target = _document_of(request.parent, field="parent")
    url_parent = names.document_name(target.corpus_id, target.document_id)
    chosen: list[str | None] = []
    for index, item in enumerate(request.requests):
        if item.parent is not None and item.parent != url_parent:
            raise field_error(
                f"requests[{index}].parent",
                f"{item.parent} does not match the parent in the URL ({url_parent})",
            )
        name = item.chunk.name
        field = f"requests[{index}].chunk.name"
        chosen.append(_chunk_id_in(target, name, field=field) if name else None)
    _once_each(chosen, "requests[{}].chunk.name")
    metadata = [
        wire.metadata_from_wire(
            item.chunk.custom_metadata, field=f"requests[{index}].chunk.customMetadata"
        )
        for index, item in enumerate(request.requests)
    ]
    texts = [item.chunk.data.string_value if item.chunk.data else "" for item in request.requests]
    vectors, blobs = _embed(engine, who, target, texts)
    with engine.write() as (conn, changes):
        corpus, document = _open(engine, conn, who, target, Role.WRITER)
        records = _insert(
            engine, conn, changes, corpus, document, chosen, texts, metadata, vectors, blobs
        )
    now = engine.clock.now()
    return BatchCreateChunksResponse(chunks=[wire.chunk_to_wire(r, now) for r in records])


def _insert(
    engine: Engine,
    conn: sqlite3.Connection,
    changes: Changes,
    corpus: CorpusRecord,
    document: DocumentRecord,
    chosen: list[str | None],
    texts: list[str],
    metadata: list[Metadata],
    vectors: npt.NDArray[np.float32],
    blobs: list[bytes],
) -> list[ChunkRecord]:
    maximum = engine.settings.max_chunks_per_corpus
    if corpus.chunk_count + len(texts) > maximum:
        raise limit_exceeded(
            f"corpora/{corpus.corpus_id}",
            f"A corpus can hold up to {maximum} chunks; corpora/{corpus.corpus_id} has "
            f"{corpus.chunk_count} and the request adds {len(texts)}.",
        )
    new_chunks: list[NewChunk] = []
    taken: set[str] = set()
    for index, chunk_id in enumerate(chosen):
        if chunk_id is not None:
            if chunks.get(conn, document.rowid, chunk_id) is not None:
                name = names.chunk_name(corpus.corpus_id, document.document_id, chunk_id)
                raise already_exists(f"Chunk {name} already exists.")
        else:
            chunk_id = ids.random_id()
            while chunk_id in taken or chunks.get(conn, document.rowid, chunk_id) is not None:
                chunk_id = ids.random_id()
        taken.add(chunk_id)
        new_chunks.append(NewChunk(chunk_id, texts[index], metadata[index], blobs[index]))
    now = engine.clock.now()
    records = chunks.insert_many(
        conn, document, new_chunks, now=now, ready_time=engine.ready_time(now)
    )
    changes.added(corpus, [r.rowid for r in records], vectors)
    return records


def create(engine: Engine, who: Principal, request: CreateChunkRequest) -> Chunk:
    batch = BatchCreateChunksRequest(
        parent=request.parent,
        requests=[CreateChunkRequest(parent=request.parent, chunk=request.chunk)],
    )
    return batch_create(engine, who, batch).chunks[0]


# --- read --------------------------------------------------------------------------------


def get(engine: Engine, who: Principal, request: GetChunkRequest) -> Chunk:
    parsed = parse_name(names.parse_chunk_name, request.name, field="name")
    with engine.db.read() as conn:
        _, document = _open(
            engine, conn, who, _Target(parsed.corpus_id, parsed.document_id), Role.READER
        )
        record = engine.chunk(conn, document, parsed.chunk_id)
    return wire.chunk_to_wire(record, engine.clock.now())


def list_(engine: Engine, who: Principal, request: ListChunksRequest) -> ListChunksResponse:
    target = _document_of(request.parent, field="parent")
    with engine.db.read() as conn:
        _, document = _open(engine, conn, who, target, Role.READER)
        items, token = paginate(
            engine,
            ("chunks.list", target.corpus_id, target.document_id),
            request,
            default=limits.DEFAULT_CHUNKS_PAGE_SIZE,
            maximum=limits.MAX_CHUNKS_PAGE_SIZE,
            fetch=lambda after, limit: chunks.list_page(conn, document.rowid, after, limit),
            cursor_of=by_creation,
        )
    now = engine.clock.now()
    return ListChunksResponse(
        chunks=[wire.chunk_to_wire(r, now) for r in items], next_page_token=token
    )


# --- update ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Update:
    chunk_id: str
    text: str | None
    metadata: Metadata | None


def batch_update(
    engine: Engine, who: Principal, request: BatchUpdateChunksRequest
) -> BatchUpdateChunksResponse:
    target = _document_of(request.parent, field="parent")
    updates = [
        _parse_update(target, item, f"requests[{i}]") for i, item in enumerate(request.requests)
    ]
    _once_each([u.chunk_id for u in updates], "requests[{}].chunk.name")
    new_texts = [u.text for u in updates if u.text is not None]
    vectors, blobs = _embed(engine, who, target, new_texts) if new_texts else (None, [])
    with engine.write() as (conn, changes):
        corpus, document = _open(engine, conn, who, target, Role.WRITER)
        old = [engine.chunk(conn, document, u.chunk_id) for u in updates]
        now = engine.clock.now()
        results: list[ChunkRecord] = []
        position = 0
        changed_ids: list[int] = []
        for record, update in zip(old, updates, strict=True):
            blob = None
            if update.text is not None:
                blob = blobs[position]
                position += 1
                changed_ids.append(record.rowid)
            results.append(
                chunks.update(
                    conn,
                    record,
                    text=update.text,
                    vector=blob,
                    custom_metadata=update.metadata,
                    now=now,
                    ready_time=engine.ready_time(now),
                )
            )
        if changed_ids and vectors is not None:
            changes.removed(corpus, changed_ids)
            changes.added(corpus, changed_ids, vectors)
    return BatchUpdateChunksResponse(chunks=[wire.chunk_to_wire(r, now) for r in results])


def _parse_update(target: _Target, item: UpdateChunkRequest, where: str) -> _Update:
    chunk_id = _chunk_id_in(target, item.chunk.name or "", field=f"{where}.chunk.name")
    fields = mask_paths(item.update_mask, _CHUNK_MASK, resource="chunk")
    text = None
    if "data" in fields:
        if item.chunk.data is None:
            raise field_error(f"{where}.chunk.data", "data is required when updateMask has data")
        text = item.chunk.data.string_value
    metadata = (
        wire.metadata_from_wire(item.chunk.custom_metadata, field=f"{where}.chunk.customMetadata")
        if "custom_metadata" in fields
        else None
    )
    return _Update(chunk_id, text, metadata)


def update(engine: Engine, who: Principal, request: UpdateChunkRequest) -> Chunk:
    parsed = parse_name(names.parse_chunk_name, request.chunk.name, field="chunk.name")
    parent = names.document_name(parsed.corpus_id, parsed.document_id)
    batch = BatchUpdateChunksRequest(parent=parent, requests=[request])
    return batch_update(engine, who, batch).chunks[0]


# --- delete ------------------------------------------------------------------------------


def batch_delete(engine: Engine, who: Principal, request: BatchDeleteChunksRequest) -> None:
    target = _document_of(request.parent, field="parent")
    wanted = [
        _chunk_id_in(target, item.name, field=f"requests[{index}].name")
        for index, item in enumerate(request.requests)
    ]
    _once_each(wanted, "requests[{}].name")
    with engine.write() as (conn, changes):
        corpus, document = _open(engine, conn, who, target, Role.WRITER)
        records = [engine.chunk(conn, document, chunk_id) for chunk_id in wanted]
        chunks.delete_many(conn, records)
        changes.removed(corpus, [r.rowid for r in records])


def delete(engine: Engine, who: Principal, request: DeleteChunkRequest) -> None:
    parsed = parse_name(names.parse_chunk_name, request.name, field="name")
    parent = names.document_name(parsed.corpus_id, parsed.document_id)
    batch_delete(engine, who, BatchDeleteChunksRequest(parent=parent, requests=[request]))
