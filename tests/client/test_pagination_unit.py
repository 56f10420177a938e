from __future__ import annotations

from dataclasses import dataclass

import pytest

from ragkit.client._errors import RagkitError
from ragkit.client._pagination import AsyncPager, SyncPager


@dataclass
class Page:
    items: list[int]
    next_page_token: str | None = None


PAGES = {None: Page([1, 2], "t1"), "t1": Page([3], "t2"), "t2": Page([4, 5], "")}


def test_sync_pager_is_lazy_and_follows_tokens() -> None:
    asked: list[str | None] = []

    def fetch(token: str | None) -> Page:
        asked.append(token)
        return PAGES[token]

    pager = SyncPager(fetch, lambda page: page.items)
    assert asked == []
    assert list(pager) == [1, 2, 3, 4, 5]
    assert asked == [None, "t1", "t2"]
    assert [page.items for page in pager.iter_pages()] == [[1, 2], [3], [4, 5]]
    assert pager.first_page().items == [1, 2]


def test_a_repeated_token_stops_instead_of_looping() -> None:
    pager = SyncPager(lambda token: Page([0], "same"), lambda page: page.items)
    with pytest.raises(RagkitError, match="same page token twice"):
        list(pager)


@pytest.mark.anyio
async def test_async_pager_iterates_awaits_and_pages() -> None:
    async def fetch(token: str | None) -> Page:
        return PAGES[token]

    pager = AsyncPager(fetch, lambda page: page.items)
    assert [item async for item in pager] == [1, 2, 3, 4, 5]
    assert (await pager).items == [1, 2]
    assert [page.items async for page in pager.iter_pages()] == [[1, 2], [3], [4, 5]]
