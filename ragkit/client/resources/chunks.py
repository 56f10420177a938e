"""``client.corpora.documents.chunks``: chunk CRUD and the batch calls (section 10)."""

from __future__ import annotations

from collections.abc import Sequence

from ragkit.client import _paths
from ragkit.client._base import APICall
from ragkit.client._pagination import AsyncPager, SyncPager
from ragkit.client._types import NOT_GIVEN, NotGiven
from ragkit.client.resources import _calls as calls
from ragkit.client.resources._calls import ChunkInput, MetadataInput
from ragkit.client.resources._resource import AsyncResource, SyncResource
from ragkit.types import (
    BatchCreateChunksRequest,
    BatchCreateChunksResponse,
    BatchDeleteChunksRequest,
    BatchUpdateChunksRequest,
    BatchUpdateChunksResponse,
    Chunk,
    ChunkData,
    CreateChunkRequest,
    DeleteChunkRequest,
    ListChunksResponse,
    UpdateChunkRequest,
    update_mask_for,
)

ListCall = APICall[ListChunksResponse]
UpdateInput = Chunk | UpdateChunkRequest
"""A chunk carrying its name and the fields to change (the mask is derived), or a
request with an explicit ``update_mask``."""


def _fields(
    data: str | ChunkData | NotGiven, custom_metadata: MetadataInput | NotGiven
) -> dict[str, object]:
    fields: dict[str, object] = {}
    if not isinstance(data, NotGiven):
        fields["data"] = ChunkData(string_value=data) if isinstance(data, str) else data
    if not isinstance(custom_metadata, NotGiven):
        fields["custom_metadata"] = calls.metadata(custom_metadata)
    return fields


def _named_under(document: str, chunk: Chunk, *, what: str) -> Chunk:
    if chunk.name is not None:
        _paths.child(document, "chunks", chunk.name, what=what)
    return chunk


def _create(
    document: str,
    data: str | ChunkData,
    name: str | NotGiven,
    custom_metadata: MetadataInput | NotGiven,
) -> APICall[Chunk]:
    parent = _paths.document(document, what="document")
    fields = _fields(data, custom_metadata)
    if not isinstance(name, NotGiven):
        fields["name"] = _paths.child(parent, "chunks", name, what="name")
    # The request model checks the 2,043-token limit before anything is sent.
    request = CreateChunkRequest(parent=parent, chunk=Chunk(**fields))
    return calls.create(f"{parent}/chunks", request.chunk, Chunk)


def _list(document: str, page_size: int | NotGiven) -> ListCall:
    parent = _paths.document(document, what="document")
    return calls.listing(f"{parent}/chunks", ListChunksResponse, page_size=page_size)


def _update(
    name: str, data: str | ChunkData | NotGiven, custom_metadata: MetadataInput | NotGiven
) -> APICall[Chunk]:
    path = _paths.chunk(name, what="name")
    chunk = Chunk(**_fields(data, custom_metadata))
    UpdateChunkRequest(chunk=chunk, update_mask=update_mask_for(chunk))  # token limit
    return calls.update(path, chunk, Chunk)


def _batch_create(
    document: str, chunks: Sequence[ChunkInput]
) -> APICall[BatchCreateChunksResponse]:
    parent = _paths.document(document, what="document")
    items = [
        _named_under(parent, calls.chunk(item), what=f"chunks[{index}].name")
        for index, item in enumerate(chunks)
    ]
    request = BatchCreateChunksRequest(
        requests=[CreateChunkRequest(parent=parent, chunk=item) for item in items]
    )
    # All named: a repeat can only collide (409). Any unnamed: a repeat may duplicate.
    safety = calls.IDEMPOTENT if all(item.name for item in items) else calls.UNSAFE
    return calls.post(
        f"{parent}/chunks:batchCreate",
        request,
        BatchCreateChunksResponse.model_validate,
        safety=safety,
    )


def _as_update(item: UpdateInput) -> UpdateChunkRequest:
    if isinstance(item, UpdateChunkRequest):
        return item
    return UpdateChunkRequest(chunk=item, update_mask=update_mask_for(item))


def _batch_update(
    document: str, chunks: Sequence[UpdateInput]
) -> APICall[BatchUpdateChunksResponse]:
    parent = _paths.document(document, what="document")
    requests = [_as_update(item) for item in chunks]
    for index, request in enumerate(requests):
        if request.chunk.name is None:
            raise ValueError(f"chunks[{index}].name is required to update a chunk")
        _named_under(parent, request.chunk, what=f"chunks[{index}].name")
        if not request.update_mask:
            raise ValueError(f"chunks[{index}] sets no field to update")
    batch = BatchUpdateChunksRequest(requests=requests)
    return calls.post(
        f"{parent}/chunks:batchUpdate", batch, BatchUpdateChunksResponse.model_validate
    )


def _batch_delete(document: str, names: Sequence[str]) -> APICall[None]:
    parent = _paths.document(document, what="document")
    requests = [
        DeleteChunkRequest(name=_paths.child(parent, "chunks", name, what=f"names[{index}]"))
        for index, name in enumerate(names)
    ]
    batch = BatchDeleteChunksRequest(requests=requests)
    return calls.post(f"{parent}/chunks:batchDelete", batch, calls.parse_empty)


