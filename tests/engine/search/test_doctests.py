"""The examples in the search modules' docstrings run and print what they claim."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "ragkit.engine.search.embed",
    "ragkit.engine.search.embed_minilm",
    "ragkit.engine.search.fts",
    "ragkit.engine.search.fusion",
    "ragkit.engine.search.vectors",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0, f"{name} has no examples"
    assert result.failed == 0
