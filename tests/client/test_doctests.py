"""The examples in the client's docstrings run (those marked +SKIP need a live backend)."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "ragkit",
    "ragkit.client",
    "ragkit.client._auth",
    "ragkit.client._paths",
    "ragkit.client._retry",
    "ragkit.client._streaming",
    "ragkit.client._types",
    "ragkit.client.resources._calls",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0
