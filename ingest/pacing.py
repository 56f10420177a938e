"""Requests in flight: an adaptive window that shrinks on 429 and honours Retry-After.

The client retries transient failures itself (5xx, timeouts, with backoff). Rate
limits are different: every request in flight is hitting the same quota, so one
429 should slow all of them down, not just the request that got it. Upload calls
therefore go through a client whose retry policy hands 429 back to the caller
(:func:`caller_paced`), and through a :class:`Pacer`, which

* allows ``window`` requests in flight, starting at ``limit``;
* on a 429 halves the window (never below 1), pauses *every* new request until
  the server's ``Retry-After`` (or the client's backoff) has passed, then retries;
* after each success grows the window by ``1/window``, about one more request per
  window of successes, back up to ``limit`` (additive increase, multiplicative
  decrease, as TCP does).

A 429 that names a count quota (``QuotaFailure`` without a retry delay: corpus full)
is not a rate and is raised at once.

>>> pacer = Pacer(limit=4)
>>> pacer.window
4.0
"""

from __future__ import annotations

import asyncio
import dataclasses
import math
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from ragkit.client import RateLimitError, RetryPolicy, RetrySafety
from ragkit.types import QuotaFailure

T = TypeVar("T")

#: 429s one call may meet before the run gives up on it.
DEFAULT_RATE_LIMIT_RETRIES = 10


@dataclass(frozen=True)
class _CallerPacedPolicy(RetryPolicy):
    """The client's policy, except that 429 is left to the caller's pacer."""

    @staticmethod
    def should_retry_status(status_code: int, safety: RetrySafety) -> bool:
        """Retry what the client would retry, except 429 (rate limits)."""
        return status_code != 429 and RetryPolicy.should_retry_status(status_code, safety)


def caller_paced(policy: RetryPolicy) -> RetryPolicy:
    """A copy of ``policy`` that does not retry 429, for use with :class:`Pacer`.

    >>> caller_paced(RetryPolicy()).should_retry_status(429, RetrySafety.IDEMPOTENT)
    False
    >>> caller_paced(RetryPolicy()).should_retry_status(503, RetrySafety.IDEMPOTENT)
    True
    """
    values = {item.name: getattr(policy, item.name) for item in dataclasses.fields(policy)}
    return _CallerPacedPolicy(**values)


def is_count_quota(error: RateLimitError) -> bool:
    """A 429 for a count limit (corpus full), which waiting cannot lift."""
    return error.retry_after is None and error.detail(QuotaFailure) is not None


class Pacer:
    """Runs calls with at most ``window`` in flight; see the module docstring.

    ``sleep`` and ``clock`` are replaceable so tests need not wait.
    """

    def __init__(
        self,
        limit: int,
        *,
        policy: RetryPolicy | None = None,
        max_rate_limit_retries: int = DEFAULT_RATE_LIMIT_RETRIES,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if limit < 1:
            raise ValueError(f"limit must be at least 1, got {limit}")
        self.limit = limit
        self.window = float(limit)
        self.in_flight = 0
        self.rate_limited = 0
        self._policy = policy or RetryPolicy()
        self._max_retries = max_rate_limit_retries
        self._sleep = sleep
        self._clock = clock
        self._resume_at = 0.0
        self._changed: asyncio.Condition | None = None

    def _condition(self) -> asyncio.Condition:
        # Created on first use, inside the running loop.
        if self._changed is None:
            self._changed = asyncio.Condition()
        return self._changed

    async def _acquire(self) -> None:
        changed = self._condition()
        while True:
            wait = self._resume_at - self._clock()
            if wait > 0:
                await self._sleep(wait)
                continue
            async with changed:
                if self.in_flight < max(1, math.floor(self.window)):
                    self.in_flight += 1
                    return
                await changed.wait()

    async def _release(self) -> None:
        changed = self._condition()
        async with changed:
            self.in_flight -= 1
            changed.notify_all()

    def _slow_down(self, delay: float) -> None:
        self.rate_limited += 1
        self.window = max(1.0, self.window / 2)
        self._resume_at = max(self._resume_at, self._clock() + delay)

    def _speed_up(self) -> None:
        self.window = min(float(self.limit), self.window + 1.0 / self.window)

    async def run(self, call: Callable[[], Awaitable[T]]) -> T:
        """Await ``call()`` within the window, retrying it after rate limits."""
        attempt = 0
        while True:
            await self._acquire()
            try:
                result = await call()
            except RateLimitError as error:
                await self._release()
                if is_count_quota(error) or attempt >= self._max_retries:
                    raise
                delay = self._policy.delay(attempt, retry_after=error.retry_after)
                if delay is None:  # the server asked for a longer pause than we wait
                    raise
                self._slow_down(delay)
                attempt += 1
                continue
            except BaseException:
                await self._release()
                raise
            await self._release()
            self._speed_up()
            return result
