"""Running async work from synchronous code, including inside a running event loop.

Jupyter runs every cell inside an event loop, where ``asyncio.run`` refuses to nest;
:func:`run_blocking` is the one way ragkit's sync entry points (the notebook session,
``ragkit eval``) drive async work so that they work in a script and in a notebook alike.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable, Coroutine
from concurrent.futures import Future
from typing import Any, Generic, TypeVar

__all__ = ["run_blocking"]

T = TypeVar("T")


def run_blocking(make: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run the coroutine ``make()`` returns to completion and give back its result.

    Outside an event loop this is ``asyncio.run``. Inside one (a Jupyter cell),
    ``asyncio.run`` refuses to nest and waiting on the running loop from its own thread
    would deadlock, so the coroutine runs on a fresh loop in a worker thread while this
    thread waits. Interrupting the wait (Ctrl-C, Jupyter's "interrupt kernel") cancels
    the coroutine too, rather than leave it running unseen.

    >>> async def two() -> int:
    ...     return 2
    >>> run_blocking(two)
    2
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(make())
    worker = _LoopWorker(make)
    try:
        return worker.result()
    except KeyboardInterrupt:
        worker.cancel()
        raise


class _LoopWorker(Generic[T]):
    """A coroutine on its own event loop in a daemon thread; the caller may cancel it."""

    def __init__(self, make: Callable[[], Coroutine[Any, Any, T]]) -> None:
        self._make = make
        self._outcome: Future[T] = Future()
        self._started = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[T] | None = None
        self._thread = threading.Thread(target=self._run, name="ragkit-blocking", daemon=True)
        self._thread.start()

    def result(self) -> T:
        return self._outcome.result()

    def cancel(self) -> None:
        """Cancel the coroutine and wait until it has unwound (its ``finally`` blocks ran)."""
        self._started.wait()
        if self._loop is not None and self._task is not None:
            with contextlib.suppress(RuntimeError):  # the loop has already finished
                self._loop.call_soon_threadsafe(self._task.cancel)
        self._thread.join()

    def _run(self) -> None:
        async def main() -> T:
            self._loop = asyncio.get_running_loop()
            self._task = asyncio.current_task()
            self._started.set()
            return await self._make()

        try:
            self._outcome.set_result(asyncio.run(main()))
        except BaseException as error:  # handed to the waiting thread, which re-raises it
            self._outcome.set_exception(error)
        finally:
            self._started.set()
