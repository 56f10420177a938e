"""pypdf's log messages are collected while loading and pass through otherwise."""

from __future__ import annotations

import logging
import threading

from ingest.loaders import _pypdf_log


def test_captured_records_do_not_reach_the_root_logger(root_messages: list[str]) -> None:
    with _pypdf_log.capture() as records:
        logging.getLogger("pypdf._cmap").warning("fontTools is required")
    assert [r.getMessage() for r in records] == ["fontTools is required"]
    assert root_messages == []


def test_outside_capture_records_propagate_as_usual(root_messages: list[str]) -> None:
    with _pypdf_log.capture():
        pass
    logging.getLogger("pypdf._reader").warning("EOF marker not found")
    logging.getLogger("pypdf").info("below the warning level")
    assert root_messages == ["EOF marker not found"]


def test_each_thread_collects_only_its_own_records() -> None:
    seen: dict[str, list[str]] = {}
    barrier = threading.Barrier(2)

    def work(name: str) -> None:
        with _pypdf_log.capture() as records:
            barrier.wait()
            logging.getLogger("pypdf").warning("from %s", name)
            barrier.wait()
        seen[name] = [r.getMessage() for r in records]

    threads = [threading.Thread(target=work, args=(n,)) for n in ("a", "b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert seen == {"a": ["from a"], "b": ["from b"]}
