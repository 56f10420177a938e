"""``embedContent`` and ``batchEmbedContents`` (reference §13.2, §13.3)."""

# ruff: noqa: RUF012  (pydantic copies mutable field defaults per instance; ruff only
# recognises direct BaseModel subclasses, not WireModel ones)

from __future__ import annotations

from typing import Annotated, ClassVar

from pydantic import Field, field_validator

from ragkit.types._base import ProtoEnum, WireModel
from ragkit.types.content import Content
from ragkit.types.limits import MAX_EMBED_BATCH

__all__ = [
    "BatchEmbedContentsRequest",
    "BatchEmbedContentsResponse",
    "ContentEmbedding",
    "EmbedContentRequest",
    "EmbedContentResponse",
    "TaskType",
]


class TaskType(ProtoEnum):
    """What an embedding will be used for (not supported by ``embedding-001``)."""

    TASK_TYPE_UNSPECIFIED = "TASK_TYPE_UNSPECIFIED"
    RETRIEVAL_QUERY = "RETRIEVAL_QUERY"
    RETRIEVAL_DOCUMENT = "RETRIEVAL_DOCUMENT"
    SEMANTIC_SIMILARITY = "SEMANTIC_SIMILARITY"
    CLASSIFICATION = "CLASSIFICATION"
    CLUSTERING = "CLUSTERING"
    QUESTION_ANSWERING = "QUESTION_ANSWERING"
    FACT_VERIFICATION = "FACT_VERIFICATION"
    CODE_RETRIEVAL_QUERY = "CODE_RETRIEVAL_QUERY"


class EmbedContentRequest(WireModel):
    """``POST /v1beta/{model=models/*}:embedContent``; also one entry of a batch.

    >>> EmbedContentRequest(content=Content.from_text("hello"),
    ...                     task_type=TaskType.RETRIEVAL_QUERY).task_type.number
    1
    """

    wire_presence: ClassVar[frozenset[str]] = frozenset(
        {"task_type", "title", "output_dimensionality"}
    )
    model: str | None = None
    """``models/{model}``: from the URL; in a batch it must equal the batch's model."""
    content: Content
    """Required. The content to embed; only text parts count."""
    task_type: TaskType | None = None
    """Optional. Intended use of the embedding."""
    title: str | None = None
    """Optional. Title of the text; only with ``RETRIEVAL_DOCUMENT``."""
    output_dimensionality: Annotated[int, Field(ge=1)] | None = None
    """Optional. Truncate the embedding to this many values (newer models)."""


class ContentEmbedding(WireModel):
    """An embedding vector."""

    values: list[float] = []
    """The embedding values."""


class EmbedContentResponse(WireModel):
    """The embedding of one content."""

    embedding: ContentEmbedding | None = None
    """Output only. The embedding."""


class BatchEmbedContentsRequest(WireModel):
    """``POST /v1beta/{model=models/*}:batchEmbedContents``: 1 to 100 requests."""

    model: str | None = None
    """The model (bound from the URL)."""
    requests: list[EmbedContentRequest]
    """Required. The requests; each ``model`` must equal the batch's model."""

    @field_validator("requests")
    @classmethod
    def _batch_size(cls, requests: list[EmbedContentRequest]) -> list[EmbedContentRequest]:
        if not requests:
            raise ValueError("requests must not be empty")
        if len(requests) > MAX_EMBED_BATCH:
            # Google's own wording, observed from the live service.
            raise ValueError(
                f"at most {MAX_EMBED_BATCH} requests can be in one batch "
                f"(requests has {len(requests)} entries)"
            )
        return requests


class BatchEmbedContentsResponse(WireModel):
    """The embeddings, in request order."""

    embeddings: list[ContentEmbedding] = []
    """Output only. One embedding per request."""