def _get(name: str) -> APICall[Chunk]:
    return calls.get(_paths.chunk(name, what="name"), Chunk)


def _delete(name: str) -> APICall[None]:
    return calls.delete(_paths.chunk(name, what="name"))


def _items(page: ListChunksResponse) -> Sequence[Chunk]:
    return page.chunks


class Chunks(SyncResource):
    """``client.corpora.documents.chunks``: the passages of a document.

    ``document`` arguments and ``name`` arguments are full resource names; a bare ID
    is accepted for the ``name`` of a new chunk and in ``batch_delete``'s ``names``.
    Text is limited to 2,043 tokens a chunk and batches to 100 chunks; both are
    checked before sending.
    """

    def create(
        self,
        document: str,
        *,
        data: str | ChunkData,
        name: str | NotGiven = NOT_GIVEN,
        custom_metadata: MetadataInput | NotGiven = NOT_GIVEN,
    ) -> Chunk:
        """Create one chunk (prefer ``batch_create`` for many).

        >>> client.corpora.documents.chunks.create(  # doctest: +SKIP
        ...     "corpora/papers/documents/intro", data="Rotate keys every 90 days.",
        ...     custom_metadata={"page": 3})
        """
        return self._client._request(_create(document, data, name, custom_metadata))

    def get(self, name: str) -> Chunk:
        """Fetch a chunk by its full name."""
        return self._client._request(_get(name))

    def list(
        self, document: str, *, page_size: int | NotGiven = NOT_GIVEN
    ) -> SyncPager[Chunk, ListChunksResponse]:
        """The chunks of ``document`` in any state, oldest first (``page_size`` <= 100)."""
        return self._client._paged(_list(document, page_size), _items)

    def update(
        self,
        name: str,
        *,
        data: str | ChunkData | NotGiven = NOT_GIVEN,
        custom_metadata: MetadataInput | NotGiven = NOT_GIVEN,
    ) -> Chunk:
        """Change the given fields; new ``data`` sends the chunk back to pending."""
        return self._client._request(_update(name, data, custom_metadata))

    def delete(self, name: str) -> None:
        """Delete one chunk."""
        self._client._request(_delete(name))

    def batch_create(
        self, document: str, *, chunks: Sequence[ChunkInput]
    ) -> BatchCreateChunksResponse:
        """Create 1 to 100 chunks in one call; returns them in request order.

        >>> client.corpora.documents.chunks.batch_create(  # doctest: +SKIP
        ...     "corpora/papers/documents/intro", chunks=["First passage.", "Second passage."])
        """
        return self._client._request(_batch_create(document, chunks))

    def batch_update(
        self, document: str, *, chunks: Sequence[UpdateInput]
    ) -> BatchUpdateChunksResponse:
        """Update 1 to 100 chunks; each ``Chunk`` names itself and carries the new fields.

        >>> client.corpora.documents.chunks.batch_update(  # doctest: +SKIP
        ...     doc, chunks=[Chunk(name=f"{doc}/chunks/intro", custom_metadata=[...])])
        """
        return self._client._request(_batch_update(document, chunks))

    def batch_delete(self, document: str, *, names: Sequence[str]) -> None:
        """Delete chunks of ``document`` by full name or bare ID."""
        self._client._request(_batch_delete(document, names))


class AsyncChunks(AsyncResource):
    """The async twin of ``Chunks``."""

    async def create(
        self,
        document: str,
        *,
        data: str | ChunkData,
        name: str | NotGiven = NOT_GIVEN,
        custom_metadata: MetadataInput | NotGiven = NOT_GIVEN,
    ) -> Chunk:
        return await self._client._request(_create(document, data, name, custom_metadata))

    async def get(self, name: str) -> Chunk:
        return await self._client._request(_get(name))

    def list(
        self, document: str, *, page_size: int | NotGiven = NOT_GIVEN
    ) -> AsyncPager[Chunk, ListChunksResponse]:
        return self._client._paged(_list(document, page_size), _items)

    async def update(
        self,
        name: str,
        *,
        data: str | ChunkData | NotGiven = NOT_GIVEN,
        custom_metadata: MetadataInput | NotGiven = NOT_GIVEN,
    ) -> Chunk:
        return await self._client._request(_update(name, data, custom_metadata))

    async def delete(self, name: str) -> None:
        await self._client._request(_delete(name))

    async def batch_create(
        self, document: str, *, chunks: Sequence[ChunkInput]
    ) -> BatchCreateChunksResponse:
        return await self._client._request(_batch_create(document, chunks))

    async def batch_update(
        self, document: str, *, chunks: Sequence[UpdateInput]
    ) -> BatchUpdateChunksResponse:
        return await self._client._request(_batch_update(document, chunks))

    async def batch_delete(self, document: str, *, names: Sequence[str]) -> None:
        await self._client._request(_batch_delete(document, names))
