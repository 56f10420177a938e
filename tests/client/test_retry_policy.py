from __future__ import annotations

import httpx
import pytest

from ragkit.client._retry import (
    DEFAULT_MAX_RETRIES,
    RETRYABLE_STATUS_CODES,
    RetryPolicy,
    RetrySafety,
    parse_retry_after,
)

IDEMPOTENT = RetrySafety.IDEMPOTENT
UNSAFE = RetrySafety.UNSAFE
REQUEST = httpx.Request("POST", "https://example.invalid/v1beta/corpora")


def test_defaults_follow_googles_service_config() -> None:
    policy = RetryPolicy()
    assert DEFAULT_MAX_RETRIES == 4  # five attempts
    assert (policy.initial_delay, policy.multiplier, policy.max_delay) == (1.0, 1.3, 10.0)
    assert {408, 429, 500, 502, 503, 504} == RETRYABLE_STATUS_CODES


def test_backoff_grows_and_is_capped() -> None:
    policy = RetryPolicy(jitter=0.0, initial_delay=1.0, multiplier=2.0, max_delay=5.0)
    assert [policy.backoff(n) for n in range(5)] == [1.0, 2.0, 4.0, 5.0, 5.0]


def test_jitter_only_shortens_within_its_fraction() -> None:
    low = RetryPolicy(jitter=0.25, random_source=lambda: 0.999999)
    high = RetryPolicy(jitter=0.25, random_source=lambda: 0.0)
    assert high.backoff(0) == 1.0
    assert 0.75 <= low.backoff(0) < 0.7501


def test_server_requested_delay_wins_and_too_long_means_give_up() -> None:
    policy = RetryPolicy(max_retry_after=60.0)
    assert policy.delay(3, retry_after=12.5) == 12.5
    assert policy.delay(0, retry_after=0.0) == 0.0
    assert policy.delay(0, retry_after=61.0) is None


@pytest.mark.parametrize("code", [408, 429, 500, 502, 503, 504])
def test_idempotent_calls_retry_every_transient_status(code: int) -> None:
    assert RetryPolicy.should_retry_status(code, IDEMPOTENT)


@pytest.mark.parametrize("code", [400, 401, 403, 404, 409, 501])
def test_permanent_statuses_are_never_retried(code: int) -> None:
    assert not RetryPolicy.should_retry_status(code, IDEMPOTENT)
    assert not RetryPolicy.should_retry_status(code, UNSAFE)


@pytest.mark.parametrize(
    ("code", "retried"),
    [(429, True), (503, True), (500, False), (502, False), (504, False), (408, False)],
)
def test_unsafe_calls_retry_only_answers_given_before_work(code: int, retried: bool) -> None:
    assert RetryPolicy.should_retry_status(code, UNSAFE) is retried


@pytest.mark.parametrize(
    "error",
    [
        httpx.ConnectError("refused", request=REQUEST),
        httpx.ConnectTimeout("slow", request=REQUEST),
        httpx.PoolTimeout("pool", request=REQUEST),
    ],
)
def test_errors_before_sending_are_retried_for_every_call(error: httpx.TransportError) -> None:
    assert RetryPolicy.should_retry_exception(error, UNSAFE)
    assert RetryPolicy.should_retry_exception(error, IDEMPOTENT)


@pytest.mark.parametrize(
    "error",
    [
        httpx.ReadTimeout("slow", request=REQUEST),
        httpx.WriteTimeout("slow", request=REQUEST),
        httpx.ReadError("reset", request=REQUEST),
        httpx.RemoteProtocolError("eof", request=REQUEST),
    ],
)
def test_errors_after_sending_are_retried_only_when_idempotent(
    error: httpx.TransportError,
) -> None:
    assert RetryPolicy.should_retry_exception(error, IDEMPOTENT)
    assert not RetryPolicy.should_retry_exception(error, UNSAFE)


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("7", 7.0),
        ("0", 0.0),
        ("2.5", 2.5),
        ("-3", 0.0),
        ("Thu, 01 Jan 1970 00:00:10 GMT", 6.0),
        ("Thu, 01 Jan 1970 00:00:01 GMT", 0.0),
        ("soon", None),
        ("", None),
        (None, None),
        ("inf", None),
    ],
)
def test_parse_retry_after(header: str | None, seconds: float | None) -> None:
    assert parse_retry_after(header, now=4.0) == seconds
