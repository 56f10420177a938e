"""What the evaluation runners share: progress reporting, the clock, blocking on async work."""

from __future__ import annotations

import asyncio
import concurrent.futures
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import TypeVar

import anyio

from ragkit.config import Settings

T = TypeVar("T")

ProgressCallback = Callable[[str, int, int | None], None]
"""``(stage, done, total)``: called as work advances; ``total`` is None when unknown.

The same ``stage`` string is repeated with growing ``done`` until the stage ends.
"""


def no_progress(stage: str, done: int, total: int | None) -> None:
    """The default progress callback: report nothing."""


def measured_at() -> str:
    """Now, in UTC, as an ISO 8601 timestamp to the second (the date figures were measured)."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def backend_label(settings: Settings) -> str:
    """``local (in-process engine)``, ``server http://…`` or ``google https://…``."""
    if settings.backend == "local":
        return "local (in-process engine)"
    return f"{settings.backend} {settings.base_url}"


def run_async(function: Callable[[], Awaitable[T]]) -> T:
    """Run an async function to completion from synchronous code.

    Inside a running event loop (a Jupyter cell) ``anyio.run`` would refuse, so the
    work then runs on its own loop in a worker thread; otherwise on this thread, so
    that Ctrl-C interrupts it.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return anyio.run(function)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(anyio.run, function).result()
