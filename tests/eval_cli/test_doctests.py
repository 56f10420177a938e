"""The examples in the evaluation runners' docstrings run."""

from __future__ import annotations

import doctest
from types import ModuleType

import pytest

from ragkit.eval import beir_corpus


@pytest.mark.parametrize("module", [beir_corpus], ids=lambda m: m.__name__)
def test_docstring_examples_run(module: ModuleType) -> None:
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
    assert result.attempted > 0
