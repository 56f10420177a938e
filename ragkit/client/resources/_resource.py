"""The two resource bases: each holds the client it sends through."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ragkit.client._client import AsyncClient, Client


class SyncResource:
    """A resource of a ``Client``."""

    def __init__(self, client: Client) -> None:
        self._client = client


class AsyncResource:
    """A resource of an ``AsyncClient``."""

    def __init__(self, client: AsyncClient) -> None:
        self._client = client
