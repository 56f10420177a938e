"""The examples in the ingest sync modules' docstrings run and hold."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "ingest.identity",
    "ingest.scan",
    "ingest.pacing",
    "ingest.plan",
    "ingest.report",
    "ingest.sync",
    "ingest.upload",
    "ingest.pipeline",
    "ragkit.docmeta",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.conftest import REPO_ROOT

    monkeypatch.chdir(REPO_ROOT)  # examples name tests/fixtures relative to the repo
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
