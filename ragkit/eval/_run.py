"""What the evaluation runners share: progress reporting, the clock, blocking on async work."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TypeVar

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
