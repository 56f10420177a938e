"""Helpers for the client tests: a recording MockTransport and client factories."""

from __future__ import annotations

import inspect
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx

from ragkit.client import AsyncClient, AsyncPager, AsyncStream, Client, Stream, SyncPager
from ragkit.client.resources._resource import AsyncResource, SyncResource

BASE_URL = "https://example.test"
API_KEY = "test-key"

Reply = httpx.Response | dict[str, Any] | Callable[[httpx.Request], httpx.Response]


@dataclass
class Recorder:
    """A MockTransport handler that records requests and replays scripted replies.

    The last reply repeats once the script runs out.
    """

    replies: list[Reply] = field(default_factory=list)
    requests: list[httpx.Request] = field(default_factory=list)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        index = min(len(self.requests), len(self.replies)) - 1
        reply = self.replies[index] if self.replies else {}
        if callable(reply) and not isinstance(reply, httpx.Response):
            return reply(request)
        if isinstance(reply, httpx.Response):
            # A fresh copy: a response's stream is bound to the first (sync or async) reader.
            return httpx.Response(reply.status_code, headers=reply.headers, content=reply.content)
        return httpx.Response(200, json=reply)

    @property
    def last(self) -> httpx.Request:
        return self.requests[-1]


def refuse(request: httpx.Request) -> httpx.Response:
    """A handler for tests that must fail before anything is sent."""
    raise AssertionError(f"nothing should be sent, got {request.method} {request.url}")


def sync_client(handler: Callable[[httpx.Request], httpx.Response], **options: Any) -> Client:
    options.setdefault("base_url", BASE_URL)
    options.setdefault("api_key", API_KEY)
    return Client(transport=httpx.MockTransport(handler), **options)


def async_client(handler: Callable[[httpx.Request], httpx.Response], **options: Any) -> AsyncClient:
    options.setdefault("base_url", BASE_URL)
    options.setdefault("api_key", API_KEY)
    return AsyncClient(transport=httpx.MockTransport(handler), **options)


def make_client(
    mode: str, handler: Callable[[httpx.Request], httpx.Response], **options: Any
) -> Any:
    return (sync_client if mode == "sync" else async_client)(handler, **options)


async def resolve(result: Any) -> Any:
    """Finish a client call whatever its shape: await, drain a pager or a stream."""
    if inspect.isawaitable(result) and not isinstance(result, AsyncPager):
        result = await result
    if isinstance(result, SyncPager | Stream):
        return list(result)
    if isinstance(result, AsyncPager | AsyncStream):
        return [item async for item in result]
    return result


def record_sleeps(client: Any) -> list[float]:
    """Replace the client's sleep with one that only records the delays."""
    delays: list[float] = []
    if isinstance(client, Client):
        client._sleep = delays.append
    else:

        async def sleep(seconds: float) -> None:
            delays.append(seconds)

        client._sleep = sleep
    return delays


async def close(client: Any) -> None:
    if isinstance(client, Client):
        client.close()
    else:
        await client.close()


async def run(
    mode: str,
    handler: Callable[[httpx.Request], httpx.Response],
    call: Callable[[Any], Any],
    **options: Any,
) -> Any:
    """Make a client of ``mode``, run ``call`` on it, close it and return the result."""
    client = make_client(mode, handler, **options)
    try:
        return await resolve(call(client))
    finally:
        await close(client)


def body_of(request: httpx.Request) -> Any:
    return json.loads(request.content) if request.content else None


def query_of(request: httpx.Request) -> dict[str, str]:
    return dict(request.url.params.multi_items())


def sse(events: Iterable[dict[str, Any]]) -> Callable[[httpx.Request], httpx.Response]:
    """A reply streaming ``events`` as server-sent events (a fresh body per request)."""
    text = "".join(f"data: {json.dumps(event)}\r\n\r\n" for event in events)
    return lambda request: httpx.Response(
        200, text=text, headers={"content-type": "text/event-stream"}
    )


def error(code: int, status: str, message: str = "failed", **headers: str) -> httpx.Response:
    body = {"error": {"code": code, "status": status, "message": message}}
    return httpx.Response(code, json=body, headers=headers)


ROOTS = {"sync": (Client, SyncResource), "async": (AsyncClient, AsyncResource)}


def _resource_attributes(cls: type) -> Iterator[tuple[str, type]]:
    for name, member in inspect.getmembers(cls):
        if name.startswith("_"):
            continue
        prop = getattr(member, "func", None)  # functools.cached_property
        if prop is None:
            continue
        returned = inspect.get_annotations(prop, eval_str=True).get("return")
        if isinstance(returned, type):
            yield name, returned


def _walk(cls: type, prefix: str, base: type) -> Iterator[tuple[str, Any]]:
    for name, member in inspect.getmembers(cls, inspect.isfunction):
        if not name.startswith("_") and issubclass(cls, base):
            yield f"{prefix}{name}", member
    for name, child in _resource_attributes(cls):
        yield from _walk(child, f"{prefix}{name}.", base)


def public_methods(mode: str) -> dict[str, Any]:
    """``{"corpora.documents.chunks.batch_create": function, ...}`` for one client."""
    client_cls, base = ROOTS[mode]
    return dict(_walk(client_cls, "", base))
