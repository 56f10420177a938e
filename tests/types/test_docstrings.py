"""The usage examples in ragkit.types docstrings are run, so they cannot go stale."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import ragkit.types as types_pkg

MODULES = ["ragkit.types"] + [
    f"ragkit.types.{info.name}" for info in pkgutil.iter_modules(types_pkg.__path__)
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
