"""Asking ragkit's engine for one ranker: BM25 alone, vectors alone, or their fusion.

The engine honours a request header, ``x-ragkit-retrieval: lexical | dense | hybrid``,
on ``corpora:query`` and echoes it on the response (reference extension, see
``docs/engine-choices.md``). Google ignores unknown headers and echoes nothing, so a
caller that compares rankers checks the echo rather than pass off fused scores under
another name: :class:`RankerEcho` records it.

Example::

    client, echo = ranker_client(load_settings(), "lexical")
    hits = client.corpora.query("corpora/papers", query="key rotation")
    echo.check("local")  # raises UnsupportedRetrievalError if the backend ignored it
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final, Literal

import httpx

from ragkit.client import RagkitError

if TYPE_CHECKING:
    from ragkit.client import AsyncClient, Client
    from ragkit.config import Settings

__all__ = [
    "RETRIEVAL_HEADER",
    "RankerEcho",
    "RetrievalMode",
    "UnsupportedRetrievalError",
    "async_ranker_client",
    "ranker_client",
]

RetrievalMode = Literal["hybrid", "lexical", "dense"]
"""The rankers ragkit's engine can be asked for: fused (its default), BM25 only, vectors only."""
RETRIEVAL_HEADER: Final = "x-ragkit-retrieval"
"""Request header choosing the engine's ranker; the engine echoes it on the response."""


class UnsupportedRetrievalError(RagkitError):
    """The backend ignored the request for one ranker (Google, or an engine without it)."""


class RankerEcho:
    """Remembers the ranker header the last response carried back."""

    def __init__(self, mode: RetrievalMode) -> None:
        self.mode = mode
        self.seen: str | None = None

    def __call__(self, response: httpx.Response) -> None:
        self.seen = response.headers.get(RETRIEVAL_HEADER)

    async def async_hook(self, response: httpx.Response) -> None:
        """The same, as an ``httpx.AsyncClient`` event hook."""
        self(response)

    @property
    def honoured(self) -> bool:
        """Whether the last response was ranked as asked."""
        return self.seen == self.mode

    def check(self, backend: str) -> None:
        """Raise :class:`UnsupportedRetrievalError` unless the last response honoured it."""
        if not self.honoured:
            raise UnsupportedRetrievalError(
                f"the {backend} backend ignored {RETRIEVAL_HEADER}: {self.mode!r} retrieval "
                "needs a ragkit engine that can choose its ranker (Google cannot)"
            )


def ranker_client(settings: Settings, mode: RetrievalMode) -> tuple[Client, RankerEcho]:
    """A sync client for ``settings`` whose requests ask for ``mode``, and its echo."""
    echo = RankerEcho(mode)
    client = settings.client(
        default_headers={RETRIEVAL_HEADER: mode}, event_hooks={"response": [echo]}
    )
    return client, echo


def async_ranker_client(settings: Settings, mode: RetrievalMode) -> tuple[AsyncClient, RankerEcho]:
    """The async twin of :func:`ranker_client`."""
    echo = RankerEcho(mode)
    client = settings.async_client(
        default_headers={RETRIEVAL_HEADER: mode}, event_hooks={"response": [echo.async_hook]}
    )
    return client, echo
