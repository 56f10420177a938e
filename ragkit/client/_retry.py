"""When to retry a request, and how long to wait first.

The defaults follow Google's own client configuration for these services
(``generativeai_grpc_service_config.json``: 5 attempts, 1 s initial backoff, x1.3,
10 s cap, 60 s timeout) but widen the retried set from UNAVAILABLE alone to the
usual transient HTTP answers: 408, 429, 500, 502, 503 and 504.

Whether a retry is *safe* depends on the method, not on the error:

* ``IDEMPOTENT`` calls may be repeated freely because doing them twice has the
  effect of doing them once: every GET, every DELETE (a repeat gives 404, which
  is what the caller wanted), PATCH with an explicit ``updateMask`` (it sets
  fields to given values), ``:query``, ``generateAnswer``, ``generateContent``,
  the embedding calls and ``countTokens`` (they read and compute), and
  ``batchUpdate``/``batchDelete`` (sets and removals by name). Creates with a
  caller-chosen name are treated the same way: a repeat cannot make a second
  copy, it fails with 409 ALREADY_EXISTS, which the caller can read as "done".
* ``UNSAFE`` calls create server-named resources (create without ``name``,
  ``batchCreate`` with an unnamed chunk, every permission create). Repeating one
  whose first attempt reached the server may leave a duplicate, so they are
  retried only when we *know* no work was done: the connection never opened
  (connect error or connect/pool timeout), or the server answered 429 or 503,
  which Google's front end returns before the method runs (its own client
  config retries UNAVAILABLE for every method, creates included).
"""

from __future__ import annotations

import datetime
import email.utils
import enum
import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Final

import httpx

DEFAULT_MAX_RETRIES: Final = 4
"""Four retries: five attempts in all, as in Google's service config."""

DEFAULT_TIMEOUT: Final = httpx.Timeout(60.0, connect=10.0)
"""Per-request timeout: Google's 60 s deadline for retriever and AQA methods."""

GENERATION_TIMEOUT: Final = httpx.Timeout(600.0, connect=10.0)
"""``generateContent`` and its stream: Google allows 600 s."""

RETRYABLE_STATUS_CODES: Final = frozenset({408, 429, 500, 502, 503, 504})

# Answers Google's front end gives before the method does any work.
_REJECTED_BEFORE_WORK: Final = frozenset({429, 503})

# Transport errors raised before a single byte of the request left this machine.
_NOT_SENT: Final = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


class RetrySafety(enum.Enum):
    """Whether repeating a call after it may have reached the server is harmless."""

    IDEMPOTENT = "idempotent"
    UNSAFE = "unsafe"


def _default_random() -> float:
    return random.random()


@dataclass(frozen=True)
class RetryPolicy:
    """The backoff shape; how many retries is the client's ``max_retries``.

    >>> policy = RetryPolicy(jitter=0.0)
    >>> [round(policy.backoff(n), 2) for n in range(4)]
    [1.0, 1.3, 1.69, 2.2]
    >>> policy.delay(0, retry_after=3.0)
    3.0
    """

    initial_delay: float = 1.0
    """Seconds before the first retry."""
    multiplier: float = 1.3
    """Growth of the delay per retry."""
    max_delay: float = 10.0
    """Cap on a computed delay (not on a server-requested one)."""
    jitter: float = 0.25
    """Each computed delay is scaled by a random factor in ``[1 - jitter, 1]``."""
    max_retry_after: float = 60.0
    """A server asking us to wait longer than this is not retried: the error is
    raised at once with its ``retry_after`` so the caller can decide."""
    random_source: Callable[[], float] = field(default=_default_random, repr=False, compare=False)
    """Uniform ``[0, 1)`` numbers for the jitter; replace it for reproducible delays."""

    def backoff(self, retries_taken: int) -> float:
        """Capped exponential delay with jitter before retry number ``retries_taken + 1``."""
        delay = min(self.initial_delay * self.multiplier**retries_taken, self.max_delay)
        return delay * (1.0 - self.jitter * self.random_source())

    def delay(self, retries_taken: int, *, retry_after: float | None) -> float | None:
        """Seconds to wait, or ``None`` when the server asked for too long a pause."""
        if retry_after is None:
            return self.backoff(retries_taken)
        if retry_after > self.max_retry_after:
            return None
        return max(retry_after, 0.0)

    @staticmethod
    def should_retry_status(status_code: int, safety: RetrySafety) -> bool:
        """Is this HTTP error status worth another attempt for a call of this safety?"""
        if safety is RetrySafety.IDEMPOTENT:
            return status_code in RETRYABLE_STATUS_CODES
        return status_code in _REJECTED_BEFORE_WORK

    @staticmethod
    def should_retry_exception(error: httpx.TransportError, safety: RetrySafety) -> bool:
        """Is this transport failure worth another attempt for a call of this safety?"""
        if isinstance(error, _NOT_SENT):
            return True
        # A read/write timeout or a dropped connection may come after the server
        # acted on the request; only idempotent calls can shrug that off.
        return safety is RetrySafety.IDEMPOTENT


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds from a ``Retry-After`` header: delta-seconds or an HTTP-date.

    >>> parse_retry_after("7"), parse_retry_after("1.5"), parse_retry_after("soon")
    (7.0, 1.5, None)
    >>> parse_retry_after("Thu, 01 Jan 1970 00:00:10 GMT", now=4.0)
    6.0
    """
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            moment = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if moment.tzinfo is None:  # "-0000" dates parse naive; they are UTC
            moment = moment.replace(tzinfo=datetime.UTC)
        seconds = moment.timestamp() - (time.time() if now is None else now)
    if not math.isfinite(seconds):
        return None
    return max(seconds, 0.0)
