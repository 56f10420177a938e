"""Server-sent events for ``:streamGenerateContent?alt=sse``.

Google sends one JSON ``GenerateContentResponse`` per event (``data: {...}``
followed by a blank line). An error after the stream has started arrives as an
event holding ``{"error": {...}}``; it is raised as the matching
``RagkitAPIError``.
"""

from __future__ import annotations

import json
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Generator, Iterator
from types import TracebackType
from typing import Any, Generic, TypeVar

import httpx

from ragkit.client._errors import RagkitError, error_from_status_payload

T = TypeVar("T")


class SSEDecoder:
    """Turns lines of an event stream into the ``data`` payload of each event.

    >>> decoder = SSEDecoder()
    >>> [decoder.feed(line) for line in ['data: {"a":', "data: 1}", ""]]
    [None, None, '{"a":\\n1}']
    """

    def __init__(self) -> None:
        self._data: list[str] = []

    def feed(self, line: str) -> str | None:
        """Consume one line; return the event's data when a blank line ends it."""
        line = line.rstrip("\r\n")
        if not line:
            return self.flush()
        if line.startswith(":"):  # a comment / keep-alive
            return None
        field, _, value = line.partition(":")
        if field == "data":
            self._data.append(value[1:] if value.startswith(" ") else value)
        # event/id/retry fields carry nothing this API uses.
        return None

    def flush(self) -> str | None:
        """Return any pending event data (a stream may end without a blank line)."""
        if not self._data:
            return None
        data, self._data = "\n".join(self._data), []
        return data


def _decode_event(data: str, parse: Callable[[Any], T], response: httpx.Response) -> T:
    try:
        payload = json.loads(data)
    except ValueError as exc:
        raise RagkitError(f"the stream sent an event that is not JSON: {data[:200]!r}") from exc
    if isinstance(payload, dict) and isinstance(payload.get("error"), dict):
        raise error_from_status_payload(payload["error"], response=response)
    return parse(payload)


class Stream(Generic[T]):
    """A one-pass iterator over streamed responses; closes the connection when done.

    Example (``client`` is a ``Client``)::

        with client.models.stream_generate_content("gemini-2.0-flash", contents="Hi") as s:
            for response in s:
                print(response.candidates[0].content.text, end="")
    """

    def __init__(self, response: httpx.Response, parse: Callable[[Any], T]) -> None:
        self.response = response
        self._iterator = self._events(parse)

    def _events(self, parse: Callable[[Any], T]) -> Generator[T, None, None]:
        decoder = SSEDecoder()
        try:
            for line in self.response.iter_lines():
                data = decoder.feed(line)
                if data is not None:
                    yield _decode_event(data, parse, self.response)
            data = decoder.flush()
            if data is not None:
                yield _decode_event(data, parse, self.response)
        finally:
            self.response.close()

    def __iter__(self) -> Iterator[T]:
        return self

    def __next__(self) -> T:
        return next(self._iterator)

    def close(self) -> None:
        """Stop reading and release the connection."""
        self._iterator.close()
        self.response.close()

    def __enter__(self) -> Stream[T]:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class AsyncStream(Generic[T]):
    """The async twin of ``Stream``: ``async for`` and ``async with``."""

    def __init__(self, response: httpx.Response, parse: Callable[[Any], T]) -> None:
        self.response = response
        self._iterator = self._events(parse)

    async def _events(self, parse: Callable[[Any], T]) -> AsyncGenerator[T, None]:
        decoder = SSEDecoder()
        try:
            async for line in self.response.aiter_lines():
                data = decoder.feed(line)
                if data is not None:
                    yield _decode_event(data, parse, self.response)
            data = decoder.flush()
            if data is not None:
                yield _decode_event(data, parse, self.response)
        finally:
            await self.response.aclose()

    def __aiter__(self) -> AsyncIterator[T]:
        return self

    async def __anext__(self) -> T:
        return await anext(self._iterator)

    async def close(self) -> None:
        """Stop reading and release the connection."""
        await self._iterator.aclose()
        await self.response.aclose()

    async def __aenter__(self) -> AsyncStream[T]:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()
