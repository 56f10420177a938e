"""Retries through the client: which calls, how often, how long, and when to give up."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from ragkit.client import (
    APIConnectionError,
    APITimeoutError,
    InternalError,
    RagkitAPIError,
    RateLimitError,
    RetryPolicy,
    UnavailableError,
)
from ragkit.types import Chunk, ChunkData
from tests.client.support import Recorder, close, error, make_client, record_sleeps, resolve

pytestmark = pytest.mark.anyio
MODES = pytest.mark.parametrize("mode", ["sync", "async"])
NO_JITTER = RetryPolicy(jitter=0.0)
CORPUS = {"name": "corpora/c1", "displayName": "C"}
DOC = "corpora/c1/documents/d1"


async def _call(
    mode: str, recorder: Recorder, call: Any, **options: Any
) -> tuple[Any, list[float]]:
    options.setdefault("retry_policy", NO_JITTER)
    client = make_client(mode, recorder, **options)
    sleeps = record_sleeps(client)
    try:
        return await resolve(call(client)), sleeps
    finally:
        await close(client)


@MODES
async def test_429_with_retry_after_then_success(mode: str) -> None:
    recorder = Recorder([error(429, "RESOURCE_EXHAUSTED", **{"Retry-After": "3"}), CORPUS])
    corpus, sleeps = await _call(mode, recorder, lambda c: c.corpora.get("c1"))
    assert corpus.name == "corpora/c1"
    assert sleeps == [3.0]
    assert len(recorder.requests) == 2


@MODES
async def test_retry_info_in_the_body_sets_the_delay(mode: str) -> None:
    quota = httpx.Response(
        429,
        json={
            "error": {
                "code": 429,
                "status": "RESOURCE_EXHAUSTED",
                "message": "You exceeded your current quota. Please retry in 35.5s.",
                "details": [
                    {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "35.5s"}
                ],
            }
        },
    )
    _, sleeps = await _call(mode, Recorder([quota, CORPUS]), lambda c: c.corpora.get("c1"))
    assert sleeps == [35.5]


@MODES
async def test_gives_up_after_max_retries_with_backoff(mode: str) -> None:
    recorder = Recorder([error(503, "UNAVAILABLE")])
    with pytest.raises(UnavailableError) as raised:
        await _call(mode, recorder, lambda c: c.corpora.get("c1"), max_retries=3)
    assert len(recorder.requests) == 4
    assert raised.value.retries_taken == 3
    assert raised.value.response.status_code == 503


@MODES
async def test_backoff_delays_grow_by_the_policy(mode: str) -> None:
    recorder = Recorder([error(500, "INTERNAL")] * 3 + [CORPUS])
    policy = RetryPolicy(initial_delay=0.5, multiplier=2.0, max_delay=1.5, jitter=0.0)
    _, sleeps = await _call(mode, recorder, lambda c: c.corpora.get("c1"), retry_policy=policy)
    assert sleeps == [0.5, 1.0, 1.5]


@MODES
async def test_a_retry_after_beyond_the_cap_is_raised_at_once(mode: str) -> None:
    recorder = Recorder([error(429, "RESOURCE_EXHAUSTED", **{"Retry-After": "3600"})])
    with pytest.raises(RateLimitError) as raised:
        await _call(mode, recorder, lambda c: c.corpora.get("c1"))
    assert raised.value.retry_after == 3600
    assert len(recorder.requests) == 1


@MODES
async def test_with_options_overrides_max_retries_per_call(mode: str) -> None:
    recorder = Recorder([error(503, "UNAVAILABLE"), error(503, "UNAVAILABLE"), CORPUS])
    client = make_client(mode, recorder, retry_policy=NO_JITTER)
    sleeps = record_sleeps(client)
    try:
        with pytest.raises(UnavailableError):
            await resolve(client.with_options(max_retries=0).corpora.get("c1"))
        assert client.max_retries == 4  # the original keeps its setting
        assert (await resolve(client.corpora.get("c1"))).name == "corpora/c1"
    finally:
        await close(client)
    assert len(recorder.requests) == 3
    assert sleeps == [1.0]


@MODES
@pytest.mark.parametrize(
    "status", [(500, "INTERNAL"), (502, "UNAVAILABLE"), (504, "DEADLINE_EXCEEDED")]
)
async def test_create_without_a_name_is_not_retried_after_it_may_have_run(
    mode: str, status: tuple[int, str]
) -> None:
    recorder = Recorder([error(*status), CORPUS])
    with pytest.raises(RagkitAPIError) as raised:
        await _call(mode, recorder, lambda c: c.corpora.create(display_name="C"))
    assert raised.value.status_code == status[0]
    assert len(recorder.requests) == 1


@MODES
@pytest.mark.parametrize("status", [(429, "RESOURCE_EXHAUSTED"), (503, "UNAVAILABLE")])
async def test_create_without_a_name_is_retried_when_rejected_before_work(
    mode: str, status: tuple[int, str]
) -> None:
    recorder = Recorder([error(*status), CORPUS])
    corpus, _ = await _call(mode, recorder, lambda c: c.corpora.create(display_name="C"))
    assert corpus.name == "corpora/c1"
    assert len(recorder.requests) == 2


@MODES
async def test_create_with_a_caller_chosen_name_is_retried(mode: str) -> None:
    recorder = Recorder([error(500, "INTERNAL"), CORPUS])
    corpus, _ = await _call(mode, recorder, lambda c: c.corpora.create(name="c1"))
    assert corpus.name == "corpora/c1"
    assert len(recorder.requests) == 2


@MODES
async def test_batch_create_retries_only_when_every_chunk_is_named(mode: str) -> None:
    unnamed = Recorder([error(500, "INTERNAL"), {"chunks": []}])
    with pytest.raises(InternalError):
        await _call(
            mode, unnamed, lambda c: c.corpora.documents.chunks.batch_create(DOC, chunks=["a"])
        )
    assert len(unnamed.requests) == 1

    named = Recorder([error(500, "INTERNAL"), {"chunks": []}])
    chunk = Chunk(name=f"{DOC}/chunks/a", data=ChunkData(string_value="a"))
    await _call(mode, named, lambda c: c.corpora.documents.chunks.batch_create(DOC, chunks=[chunk]))
    assert len(named.requests) == 2


def _raising(*errors: Exception) -> Any:
    queue = list(errors)

    def handler(request: httpx.Request) -> httpx.Response:
        if queue:
            raise queue.pop(0)
        return httpx.Response(200, json=CORPUS)

    return handler


@MODES
async def test_connect_errors_are_retried_even_for_unsafe_calls(mode: str) -> None:
    request = httpx.Request("POST", "https://example.test")
    handler = _raising(httpx.ConnectError("refused", request=request))
    corpus, sleeps = await _call(mode, handler, lambda c: c.corpora.create(display_name="C"))
    assert corpus.name == "corpora/c1"
    assert sleeps == [1.0]


@MODES
async def test_a_read_timeout_on_an_unsafe_call_is_raised_not_retried(mode: str) -> None:
    request = httpx.Request("POST", "https://example.test")
    handler = _raising(httpx.ReadTimeout("slow", request=request))
    with pytest.raises(APITimeoutError) as raised:
        await _call(mode, handler, lambda c: c.corpora.create(display_name="C"))
    assert isinstance(raised.value.__cause__, httpx.ReadTimeout)
    assert raised.value.retries_taken == 0


@MODES
async def test_a_read_timeout_on_a_get_is_retried(mode: str) -> None:
    request = httpx.Request("GET", "https://example.test")
    handler = _raising(httpx.ReadTimeout("slow", request=request))
    corpus, sleeps = await _call(mode, handler, lambda c: c.corpora.get("c1"))
    assert corpus.name == "corpora/c1"
    assert len(sleeps) == 1


@MODES
async def test_connection_errors_give_up_after_max_retries(mode: str) -> None:
    request = httpx.Request("GET", "https://example.test")
    handler = _raising(*[httpx.ConnectError("refused", request=request) for _ in range(5)])
    with pytest.raises(APIConnectionError) as raised:
        await _call(mode, handler, lambda c: c.corpora.get("c1"), max_retries=2)
    assert not isinstance(raised.value, APITimeoutError)
    assert raised.value.retries_taken == 2


@MODES
async def test_a_quota_failure_without_a_delay_is_a_hard_limit_and_not_retried(mode: str) -> None:
    limit = httpx.Response(
        429,
        json={
            "error": {
                "code": 429,
                "status": "RESOURCE_EXHAUSTED",
                "message": "A project may own at most 10 corpora.",
                "details": [
                    {
                        "@type": "type.googleapis.com/google.rpc.QuotaFailure",
                        "violations": [{"subject": "corpora", "description": "at most 10"}],
                    }
                ],
            }
        },
    )
    recorder = Recorder([limit, CORPUS])
    with pytest.raises(RateLimitError, match="at most 10 corpora"):
        await _call(mode, recorder, lambda c: c.corpora.create(name="c1"))
    assert len(recorder.requests) == 1
