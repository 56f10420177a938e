"""``client.corpora.documents``: documents CRUD and ``documents:query`` (section 9)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property

from ragkit.client import _paths
from ragkit.client._base import APICall
from ragkit.client._pagination import AsyncPager, SyncPager
from ragkit.client._types import NOT_GIVEN, NotGiven, given
from ragkit.client.resources import _calls as calls
from ragkit.client.resources._calls import MetadataInput
from ragkit.client.resources._resource import AsyncResource, SyncResource
from ragkit.client.resources.chunks import AsyncChunks, Chunks
from ragkit.types import (
    Document,
    ListDocumentsResponse,
    MetadataFilter,
    QueryDocumentRequest,
    QueryDocumentResponse,
)

ListCall = APICall[ListDocumentsResponse]


def _fields(
    display_name: str | NotGiven | None, custom_metadata: MetadataInput | NotGiven
) -> dict[str, object]:
    fields = given({"display_name": display_name})
    if not isinstance(custom_metadata, NotGiven):
        fields["custom_metadata"] = calls.metadata(custom_metadata)
    return fields


def _create(
    corpus: str,
    name: str | NotGiven,
    display_name: str | NotGiven,
    custom_metadata: MetadataInput | NotGiven,
) -> APICall[Document]:
    parent = _paths.corpus(corpus, what="corpus")
    fields = _fields(display_name, custom_metadata)
    if not isinstance(name, NotGiven):
        fields["name"] = _paths.child(parent, "documents", name, what="name")
    return calls.create(f"{parent}/documents", Document(**fields), Document)


def _list(corpus: str, page_size: int | NotGiven) -> ListCall:
    parent = _paths.corpus(corpus, what="corpus")
    return calls.listing(f"{parent}/documents", ListDocumentsResponse, page_size=page_size)


def _update(
    name: str,
    display_name: str | NotGiven | None,
    custom_metadata: MetadataInput | NotGiven,
) -> APICall[Document]:
    document = Document(**_fields(display_name, custom_metadata))
    return calls.update(_paths.document(name, what="name"), document, Document)


def _query(
    name: str,
    query: str,
    metadata_filters: Sequence[MetadataFilter] | NotGiven,
    results_count: int | NotGiven,
) -> APICall[QueryDocumentResponse]:
    return calls.query(
        _paths.document(name, what="name"),
        QueryDocumentRequest,
        QueryDocumentResponse,
        query=query,
        metadata_filters=metadata_filters,
        results_count=results_count,
    )


def _get(name: str) -> APICall[Document]:
    return calls.get(_paths.document(name, what="name"), Document)


def _delete(name: str, force: bool | NotGiven) -> APICall[None]:
    return calls.delete(_paths.document(name, what="name"), force=force)


def _items(page: ListDocumentsResponse) -> Sequence[Document]:
    return page.documents


class Documents(SyncResource):
    """``client.corpora.documents``: the documents of a corpus.

    ``corpus`` arguments take a full name or a bare corpus ID; ``name`` arguments take
    the document's full name (``"corpora/papers/documents/intro"``), except in
    ``create`` where a bare ID is placed under ``corpus``.
    """

    @cached_property
    def chunks(self) -> Chunks:
        """``client.corpora.documents.chunks``."""
        return Chunks(self._client)

    def create(
        self,
        corpus: str,
        *,
        name: str | NotGiven = NOT_GIVEN,
        display_name: str | NotGiven = NOT_GIVEN,
        custom_metadata: MetadataInput | NotGiven = NOT_GIVEN,
    ) -> Document:
        """Create a document in ``corpus`` (at most 20 metadata entries).

        >>> client.corpora.documents.create(  # doctest: +SKIP
        ...     "papers", name="intro", display_name="Intro", custom_metadata={"year": 2024})
        """
        return self._client._request(_create(corpus, name, display_name, custom_metadata))

    def get(self, name: str) -> Document:
        """Fetch a document by its full name."""
        return self._client._request(_get(name))

    def list(
        self, corpus: str, *, page_size: int | NotGiven = NOT_GIVEN
    ) -> SyncPager[Document, ListDocumentsResponse]:
        """The documents of ``corpus``, oldest first, fetched page by page as you iterate."""
        return self._client._paged(_list(corpus, page_size), _items)

    def update(
        self,
        name: str,
        *,
        display_name: str | NotGiven | None = NOT_GIVEN,
        custom_metadata: MetadataInput | NotGiven = NOT_GIVEN,
    ) -> Document:
        """Change the given fields only; ``custom_metadata`` replaces the whole list."""
        return self._client._request(_update(name, display_name, custom_metadata))

    def delete(self, name: str, *, force: bool | NotGiven = NOT_GIVEN) -> None:
        """Delete a document; one with chunks needs ``force=True``."""
        self._client._request(_delete(name, force))

    def query(
        self,
        name: str,
        *,
        query: str,
        metadata_filters: Sequence[MetadataFilter] | NotGiven = NOT_GIVEN,
        results_count: int | NotGiven = NOT_GIVEN,
    ) -> QueryDocumentResponse:
        """Semantic search within one document (chunk-level filters only)."""
        return self._client._request(_query(name, query, metadata_filters, results_count))


class AsyncDocuments(AsyncResource):
    """The async twin of ``Documents``."""

    @cached_property
    def chunks(self) -> AsyncChunks:
        """``client.corpora.documents.chunks``."""
        return AsyncChunks(self._client)

    async def create(
        self,
        corpus: str,
        *,
        name: str | NotGiven = NOT_GIVEN,
        display_name: str | NotGiven = NOT_GIVEN,
        custom_metadata: MetadataInput | NotGiven = NOT_GIVEN,
    ) -> Document:
        return await self._client._request(_create(corpus, name, display_name, custom_metadata))

    async def get(self, name: str) -> Document:
        return await self._client._request(_get(name))

    def list(
        self, corpus: str, *, page_size: int | NotGiven = NOT_GIVEN
    ) -> AsyncPager[Document, ListDocumentsResponse]:
        return self._client._paged(_list(corpus, page_size), _items)

    async def update(
        self,
        name: str,
        *,
        display_name: str | NotGiven | None = NOT_GIVEN,
        custom_metadata: MetadataInput | NotGiven = NOT_GIVEN,
    ) -> Document:
        return await self._client._request(_update(name, display_name, custom_metadata))

    async def delete(self, name: str, *, force: bool | NotGiven = NOT_GIVEN) -> None:
        await self._client._request(_delete(name, force))

    async def query(
        self,
        name: str,
        *,
        query: str,
        metadata_filters: Sequence[MetadataFilter] | NotGiven = NOT_GIVEN,
        results_count: int | NotGiven = NOT_GIVEN,
    ) -> QueryDocumentResponse:
        return await self._client._request(_query(name, query, metadata_filters, results_count))
