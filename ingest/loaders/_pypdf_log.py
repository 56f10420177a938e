"""Keep pypdf's log messages out of the user's terminal while a PDF loads.

pypdf reports every robustness fix it applies ("Ignoring wrong pointing object",
font encoding notes ...) through the ``pypdf`` loggers. During :func:`capture`
those records are collected for the document being loaded instead of printed.
Outside it they reach the root logger's handlers exactly as before.

The switch is per thread/task (a context variable), so loaders running in
worker threads each see only their own messages, and other code using pypdf
in the same process keeps its logging.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_current: ContextVar[list[logging.LogRecord] | None] = ContextVar("pypdf_log", default=None)
_install_lock = threading.Lock()
_installed = False


class _Router(logging.Handler):
    """Sends a pypdf record to the active collector, else on to the root logger."""

    def emit(self, record: logging.LogRecord) -> None:
        collected = _current.get()
        if collected is not None:
            collected.append(record)
        else:
            # The ``pypdf`` logger does not propagate (that is how captured
            # records stay quiet), so do by hand what propagation would do.
            logging.getLogger().handle(record)


def _install() -> None:
    global _installed
    with _install_lock:
        if _installed:
            return
        logger = logging.getLogger("pypdf")
        logger.addHandler(_Router())
        logger.propagate = False
        # Without its own level the logger would inherit the root's, and a
        # quiet root (ERROR) would stop warnings before they are collected.
        if logger.level == logging.NOTSET:
            logger.setLevel(logging.WARNING)
        _installed = True


@contextmanager
def capture() -> Iterator[list[logging.LogRecord]]:
    """Collect pypdf's log records in the current thread or task.

    >>> with capture() as records:
    ...     logging.getLogger("pypdf._reader").warning("EOF marker not found")
    >>> [r.getMessage() for r in records]
    ['EOF marker not found']
    """
    _install()
    records: list[logging.LogRecord] = []
    token = _current.set(records)
    try:
        yield records
    finally:
        _current.reset(token)
