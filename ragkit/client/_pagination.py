"""Auto-paging iterators over Google's ``pageToken`` / ``nextPageToken`` lists.

A list call returns a pager at once and sends nothing until it is iterated, so
``client.corpora.list()`` is cheap and ``for``/``async for`` drive the requests.
Iterating yields items across all pages; ``iter_pages()`` yields each whole list
response (with its ``next_page_token``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Generator, Iterator, Sequence
from typing import Any, Generic, Protocol, TypeVar

from ragkit.client._errors import RagkitError

ItemT = TypeVar("ItemT")
PageT = TypeVar("PageT", bound="HasNextPageToken")


class HasNextPageToken(Protocol):
    """A list response: it carries the token of the next page (empty or ``None`` on the last)."""

    @property
    def next_page_token(self) -> str | None: ...


def _next_token(page: HasNextPageToken, previous: str | None) -> str | None:
    token = page.next_page_token or None
    # A server that hands back the token it was given would loop us forever.
    if token is not None and token == previous:
        raise RagkitError(f"the server returned the same page token twice ({token!r})")
    return token


class SyncPager(Generic[ItemT, PageT]):
    """Items of a paged list, fetched page by page as you iterate.

    >>> for corpus in client.corpora.list(page_size=20):  # doctest: +SKIP
    ...     print(corpus.name)
    >>> first = client.corpora.list().first_page()  # doctest: +SKIP
    """

    def __init__(
        self,
        fetch: Callable[[str | None], PageT],
        items: Callable[[PageT], Sequence[ItemT]],
    ) -> None:
        self._fetch = fetch
        self._items = items

    def first_page(self) -> PageT:
        """Fetch and return only the first page."""
        return self._fetch(None)

    def iter_pages(self) -> Iterator[PageT]:
        """Yield whole list responses, following ``nextPageToken`` to the end."""
        token: str | None = None
        while True:
            page = self._fetch(token)
            yield page
            token = _next_token(page, token)
            if token is None:
                return

    def __iter__(self) -> Iterator[ItemT]:
        for page in self.iter_pages():
            yield from self._items(page)


class AsyncPager(Generic[ItemT, PageT]):
    """The async twin of ``SyncPager``: ``async for`` over items, ``await`` for the first page.

    >>> async for doc in client.corpora.documents.list("corpora/docs"):  # doctest: +SKIP
    ...     print(doc.display_name)
    >>> page = await client.corpora.list()  # doctest: +SKIP
    """

    def __init__(
        self,
        fetch: Callable[[str | None], Awaitable[PageT]],
        items: Callable[[PageT], Sequence[ItemT]],
    ) -> None:
        self._fetch = fetch
        self._items = items

    async def first_page(self) -> PageT:
        """Fetch and return only the first page."""
        return await self._fetch(None)

    def __await__(self) -> Generator[Any, None, PageT]:
        return self.first_page().__await__()

    async def iter_pages(self) -> AsyncIterator[PageT]:
        """Yield whole list responses, following ``nextPageToken`` to the end."""
        token: str | None = None
        while True:
            page = await self._fetch(token)
            yield page
            token = _next_token(page, token)
            if token is None:
                return

    async def _iter_items(self) -> AsyncIterator[ItemT]:
        async for page in self.iter_pages():
            for item in self._items(page):
                yield item

    def __aiter__(self) -> AsyncIterator[ItemT]:
        return self._iter_items()
