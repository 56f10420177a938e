"""The exported surface of ``ragkit`` and ``ragkit.client`` is explicit and importable."""

from __future__ import annotations

import importlib

import pytest

import ragkit
import ragkit.client


def _ruff_order(name: str) -> tuple[int, str]:
    # RUF022's "isort-style" order: CONSTANTS, then Classes, then functions and dunders.
    return (0 if name.isupper() else 1 if name[0].isupper() else 2, name)


@pytest.mark.parametrize("module", [ragkit, ragkit.client], ids=lambda m: m.__name__)
def test_all_is_sorted_unique_and_importable(module: object) -> None:
    names = list(module.__all__)  # type: ignore[attr-defined]
    assert names == sorted(names, key=_ruff_order)
    assert len(names) == len(set(names))
    reloaded = importlib.import_module(module.__name__)  # type: ignore[attr-defined]
    for name in names:
        assert getattr(reloaded, name) is not None, name


def test_top_level_reexports_are_the_client_objects() -> None:
    for name in ragkit.__all__:
        if name in ragkit.client.__all__:
            assert getattr(ragkit, name) is getattr(ragkit.client, name)
    for name in ("Client", "AsyncClient", "NOT_GIVEN", "RagkitAPIError", "NotFoundError"):
        assert name in ragkit.__all__


def test_the_client_package_ships_type_information() -> None:
    from importlib.resources import files

    assert files("ragkit").joinpath("py.typed").is_file()


def test_import_ragkit_stays_cheap_until_the_client_is_used() -> None:
    import subprocess
    import sys

    code = (
        "import sys, ragkit; before = 'ragkit.client' in sys.modules; ragkit.Client; "
        "print(before, 'ragkit.client' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "True"]


def test_unknown_attributes_still_raise() -> None:
    with pytest.raises(AttributeError, match="no attribute 'Nope'"):
        _ = ragkit.Nope  # type: ignore[attr-defined]
