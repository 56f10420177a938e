"""``Chunk`` and the chunk messages, including the batch calls (reference §6.3, §10).

The 2,043-token limit is checked on the request models that create or change chunk text
(``CreateChunkRequest``, ``UpdateChunkRequest`` and their batches), not on every ``Chunk``
parse, so reading responses stays cheap.
"""

# ruff: noqa: RUF012  (pydantic copies mutable field defaults per instance; ruff only
# recognises direct BaseModel subclasses, not WireModel ones)

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Self, TypeVar

from pydantic import AfterValidator, field_validator, model_validator

from ragkit.tokens import count_tokens
from ragkit.types._base import FieldMask, ProtoEnum, Timestamp, WireModel, proto_numbers
from ragkit.types._fields import ChunkName, DocumentName, PageSize, check_count
from ragkit.types.limits import MAX_BATCH_REQUESTS, MAX_CHUNK_TOKENS
from ragkit.types.metadata import CustomMetadataList

__all__ = [
    "BatchCreateChunksRequest",
    "BatchCreateChunksResponse",
    "BatchDeleteChunksRequest",
    "BatchUpdateChunksRequest",
    "BatchUpdateChunksResponse",
    "Chunk",
    "ChunkData",
    "CreateChunkRequest",
    "DeleteChunkRequest",
    "GetChunkRequest",
    "ListChunksRequest",
    "ListChunksResponse",
    "State",
    "UpdateChunkRequest",
    "check_chunk_tokens",
]


_Batch = TypeVar("_Batch", bound=list[Any])


@proto_numbers(STATE_FAILED=10)
class State(ProtoEnum):
    """Lifecycle of a Chunk. Only ``STATE_ACTIVE`` chunks are returned by queries."""

    STATE_UNSPECIFIED = "STATE_UNSPECIFIED"
    STATE_PENDING_PROCESSING = "STATE_PENDING_PROCESSING"
    """Being embedded and stored."""
    STATE_ACTIVE = "STATE_ACTIVE"
    """Processed and available for querying."""
    STATE_FAILED = "STATE_FAILED"
    """Processing failed."""


class ChunkData(WireModel):
    """The text of a chunk (a oneof whose only member is ``string_value``)."""

    wire_presence: ClassVar[frozenset[str]] = frozenset({"string_value"})
    string_value: str
    """The chunk's text: at most 2,043 tokens."""


class Chunk(WireModel):
    """A passage of a Document: the unit that is embedded, searched and cited.

    >>> Chunk(data=ChunkData(string_value="Rotate keys every 90 days.")).data.string_value
    'Rotate keys every 90 days.'
    """

    name: ChunkName | None = None
    """Immutable. ``corpora/{c}/documents/{d}/chunks/{id}``; random 12 characters if empty."""
    data: ChunkData | None = None
    """Required on create. The content; at most 2,043 tokens."""
    custom_metadata: CustomMetadataList = []
    """Optional. At most 20 user-provided entries, queryable by chunk-level filters."""
    create_time: Timestamp | None = None
    """Output only. When the chunk was created."""
    update_time: Timestamp | None = None
    """Output only. When the chunk was last updated."""
    state: State | None = None
    """Output only. Processing state; absent means ``STATE_UNSPECIFIED``."""


def check_chunk_tokens(chunk: Chunk) -> Chunk:
    """Raise ``ValueError`` if ``chunk.data`` has more than 2,043 tokens."""
    if chunk.data is None:
        return chunk
    text = chunk.data.string_value
    # A byte-level BPE token covers at least one UTF-8 byte, so text of at most 2,043 bytes
    # cannot exceed the limit; skip the tokenizer for it (most chunks are far shorter).
    if len(text) <= MAX_CHUNK_TOKENS and len(text.encode("utf-8")) <= MAX_CHUNK_TOKENS:
        return chunk
    tokens = count_tokens(text)
    if tokens > MAX_CHUNK_TOKENS:
        raise ValueError(f"data.stringValue has {tokens} tokens; the limit is {MAX_CHUNK_TOKENS}")
    return chunk


def _one_to_a_hundred(requests: _Batch) -> _Batch:
    return check_count(requests, field="requests", limit=MAX_BATCH_REQUESTS, minimum=1)


