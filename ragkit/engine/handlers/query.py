"""``corpora:query`` and ``documents:query`` (reference §8.6, §9.6, §7)."""

from __future__ import annotations

from collections.abc import Sequence

from ragkit.engine import wire
from ragkit.engine.access import Role
from ragkit.engine.engine import Engine
from ragkit.engine.errors import field_error
from ragkit.engine.handlers.common import parse_name
from ragkit.engine.principal import Principal
from ragkit.engine.retrieval import Hit, retrieve
from ragkit.engine.store import documents
from ragkit.engine.store.filters import Filter
from ragkit.engine.store.records import DocumentRecord
from ragkit.types import (
    MetadataFilter,
    QueryCorpusRequest,
    QueryCorpusResponse,
    QueryDocumentRequest,
    QueryDocumentResponse,
    RelevantChunk,
    limits,
    names,
)


def search(
    engine: Engine,
    who: Principal,
    corpus_id: str,
    document_id: str | None,
    query: str,
    *,
    k: int,
    metadata_filters: Sequence[MetadataFilter],
    field: str = "metadataFilters",
) -> list[tuple[Hit, DocumentRecord]]:
    """Access-checked hybrid search of a corpus or one of its documents (READER needed).

    Each hit comes with its document, read in the same snapshot.
    """
    parsed: list[Filter] = wire.filters_from_wire(
        metadata_filters,
        field=field,
        allow_document_keys=document_id is None,
        strict_keys=engine.settings.strict_filter_keys,
    )
    with engine.db.read() as conn:
        corpus = engine.corpus(conn, who, corpus_id, Role.READER)
        if document_id is not None:
            engine.document(conn, corpus, document_id)
    # Embed outside any transaction: it is the slow step and needs no snapshot.
    vector = engine.search.embedder(corpus).embed_query(query)
    with engine.db.read() as conn:
        corpus = engine.corpus(conn, who, corpus_id, Role.READER)
        document = engine.document(conn, corpus, document_id) if document_id else None
        hits = retrieve(
            engine, conn, corpus, query, vector, k=k, metadata_filters=parsed, document=document
        )
        parents = documents.get_many(conn, sorted({h.chunk.document_rowid for h in hits}))
    return [(hit, parents[hit.chunk.document_rowid]) for hit in hits]


def relevant_chunks(engine: Engine, found: list[tuple[Hit, DocumentRecord]]) -> list[RelevantChunk]:
    now = engine.clock.now()
    return [
        RelevantChunk(
            chunk_relevance_score=hit.score,
            chunk=wire.chunk_to_wire(hit.chunk, now),
            document=wire.document_to_wire(document),
        )
        for hit, document in found
    ]


def _answer(
    engine: Engine,
    who: Principal,
    corpus_id: str,
    document_id: str | None,
    request: QueryCorpusRequest | QueryDocumentRequest,
) -> list[RelevantChunk]:
    if not request.query.strip():
        raise field_error("query", "query must not be empty")
    found = search(
        engine,
        who,
        corpus_id,
        document_id,
        request.query,
        k=request.results_count or limits.DEFAULT_RESULTS_COUNT,
        metadata_filters=request.metadata_filters,
    )
    return relevant_chunks(engine, found)


def query_corpus(
    engine: Engine, who: Principal, request: QueryCorpusRequest
) -> QueryCorpusResponse:
    corpus_id = parse_name(names.parse_corpus_name, request.name, field="name")
    return QueryCorpusResponse(relevant_chunks=_answer(engine, who, corpus_id, None, request))


def query_document(
    engine: Engine, who: Principal, request: QueryDocumentRequest
) -> QueryDocumentResponse:
    corpus_id, document_id = parse_name(names.parse_document_name, request.name, field="name")
    return QueryDocumentResponse(
        relevant_chunks=_answer(engine, who, corpus_id, document_id, request)
    )
