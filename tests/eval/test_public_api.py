"""The examples in the docstrings run, and ragkit.eval exports exactly its modules' API."""

from __future__ import annotations

import doctest
from types import ModuleType

import pytest

import ragkit.eval
from ragkit.eval import datasets, metrics


@pytest.mark.parametrize("module", [ragkit.eval, metrics, datasets])
def test_docstring_examples_run(module: ModuleType) -> None:
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
    assert result.attempted > 0


def test_package_reexports_both_modules_sorted() -> None:
    assert ragkit.eval.__all__ == sorted(ragkit.eval.__all__)
    assert set(ragkit.eval.__all__) == set(metrics.__all__) | set(datasets.__all__)
    for name in ragkit.eval.__all__:
        assert getattr(ragkit.eval, name) is getattr(
            metrics if name in metrics.__all__ else datasets, name
        )