class CreateChunkRequest(WireModel):
    """``POST /v1beta/{parent=corpora/*/documents/*}/chunks`` (body: the ``chunk``), and one
    entry of ``chunks:batchCreate``."""

    parent: DocumentName | None = None
    """The document to create the chunk in; in a batch it must equal the URL's parent."""
    chunk: Chunk
    """Required. The chunk to create; ``data`` is required."""

    @field_validator("chunk")
    @classmethod
    def _data_within_limit(cls, chunk: Chunk) -> Chunk:
        if chunk.data is None:
            raise ValueError("data is required to create a chunk")
        return check_chunk_tokens(chunk)


class BatchCreateChunksRequest(WireModel):
    """``POST /v1beta/{parent=corpora/*/documents/*}/chunks:batchCreate``: 1 to 100 chunks."""

    parent: DocumentName | None = None
    """Optional. The document (bound from the URL)."""
    requests: Annotated[list[CreateChunkRequest], AfterValidator(_one_to_a_hundred)]
    """Required. 1 to 100 create requests, all under ``parent``."""


class BatchCreateChunksResponse(WireModel):
    """The created chunks, in request order."""

    chunks: list[Chunk] = []
    """The created chunks."""


class GetChunkRequest(WireModel):
    """``GET /v1beta/{name=corpora/*/documents/*/chunks/*}``."""

    name: ChunkName
    """Required. ``corpora/{c}/documents/{d}/chunks/{k}``."""


class ListChunksRequest(WireModel):
    """``GET /v1beta/{parent=corpora/*/documents/*}/chunks?pageSize=&pageToken=``."""

    parent: DocumentName | None = None
    """The document (bound from the URL)."""
    page_size: PageSize | None = None
    """Optional. Chunks per page: default 10, maximum 100."""
    page_token: str | None = None
    """Optional. ``nextPageToken`` of the previous page."""


class ListChunksResponse(WireModel):
    """A page of chunks (any state), ascending by ``createTime``."""

    chunks: list[Chunk] = []
    """The chunks."""
    next_page_token: str | None = None
    """Token of the next page; absent on the last page."""


class UpdateChunkRequest(WireModel):
    """``PATCH /v1beta/{chunk.name=...chunks/*}?updateMask=`` and one entry of
    ``chunks:batchUpdate``. Updating ``data`` sends the chunk back to pending."""

    chunk: Chunk
    """Required. The chunk with the new values (``name`` identifies it)."""
    update_mask: FieldMask
    """Required. ``customMetadata`` and/or ``data``."""

    @field_validator("chunk")
    @classmethod
    def _data_within_limit(cls, chunk: Chunk) -> Chunk:
        return check_chunk_tokens(chunk)


class BatchUpdateChunksRequest(WireModel):
    """``POST /v1beta/{parent=corpora/*/documents/*}/chunks:batchUpdate``: 1 to 100 updates."""

    parent: DocumentName | None = None
    """Optional. The document (bound from the URL)."""
    requests: Annotated[list[UpdateChunkRequest], AfterValidator(_one_to_a_hundred)]
    """Required. 1 to 100 update requests; every ``chunk.name`` is required."""

    @model_validator(mode="after")
    def _names_given(self) -> Self:
        for index, request in enumerate(self.requests):
            if request.chunk.name is None:
                raise ValueError(f"requests[{index}].chunk.name is required in a batch update")
        return self


class BatchUpdateChunksResponse(WireModel):
    """The updated chunks, in request order."""

    chunks: list[Chunk] = []
    """The updated chunks."""


class DeleteChunkRequest(WireModel):
    """``DELETE /v1beta/{name=corpora/*/documents/*/chunks/*}`` and one entry of
    ``chunks:batchDelete``."""

    name: ChunkName
    """Required. ``corpora/{c}/documents/{d}/chunks/{k}``."""


class BatchDeleteChunksRequest(WireModel):
    """``POST /v1beta/{parent=corpora/*/documents/*}/chunks:batchDelete``.

    No maximum is documented for deletes, so only an empty batch is rejected here; the
    engine decides whether to cap it.
    """

    parent: DocumentName | None = None
    """Optional. The document (bound from the URL)."""
    requests: list[DeleteChunkRequest]
    """Required. The chunks to delete (at least one)."""

    @field_validator("requests")
    @classmethod
    def _not_empty(cls, requests: list[DeleteChunkRequest]) -> list[DeleteChunkRequest]:
        return check_count(requests, field="requests", limit=len(requests), minimum=1)
