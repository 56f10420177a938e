"""Fixtures for the ingest tests."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest


class _Recorder(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@pytest.fixture
def root_messages() -> Iterator[list[str]]:
    """Messages that reach the root logger's handlers, as a user's logging setup sees them.

    (pytest's own log capture also hooks into loggers that do not propagate, so
    ``caplog`` cannot tell whether a record would have reached the user.)
    """
    recorder = _Recorder()
    root = logging.getLogger()
    root.addHandler(recorder)
    try:
        yield recorder.messages
    finally:
        root.removeHandler(recorder)
