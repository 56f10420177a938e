"""The request window: shrinks on 429, waits as told, grows back, leaves 5xx to the client."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest

from ingest.pacing import Pacer, caller_paced
from ragkit.client import AsyncClient, RateLimitError, RetryPolicy
from ragkit.types import Corpus

FAST = RetryPolicy(initial_delay=0.001, jitter=0.0)
CORPUS = {"name": "corpora/x", "displayName": "x"}


class FakeTime:
    """A clock that moves only when the pacer sleeps."""

    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds
        await asyncio.sleep(0)


def _rate_limited(retry_after: str | None = "7", quota: bool = False) -> httpx.Response:
    details: list[dict[str, Any]] = []
    if quota:
        details.append(
            {
                "@type": "type.googleapis.com/google.rpc.QuotaFailure",
                "violations": [{"subject": "corpora/x", "description": "10000 documents"}],
            }
        )
    body = {"error": {"code": 429, "status": "RESOURCE_EXHAUSTED", "message": "slow down"}}
    body["error"]["details"] = details
    headers = {"Retry-After": retry_after} if retry_after else {}
    return httpx.Response(429, headers=headers, content=json.dumps(body))


def _client(handler: Callable[[httpx.Request], Awaitable[httpx.Response]]) -> AsyncClient:
    client = AsyncClient(
        base_url="http://test.local",
        transport=httpx.MockTransport(handler),
        max_retries=3,
        retry_policy=FAST,
    )
    return client.with_options(retry_policy=caller_paced(FAST))


def _script(*answers: httpx.Response) -> tuple[list[str], Callable[..., Awaitable[httpx.Response]]]:
    seen: list[str] = []
    queue = list(answers)

    async def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.path)
        return queue.pop(0) if queue else httpx.Response(200, json=CORPUS)

    return seen, handler


def _fetch(pacer: Pacer, handler: Callable[..., Awaitable[httpx.Response]]) -> Corpus:
    """``corpora.get`` through a fresh caller-paced client and ``pacer``."""

    async def run() -> Corpus:
        client = _client(handler)
        return await pacer.run(lambda: client.corpora.get("x"))

    return asyncio.run(run())


def test_429_halves_the_window_waits_retry_after_and_retries() -> None:
    seen, handler = _script(_rate_limited("7"), _rate_limited("7"))
    time = FakeTime()
    pacer = Pacer(4, policy=FAST, sleep=time.sleep, clock=time.clock)

    corpus = _fetch(pacer, handler)
    assert corpus.name == "corpora/x"
    assert len(seen) == 3  # the client itself did not retry the 429s
    assert pacer.rate_limited == 2
    assert sum(time.slept) >= 14.0  # two pauses of the server's 7 seconds
    assert pacer.window == pytest.approx(2.0)  # 4 -> 2 -> 1, then +1/1 on success


def test_window_grows_back_to_the_limit() -> None:
    pacer = Pacer(4)
    pacer.window = 1.0

    async def ok() -> int:
        return 1

    async def run() -> None:
        for _ in range(20):
            await pacer.run(ok)

    asyncio.run(run())
    assert pacer.window == 4.0


def test_no_more_than_the_window_is_in_flight() -> None:
    running = 0
    peak = 0

    async def handler(request: httpx.Request) -> httpx.Response:
        nonlocal running, peak
        running += 1
        peak = max(peak, running)
        await asyncio.sleep(0.005)
        running -= 1
        return httpx.Response(200, json=CORPUS)

    pacer = Pacer(3)

    async def run() -> None:
        client = _client(handler)
        await asyncio.gather(*(pacer.run(lambda: client.corpora.get("x")) for _ in range(12)))

    asyncio.run(run())
    assert peak == 3
    assert pacer.in_flight == 0


def test_a_pause_holds_back_every_new_request() -> None:
    _seen, handler = _script(_rate_limited("5"))
    time = FakeTime()
    pacer = Pacer(2, policy=FAST, sleep=time.sleep, clock=time.clock)
    started: list[float] = []

    async def run() -> None:
        client = _client(handler)

        async def call() -> Corpus:
            started.append(time.now)
            return await client.corpora.get("x")

        await pacer.run(call)  # meets the 429, pauses, retries
        await pacer.run(call)

    asyncio.run(run())
    assert started[0] == 0.0
    assert all(moment >= 5.0 for moment in started[1:])


def test_count_quota_is_raised_at_once() -> None:
    seen, handler = _script(_rate_limited(None, quota=True))
    pacer = Pacer(2, policy=FAST)

    with pytest.raises(RateLimitError):
        _fetch(pacer, handler)
    assert len(seen) == 1


def test_too_long_a_pause_is_raised() -> None:
    seen, handler = _script(_rate_limited("3600"))
    pacer = Pacer(2, policy=FAST)

    with pytest.raises(RateLimitError) as caught:
        _fetch(pacer, handler)
    assert caught.value.retry_after == 3600.0
    assert len(seen) == 1


def test_gives_up_after_its_retries() -> None:
    seen, handler = _script(*[_rate_limited("0") for _ in range(10)])
    time = FakeTime()
    pacer = Pacer(2, policy=FAST, max_rate_limit_retries=3, sleep=time.sleep, clock=time.clock)

    with pytest.raises(RateLimitError):
        _fetch(pacer, handler)
    assert len(seen) == 4
    assert pacer.window == 1.0


def test_server_errors_are_still_retried_by_the_client() -> None:
    unavailable = httpx.Response(
        503, json={"error": {"code": 503, "status": "UNAVAILABLE", "message": "busy"}}
    )
    seen, handler = _script(unavailable)
    pacer = Pacer(2, policy=FAST)

    assert _fetch(pacer, handler).name == "corpora/x"
    assert len(seen) == 2
    assert pacer.rate_limited == 0


def test_policy_copy_keeps_the_backoff_shape() -> None:
    policy = caller_paced(RetryPolicy(initial_delay=2.0, multiplier=2.0, jitter=0.0))
    assert policy.backoff(1) == 4.0
    with pytest.raises(ValueError):
        Pacer(0)
