"""Strict request parsing for the engine: unknown fields and invalid values become 400s.

Responses are parsed leniently (``Model.model_validate``); requests go through
:func:`parse_request`, which behaves like Google's front end: an unknown JSON field anywhere
in the body is rejected with ``Invalid JSON payload received. Unknown name "x" at 'corpus':
Cannot find field.``, and every validation failure becomes a :class:`RequestError` carrying
field violations with camelCase paths such as ``requests[3].chunk.customMetadata[20]``.
Unknown-name errors keep Google's exact form, whose paths use the proto (snake_case) names.
"""

from __future__ import annotations

import json
import types
from dataclasses import dataclass
from functools import cache
from typing import Annotated, Any, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic.alias_generators import to_camel

from ragkit.types._base import ProtoEnum, WireModel
from ragkit.types.errors import BadRequest, FieldViolation, Status, StatusCode

__all__ = ["RequestError", "Violation", "parse_request"]

_M = TypeVar("_M", bound=WireModel)


@dataclass(frozen=True)
class Violation:
    """One bad field: its path in the request and what is wrong with it."""

    field: str
    description: str


class RequestError(ValueError):
    """An invalid request: a message and the violations (``field``, ``description``).

    The engine turns it into a 400 ``INVALID_ARGUMENT`` with :meth:`to_status`.
    """

    def __init__(self, message: str, violations: list[Violation]) -> None:
        super().__init__(message)
        self.message = message
        self.violations = violations

    def to_status(self) -> Status:
        """The 400 ``INVALID_ARGUMENT`` Status with a ``BadRequest`` detail."""
        detail = BadRequest(
            field_violations=[
                FieldViolation(field=item.field, description=item.description)
                for item in self.violations
            ]
        )
        return Status.of(StatusCode.INVALID_ARGUMENT, self.message, details=[detail])

    @classmethod
    def from_validation_error(cls, error: ValidationError, *, field: str = "") -> RequestError:
        """Convert a pydantic error: camelCase paths under ``field``, pydantic's prefixes
        (``Value error, ``) removed."""
        violations = []
        for item in error.errors(include_url=False):
            path = _join(field, _camel_path(item["loc"]))
            message = str(item["msg"]).removeprefix("Value error, ")
            violations.append(Violation(path, message))
        text = "; ".join(
            f"{v.field}: {v.description}" if v.field else v.description for v in violations
        )
        return cls(text or "Invalid request.", violations)


def parse_request(model_cls: type[_M], data: Any, *, field: str) -> _M:
    """Validate a request body strictly and return the model.

    ``field`` is the body's path in the request message: the resource for methods whose
    body is one field (``"corpus"``, ``"document"``, ``"chunk"``, ``"permission"``), ``""``
    for ``body: "*"`` methods. ``data`` is decoded JSON, or ``str``/``bytes`` to decode.
    snake_case names are accepted as well as camelCase, as Google's parser does.

    >>> from ragkit.types import Corpus
    >>> parse_request(Corpus, {"displayName": "Docs"}, field="corpus").display_name
    'Docs'
    >>> parse_request(Corpus, {"displayname": "Docs"}, field="corpus")
    Traceback (most recent call last):
    ...
    ragkit.types.parsing.RequestError: Invalid JSON payload received. Unknown name \
"displayname" at 'corpus': Cannot find field.
    """
    if isinstance(data, str | bytes | bytearray):
        try:
            data = json.loads(data) if data else {}
        except ValueError as exc:
            message = f"Invalid JSON payload received. {exc}."
            raise RequestError(message, [Violation(field, message)]) from None
    if not isinstance(data, dict):
        where = f" at '{field}'" if field else ""
        message = f"Invalid JSON payload received. Expected an object{where}."
        raise RequestError(message, [Violation(field, message)])
    unknown = list(_unknown_names(model_cls, data, field))
    if unknown:
        raise RequestError("\n".join(v.description for v in unknown), unknown)
    try:
        model = model_cls.model_validate(data)
    except ValidationError as exc:
        raise RequestError.from_validation_error(exc, field=field) from None
    invalid = list(_unknown_enum_values(model, field))
    if invalid:
        raise RequestError("; ".join(v.description for v in invalid), invalid)
    return model


def _join(prefix: str, path: str) -> str:
    if not prefix:
        return path
    if not path:
        return prefix
    return f"{prefix}{path}" if path.startswith("[") else f"{prefix}.{path}"


def _camel_path(loc: tuple[str | int, ...]) -> str:
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path = _join(path, to_camel(part))
    return path


@cache
def _field_table(model_cls: type[BaseModel]) -> dict[str, tuple[str, type[WireModel] | None]]:
    """Accepted JSON key -> (proto field name, nested message type or None)."""
    table: dict[str, tuple[str, type[WireModel] | None]] = {}
    for name, info in model_cls.model_fields.items():
        entry = (name, _message_type(info.annotation))
        table[name] = entry
        if info.alias:
            table[info.alias] = entry
    return table


def _message_type(annotation: Any) -> type[WireModel] | None:
    # Unwrap Optional / list / Annotated down to a WireModel class, if there is one.
    if isinstance(annotation, type) and issubclass(annotation, WireModel):
        return annotation
    origin = get_origin(annotation)
    if origin in (list, Union, types.UnionType, Annotated):
        for arg in get_args(annotation):
            found = _message_type(arg)
            if found is not None:
                return found
    return None


def _unknown_enum_values(value: Any, path: str) -> Any:
    # Responses keep enum values this release does not know; requests must not.
    if isinstance(value, ProtoEnum) and not value.is_known:
        message = f"Invalid value at '{path}' ({type(value).__name__}), \"{value.value}\""
        yield Violation(path, message)
    elif isinstance(value, BaseModel):
        for name, info in type(value).model_fields.items():
            yield from _unknown_enum_values(getattr(value, name), _join(path, info.alias or name))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _unknown_enum_values(item, f"{path}[{index}]")


def _unknown_names(model_cls: type[WireModel], data: dict[str, Any], path: str) -> Any:
    if model_cls.wire_open:
        return
    table = _field_table(model_cls)
    for key, value in data.items():
        entry = table.get(key)
        if entry is None:
            where = f" at '{path}'" if path else ""
            message = f'Invalid JSON payload received. Unknown name "{key}"{where}: ' + (
                "Cannot find field."
            )
            yield Violation(path, message)
            continue
        name, nested = entry
        if nested is None:
            continue
        child = _join(path, name)
        if isinstance(value, dict):
            yield from _unknown_names(nested, value, child)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, dict):
                    yield from _unknown_names(nested, item, f"{child}[{index}]")
