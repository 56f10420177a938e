"""``corpora.documents`` methods except query (reference §9.1-9.5)."""

from __future__ import annotations

from ragkit.engine import ids, wire
from ragkit.engine.access import Role
from ragkit.engine.engine import Engine
from ragkit.engine.errors import already_exists, failed_precondition, field_error
from ragkit.engine.handlers.common import (
    by_creation,
    limit_exceeded,
    mask_paths,
    paginate,
    parse_name,
)
from ragkit.engine.principal import Principal
from ragkit.engine.store import documents
from ragkit.types import (
    CreateDocumentRequest,
    DeleteDocumentRequest,
    Document,
    GetDocumentRequest,
    ListDocumentsRequest,
    ListDocumentsResponse,
    UpdateDocumentRequest,
    limits,
    names,
)

_DOCUMENT_MASK = {
    "displayName": "display_name",
    "display_name": "display_name",
    "customMetadata": "custom_metadata",
    "custom_metadata": "custom_metadata",
}


def create(engine: Engine, who: Principal, request: CreateDocumentRequest) -> Document:
    corpus_id = parse_name(names.parse_corpus_name, request.parent, field="parent")
    body = request.document
    chosen = None
    if body.name:
        ids_ = parse_name(names.parse_document_name, body.name, field="document.name")
        if ids_.corpus_id != corpus_id:
            raise field_error(
                "document.name", f"{body.name} is not under the parent corpora/{corpus_id}"
            )
        chosen = ids_.document_id
    custom = wire.metadata_from_wire(body.custom_metadata, field="document.customMetadata")
    with engine.db.write() as conn:
        corpus = engine.corpus(conn, who, corpus_id, Role.WRITER)
        maximum = engine.settings.max_documents_per_corpus
        if corpus.document_count >= maximum:
            raise limit_exceeded(
                f"corpora/{corpus_id}",
                f"A corpus can hold up to {maximum} documents; corpora/{corpus_id} is full.",
            )
        if chosen is not None:
            if documents.get(conn, corpus.rowid, chosen) is not None:
                raise already_exists(f"Document {body.name} already exists.")
            document_id = chosen
        else:
            document_id = ids.slug_id(body.display_name)
            while documents.get(conn, corpus.rowid, document_id) is not None:
                document_id = ids.slug_id(body.display_name)
        documents.insert(
            conn, corpus.rowid, document_id, body.display_name or "", custom, engine.clock.now()
        )
        record = documents.get(conn, corpus.rowid, document_id)
    assert record is not None
    return wire.document_to_wire(record)


def get(engine: Engine, who: Principal, request: GetDocumentRequest) -> Document:
    corpus_id, document_id = parse_name(names.parse_document_name, request.name, field="name")
    with engine.db.read() as conn:
        corpus = engine.corpus(conn, who, corpus_id, Role.READER)
        return wire.document_to_wire(engine.document(conn, corpus, document_id))


def list_(engine: Engine, who: Principal, request: ListDocumentsRequest) -> ListDocumentsResponse:
    corpus_id = parse_name(names.parse_corpus_name, request.parent, field="parent")
    with engine.db.read() as conn:
        corpus = engine.corpus(conn, who, corpus_id, Role.READER)
        items, token = paginate(
            engine,
            ("documents.list", corpus_id),
            request,
            default=limits.DEFAULT_DOCUMENTS_PAGE_SIZE,
            maximum=limits.MAX_DOCUMENTS_PAGE_SIZE,
            fetch=lambda after, limit: documents.list_page(conn, corpus.rowid, after, limit),
            cursor_of=by_creation,
        )
    return ListDocumentsResponse(
        documents=[wire.document_to_wire(r) for r in items], next_page_token=token
    )


def update(engine: Engine, who: Principal, request: UpdateDocumentRequest) -> Document:
    body = request.document
    corpus_id, document_id = parse_name(names.parse_document_name, body.name, field="document.name")
    fields = mask_paths(request.update_mask, _DOCUMENT_MASK, resource="document")
    custom = (
        wire.metadata_from_wire(body.custom_metadata, field="document.customMetadata")
        if "custom_metadata" in fields
        else None
    )
    with engine.db.write() as conn:
        corpus = engine.corpus(conn, who, corpus_id, Role.WRITER)
        record = engine.document(conn, corpus, document_id)
        documents.update(
            conn,
            record,
            display_name=(body.display_name or "") if "display_name" in fields else None,
            custom_metadata=custom,
            now=engine.clock.now(),
        )
        updated = documents.get(conn, corpus.rowid, document_id)
    assert updated is not None
    return wire.document_to_wire(updated)


def delete(engine: Engine, who: Principal, request: DeleteDocumentRequest) -> None:
    corpus_id, document_id = parse_name(names.parse_document_name, request.name, field="name")
    with engine.write() as (conn, changes):
        corpus = engine.corpus(conn, who, corpus_id, Role.WRITER)
        record = engine.document(conn, corpus, document_id)
        if not request.force and documents.has_chunks(conn, record.rowid):
            raise failed_precondition(
                f"Document {request.name} contains chunks; delete them first or pass force=true."
            )
        changes.removed(corpus, documents.delete(conn, record))
