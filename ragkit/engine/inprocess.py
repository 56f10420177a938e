"""Run the engine inside the calling process, with no socket: httpx transports.

This is what ``Client()`` uses when no base URL and no key are configured::

    client = httpx.Client(transport=sync_transport(), base_url=INPROCESS_BASE_URL)
    client.get("/v1beta/corpora").json()

httpx's :class:`~httpx.ASGITransport` only serves the async client, so the sync
transport runs the app on a private event loop in a daemon thread and hands each
request across. That also makes the sync client usable where an event loop is
already running in the calling thread (a Jupyter cell), which ``asyncio.run`` is not.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine
from pathlib import Path
from typing import Any, TypeVar

import httpx
from starlette.applications import Starlette

from ragkit.engine.app import create_app
from ragkit.engine.settings import EngineSettings

INPROCESS_BASE_URL = "http://ragkit.local"

T = TypeVar("T")

_APPS: dict[EngineSettings, Starlette] = {}
_APPS_LOCK = threading.Lock()


def _settings(home: Path | None, settings: EngineSettings | None) -> EngineSettings:
    """The settings with the data directory resolved now (RAGKIT_HOME is read here, so a
    later change of it selects another engine instead of reusing the cached one)."""
    base = settings or EngineSettings()
    if home is not None:
        base = base.model_copy(update={"home": home})
    return base.model_copy(update={"home": base.data_dir().expanduser().resolve()})


def app_for(home: Path | None = None, *, settings: EngineSettings | None = None) -> Starlette:
    """The (cached) app for a data directory; one engine per directory per process."""
    resolved = _settings(home, settings)
    with _APPS_LOCK:
        app = _APPS.get(resolved)
        if app is None:
            app = _APPS[resolved] = create_app(resolved)
        return app


class _LoopThread:
    """One event loop on a daemon thread, started on first use, shared by all transports."""

    def __init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._lock = threading.Lock()

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        with self._lock:
            if self._loop is None:
                loop = asyncio.new_event_loop()
                threading.Thread(
                    target=loop.run_forever, name="ragkit-engine-loop", daemon=True
                ).start()
                self._loop = loop
            loop = self._loop
        return asyncio.run_coroutine_threadsafe(coro, loop).result()


_LOOP = _LoopThread()


class SyncASGITransport(httpx.BaseTransport):
    """A sync httpx transport that serves requests with an ASGI app on a private loop."""

    def __init__(self, app: Starlette) -> None:
        self._inner = httpx.ASGITransport(app=app)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        body = request.read()

        async def send() -> tuple[int, httpx.Headers, bytes]:
            forwarded = httpx.Request(
                request.method, request.url, headers=request.headers, content=body
            )
            response = await self._inner.handle_async_request(forwarded)
            return response.status_code, response.headers, await response.aread()

        status, headers, content = _LOOP.run(send())
        return httpx.Response(status, headers=headers, content=content, request=request)


def sync_transport(
    home: Path | None = None, *, settings: EngineSettings | None = None
) -> httpx.BaseTransport:
    """A transport for ``httpx.Client`` that serves requests with the in-process engine."""
    return SyncASGITransport(app_for(home, settings=settings))


def async_transport(
    home: Path | None = None, *, settings: EngineSettings | None = None
) -> httpx.AsyncBaseTransport:
    """A transport for ``httpx.AsyncClient``; engine work runs on worker threads."""
    return httpx.ASGITransport(app=app_for(home, settings=settings))


def close_all() -> None:
    """Forget the cached apps and close their engines (tests; interpreter shutdown)."""
    from ragkit.engine.engine import close_engines

    with _APPS_LOCK:
        _APPS.clear()
    close_engines()
