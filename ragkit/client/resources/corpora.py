"""``client.corpora``: corpora CRUD and ``corpora:query`` (reference section 8)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property

from ragkit.client import _paths
from ragkit.client._base import APICall
from ragkit.client._pagination import AsyncPager, SyncPager
from ragkit.client._types import NOT_GIVEN, NotGiven, given
from ragkit.client.resources import _calls as calls
from ragkit.client.resources._resource import AsyncResource, SyncResource
from ragkit.client.resources.documents import AsyncDocuments, Documents
from ragkit.client.resources.operations import AsyncOperations, Operations
from ragkit.client.resources.permissions import AsyncPermissions, Permissions
from ragkit.types import (
    Corpus,
    ListCorporaResponse,
    MetadataFilter,
    QueryCorpusRequest,
    QueryCorpusResponse,
)

ListCall = APICall[ListCorporaResponse]


def _create(name: str | NotGiven, display_name: str | NotGiven) -> APICall[Corpus]:
    fields = given({"display_name": display_name})
    if not isinstance(name, NotGiven):
        fields["name"] = _paths.corpus(name, what="name")
    return calls.create("corpora", Corpus(**fields), Corpus)


def _update(name: str, display_name: str | NotGiven | None) -> APICall[Corpus]:
    corpus = Corpus(**given({"display_name": display_name}))
    return calls.update(_paths.corpus(name, what="name"), corpus, Corpus)


def _query(
    name: str,
    query: str,
    metadata_filters: Sequence[MetadataFilter] | NotGiven,
    results_count: int | NotGiven,
) -> APICall[QueryCorpusResponse]:
    return calls.query(
        _paths.corpus(name, what="name"),
        QueryCorpusRequest,
        QueryCorpusResponse,
        query=query,
        metadata_filters=metadata_filters,
        results_count=results_count,
    )


def _items(page: ListCorporaResponse) -> Sequence[Corpus]:
    return page.corpora


class Corpora(SyncResource):
    """``client.corpora``: create, get, list, update, delete and query corpora.

    A corpus argument is a full name (``"corpora/papers"``) or its bare ID (``"papers"``).
    """

    @cached_property
    def documents(self) -> Documents:
        """``client.corpora.documents`` (and ``.chunks`` below it)."""
        return Documents(self._client)

    @cached_property
    def permissions(self) -> Permissions:
        """``client.corpora.permissions``."""
        return Permissions(self._client)

    @cached_property
    def operations(self) -> Operations:
        """``client.corpora.operations``."""
        return Operations(self._client)

    def create(
        self, *, name: str | NotGiven = NOT_GIVEN, display_name: str | NotGiven = NOT_GIVEN
    ) -> Corpus:
        """Create a corpus; without ``name`` the server makes one from ``display_name``.

        >>> client.corpora.create(name="papers", display_name="Papers").name  # doctest: +SKIP
        'corpora/papers'
        """
        return self._client._request(_create(name, display_name))

    def get(self, name: str) -> Corpus:
        """Fetch a corpus. Google answers 403, not 404, for one that does not exist."""
        return self._client._request(calls.get(_paths.corpus(name, what="name"), Corpus))

    def list(
        self, *, page_size: int | NotGiven = NOT_GIVEN
    ) -> SyncPager[Corpus, ListCorporaResponse]:
        """The caller's corpora, oldest first; iterate it to page through them all.

        >>> [c.name for c in client.corpora.list()]  # doctest: +SKIP
        ['corpora/papers']
        """
        call: ListCall = calls.listing("corpora", ListCorporaResponse, page_size=page_size)
        return self._client._paged(call, _items)

    def update(self, name: str, *, display_name: str | NotGiven | None = NOT_GIVEN) -> Corpus:
        """Change the display name (the only updatable field); ``None`` clears it."""
        return self._client._request(_update(name, display_name))

    def delete(self, name: str, *, force: bool | NotGiven = NOT_GIVEN) -> None:
        """Delete a corpus; a non-empty one needs ``force=True`` (else FailedPreconditionError)."""
        self._client._request(calls.delete(_paths.corpus(name, what="name"), force=force))

    def query(
        self,
        name: str,
        *,
        query: str,
        metadata_filters: Sequence[MetadataFilter] | NotGiven = NOT_GIVEN,
        results_count: int | NotGiven = NOT_GIVEN,
    ) -> QueryCorpusResponse:
        """Semantic search over a corpus's active chunks, best first (``results_count`` <= 100).

        Example::

            hits = client.corpora.query("papers", query="key rotation", results_count=3)
            best = hits.relevant_chunks[0].chunk
        """
        return self._client._request(_query(name, query, metadata_filters, results_count))


class AsyncCorpora(AsyncResource):
    """The async twin of ``Corpora``."""

    @cached_property
    def documents(self) -> AsyncDocuments:
        """``client.corpora.documents`` (and ``.chunks`` below it)."""
        return AsyncDocuments(self._client)

    @cached_property
    def permissions(self) -> AsyncPermissions:
        """``client.corpora.permissions``."""
        return AsyncPermissions(self._client)

    @cached_property
    def operations(self) -> AsyncOperations:
        """``client.corpora.operations``."""
        return AsyncOperations(self._client)

    async def create(
        self, *, name: str | NotGiven = NOT_GIVEN, display_name: str | NotGiven = NOT_GIVEN
    ) -> Corpus:
        return await self._client._request(_create(name, display_name))

    async def get(self, name: str) -> Corpus:
        return await self._client._request(calls.get(_paths.corpus(name, what="name"), Corpus))

    def list(
        self, *, page_size: int | NotGiven = NOT_GIVEN
    ) -> AsyncPager[Corpus, ListCorporaResponse]:
        call: ListCall = calls.listing("corpora", ListCorporaResponse, page_size=page_size)
        return self._client._paged(call, _items)

    async def update(self, name: str, *, display_name: str | NotGiven | None = NOT_GIVEN) -> Corpus:
        return await self._client._request(_update(name, display_name))

    async def delete(self, name: str, *, force: bool | NotGiven = NOT_GIVEN) -> None:
        await self._client._request(calls.delete(_paths.corpus(name, what="name"), force=force))

    async def query(
        self,
        name: str,
        *,
        query: str,
        metadata_filters: Sequence[MetadataFilter] | NotGiven = NOT_GIVEN,
        results_count: int | NotGiven = NOT_GIVEN,
    ) -> QueryCorpusResponse:
        return await self._client._request(_query(name, query, metadata_filters, results_count))
