"""Timestamps for stored resources: integer microseconds since the Unix epoch.

Integers sort and compare exactly (list order is by ``createTime``), and Google's
wire format carries microseconds (``2024-04-19T03:32:13.587977Z``), so nothing is
lost between the store and the wire.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class Clock:
    """A wall clock that never returns the same microsecond twice in one process.

    ``updateTime`` must move forward on every change, even when two writes land
    in the same microsecond (or the system clock steps back a little).

    >>> clock = Clock()
    >>> clock.now() < clock.now()
    True
    """

    def __init__(self) -> None:
        self._last = 0
        self._lock = threading.Lock()

    def now(self) -> int:
        with self._lock:
            self._last = max(self._last + 1, time.time_ns() // 1000)
            return self._last


def to_datetime(micros: int) -> datetime:
    """Convert stored microseconds to an aware UTC ``datetime`` (exact, no float rounding)."""
    return _EPOCH + timedelta(microseconds=micros)


def from_datetime(moment: datetime) -> int:
    """Convert an aware ``datetime`` to stored microseconds."""
    delta = moment.astimezone(UTC) - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds
