"""The public surface of ragkit.types: sorted, complete and importable."""

from __future__ import annotations

import importlib
import pkgutil

from pydantic import BaseModel

import ragkit.types as types_pkg


def _isort_key(name: str) -> tuple[int, str]:
    # The order ruff's RUF022 enforces: CONSTANTS, then Classes, then functions/modules.
    if name.isupper():
        return (0, name)
    return (1, name) if name[0].isupper() else (2, name)


def test_all_is_sorted_and_unique() -> None:
    names = list(types_pkg.__all__)
    assert len(names) == len(set(names))
    assert names == sorted(names, key=_isort_key)


def test_every_exported_name_imports() -> None:
    for name in types_pkg.__all__:
        assert getattr(types_pkg, name) is not None, name


def test_every_module_export_is_reexported() -> None:
    exported = set(types_pkg.__all__)
    for info in pkgutil.iter_modules(types_pkg.__path__):
        module = importlib.import_module(f"ragkit.types.{info.name}")
        missing = set(getattr(module, "__all__", ())) - exported
        if info.name.startswith("_") and info.name != "_base":
            continue  # private helpers (_fields) are not part of the surface
        assert not missing, f"{info.name}: {sorted(missing)} not re-exported"


def test_every_model_has_a_json_schema_in_both_modes() -> None:
    # The engine builds /openapi.json from these schemas.
    models = [
        obj
        for name in types_pkg.__all__
        if isinstance(obj := getattr(types_pkg, name), type) and issubclass(obj, BaseModel)
    ]
    assert len(models) > 90
    for model in models:
        for mode in ("validation", "serialization"):
            schema = model.model_json_schema(mode=mode, by_alias=True)
            assert schema["type"] == "object", model.__name__
    chunk = types_pkg.Chunk.model_json_schema(by_alias=True)
    assert {"name", "data", "customMetadata", "createTime", "state"} <= set(chunk["properties"])
    assert chunk["$defs"]["State"]["enum"][2] == "STATE_ACTIVE"
