"""Semantic search over a corpus or one document (reference §6.6, §8.6, §9.6)."""

# ruff: noqa: RUF012  (pydantic copies mutable field defaults per instance; ruff only
# recognises direct BaseModel subclasses, not WireModel ones)

from __future__ import annotations

from ragkit.types._base import WireModel
from ragkit.types._fields import CorpusName, DocumentName, ResultsCount
from ragkit.types.chunk import Chunk
from ragkit.types.document import Document
from ragkit.types.metadata import MetadataFilter

__all__ = [
    "QueryCorpusRequest",
    "QueryCorpusResponse",
    "QueryDocumentRequest",
    "QueryDocumentResponse",
    "RelevantChunk",
]


class RelevantChunk(WireModel):
    """One search hit: the chunk, its score and (since 2025-08) its document."""

    chunk_relevance_score: float = 0.0
    """Relevance of the chunk to the query (scale undocumented)."""
    chunk: Chunk | None = None
    """The chunk, with metadata, state and timestamps."""
    document: Document | None = None
    """The chunk's document (added to the proto in Aug 2025)."""


class QueryCorpusRequest(WireModel):
    """``POST /v1beta/{name=corpora/*}:query``.

    >>> QueryCorpusRequest(query="How do I rotate an API key?", results_count=3).results_count
    3
    """

    name: CorpusName | None = None
    """The corpus to query (bound from the URL)."""
    query: str
    """Required. Natural-language query text."""
    metadata_filters: list[MetadataFilter] = []
    """Optional. Document- and/or chunk-level filters (AND-ed; conditions OR-ed)."""
    results_count: ResultsCount | None = None
    """Optional. Chunks to return: 1..100, default 10."""


class QueryCorpusResponse(WireModel):
    """Relevant chunks, by descending score; ``{}`` on the wire when nothing matches."""

    relevant_chunks: list[RelevantChunk] = []
    """The relevant chunks."""


class QueryDocumentRequest(WireModel):
    """``POST /v1beta/{name=corpora/*/documents/*}:query`` (chunk-level filters only)."""

    name: DocumentName | None = None
    """The document to query (bound from the URL)."""
    query: str
    """Required. Natural-language query text."""
    results_count: ResultsCount | None = None
    """Optional. Chunks to return: 1..100, default 10."""
    metadata_filters: list[MetadataFilter] = []
    """Optional. Chunk-level filters (``chunk.custom_metadata.<key>``)."""


class QueryDocumentResponse(WireModel):
    """Relevant chunks of the document, by descending score."""

    relevant_chunks: list[RelevantChunk] = []
    """The relevant chunks."""
