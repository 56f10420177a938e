"""The shared foundation of every wire model: the base class, enum base, scalar codecs, ``to_wire``.

Google's REST surface is proto3 JSON: camelCase keys, enums as strings (numbers accepted on
input), fields at their default value omitted in responses, timestamps as RFC 3339 strings,
bytes as base64, ``FieldMask`` as one comma-separated string and ``Duration`` as ``"35s"``.
Everything in this module exists to make pydantic speak exactly that dialect while Python code
works with snake_case attributes, ``datetime``, ``bytes`` and ``list[str]``.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable, Collection, Iterable
from datetime import UTC, datetime, timedelta
from enum import Enum, StrEnum
from typing import Annotated, Any, ClassVar, Self, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    PlainSerializer,
    model_validator,
)
from pydantic.alias_generators import to_camel

__all__ = [
    "Bytes",
    "Duration",
    "FieldMask",
    "ProtoEnum",
    "Timestamp",
    "WireModel",
    "format_duration",
    "format_timestamp",
    "normalize_mask",
    "proto_numbers",
    "to_wire",
    "update_mask_for",
]


class WireModel(BaseModel):
    """Base of every wire message: camelCase on the wire, snake_case in Python.

    Unknown fields are kept (``extra="allow"``) so that responses from a newer service still
    parse; the engine rejects them on requests with :func:`ragkit.types.parse_request`.
    ``None`` means "absent" (proto3 default); a JSON ``null`` is treated the same way.

    >>> from ragkit.types import Corpus
    >>> Corpus.model_validate({"displayName": "Docs"}).display_name
    'Docs'
    >>> Corpus(display_name="Docs").model_dump(by_alias=True, exclude_none=True)
    {'displayName': 'Docs'}
    """

    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        extra="allow",
        use_attribute_docstrings=True,
        # Proto fields such as `model_version` must not collide with pydantic's namespace.
        protected_namespaces=(),
    )

    # Fields (snake_case names) that proto3 serialises even at their default value: members
    # of a ``oneof`` and ``optional`` scalars have presence, so ``numericValue: 0`` or
    # ``answerableProbability: 0.0`` must survive ``to_wire(..., omit_defaults=True)``.
    wire_presence: ClassVar[frozenset[str]] = frozenset()
    # Messages whose schema we deliberately model only in part (tools, generation config,
    # grounding metadata): strict request parsing lets their unknown fields through.
    wire_open: ClassVar[bool] = False

    @model_validator(mode="before")
    @classmethod
    def _drop_nulls(cls, data: Any) -> Any:
        # proto3 JSON parsers read `null` as "field not set"; pydantic would reject null for a
        # list field, so remove such keys before validation.
        if isinstance(data, dict) and any(value is None for value in data.values()):
            return {key: value for key, value in data.items() if value is not None}
        return data


# --- enums -------------------------------------------------------------------------------

_NUMBER_OVERRIDES: dict[str, dict[str, int]] = {}


_ENUM_NAME = re.compile(r"^[A-Z][A-Z0-9_]*$")


class ProtoEnum(StrEnum):
    """A proto enum: the member value is the proto name; the proto number is also accepted.

    Members are numbered in declaration order unless the class is decorated with
    :func:`proto_numbers` (for enums whose numbers have gaps or are declared out of order).

    An unknown UPPER_CASE name (a value Google added after this release) parses into an
    *unknown* member instead of failing the whole response: it compares equal to its name,
    ``is_known`` is False, and :func:`ragkit.types.parse_request` rejects it in requests.

    >>> from ragkit.types import State
    >>> State(2) is State.STATE_ACTIVE, State.STATE_FAILED.number
    (True, 10)
    >>> State("STATE_ARCHIVED").is_known
    False
    """

    @property
    def number(self) -> int:
        """The proto enum number of this member (``ValueError`` for an unknown member)."""
        if not self.is_known:
            raise ValueError(f"{type(self).__name__} value {self.value!r} has no known number")
        overrides = _NUMBER_OVERRIDES.get(type(self).__qualname__ + type(self).__module__, {})
        if self.name in overrides:
            return overrides[self.name]
        return list(type(self)).index(self)

    @property
    def is_known(self) -> bool:
        """False for a value this release does not know (see the class docstring)."""
        return self._name_ in type(self).__members__

    @property
    def is_unspecified(self) -> bool:
        """True for the ``*_UNSPECIFIED`` zero value (proto3's "not set")."""
        return self.value.endswith("_UNSPECIFIED")

    @classmethod
    def _missing_(cls, value: object) -> Self | None:
        # proto3 JSON parsers accept the numeric value of an enum as well as its name.
        if isinstance(value, int) and not isinstance(value, bool):
            for member in cls:
                if member.number == value:
                    return member
            return None
        if isinstance(value, str) and _ENUM_NAME.match(value):
            # Forward compatibility: the service adds enum values over time (FinishReason
            # gained eight); a response must not become unreadable because of one.
            unknown = str.__new__(cls, value)
            unknown._name_ = value
            unknown._value_ = value
            return unknown
        return None


_E = TypeVar("_E", bound=ProtoEnum)


def proto_numbers(**numbers: int) -> Callable[[type[_E]], type[_E]]:
    """Class decorator giving some members of a :class:`ProtoEnum` explicit proto numbers."""

    def register(cls: type[_E]) -> type[_E]:
        unknown = set(numbers) - {member.name for member in cls}
        if unknown:
            raise TypeError(f"{cls.__name__} has no members {sorted(unknown)}")
        _NUMBER_OVERRIDES[cls.__qualname__ + cls.__module__] = dict(numbers)
        return cls

    return register


# --- scalar codecs -----------------------------------------------------------------------

_FRACTION = re.compile(r"(\.\d{6})\d+")


def _parse_timestamp(value: Any) -> Any:
    # Google may send 9 fractional digits; datetime holds 6. Truncate (never round up into
    # the next second) before pydantic parses the string.
    if isinstance(value, str):
        return _FRACTION.sub(r"\1", value, count=1)
    return value


def _as_utc(value: datetime) -> datetime:
    # A naive datetime from Python code is taken to be UTC (the API has no local time).
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def format_timestamp(value: datetime) -> str:
    """RFC 3339 in UTC with ``Z`` and microseconds, as Google writes timestamps.

    >>> format_timestamp(datetime(2024, 4, 19, 3, 32, 13, 587977, tzinfo=UTC))
    '2024-04-19T03:32:13.587977Z'
    """
    utc = _as_utc(value)
    # Not strftime: "%Y" does not zero-pad years before 1000 on every platform.
    return (
        f"{utc.year:04d}-{utc.month:02d}-{utc.day:02d}T"
        f"{utc.hour:02d}:{utc.minute:02d}:{utc.second:02d}.{utc.microsecond:06d}Z"
    )


Timestamp = Annotated[
    datetime,
    BeforeValidator(_parse_timestamp),
    AfterValidator(_as_utc),
    PlainSerializer(format_timestamp, return_type=str, when_used="json"),
]
"""``google.protobuf.Timestamp``: an aware UTC ``datetime`` in Python, RFC 3339 on the wire."""


def _decode_bytes(value: Any) -> Any:
    if isinstance(value, str):
        # proto3 JSON accepts the standard and the URL-safe alphabet, padded or not.
        text = value.replace("-", "+").replace("_", "/")
        text += "=" * (-len(text) % 4)
        try:
            return base64.b64decode(text, validate=True)
        except binascii.Error as exc:
            raise ValueError("is not valid base64") from exc
    return value


def _encode_bytes(value: bytes) -> str:
    return base64.b64encode(value).decode("ascii")


Bytes = Annotated[
    bytes,
    BeforeValidator(_decode_bytes),
    PlainSerializer(_encode_bytes, return_type=str, when_used="json"),
]
"""proto ``bytes``: ``bytes`` in Python, standard base64 on the wire."""


def _split_mask(value: Any) -> Any:
    if isinstance(value, str):
        return [path.strip() for path in value.split(",") if path.strip()]
    return value


def _join_mask(value: list[str]) -> str:
    return ",".join(value)


FieldMask = Annotated[
    list[str],
    BeforeValidator(_split_mask),
    PlainSerializer(_join_mask, return_type=str, when_used="json"),
]
"""``google.protobuf.FieldMask``: a list of paths in Python, ``"a,b"`` on the wire."""

_DURATION = re.compile(r"^(-)?(\d+)(?:\.(\d{1,9}))?s$")


def _parse_duration(value: Any) -> Any:
    if isinstance(value, str):
        match = _DURATION.match(value.strip())
        if match is None:
            raise ValueError(f"{value!r} is not a duration like '35s' or '1.5s'")
        sign, seconds, fraction = match.groups()
        micros = int(((fraction or "") + "000000")[:6])
        delta = timedelta(seconds=int(seconds), microseconds=micros)
        return -delta if sign else delta
    if isinstance(value, int | float) and not isinstance(value, bool):
        return timedelta(seconds=value)
    return value


def format_duration(value: timedelta) -> str:
    """``google.protobuf.Duration`` JSON: seconds with an ``s`` suffix and 0, 3 or 6 digits.

    >>> format_duration(timedelta(seconds=35)), format_duration(timedelta(seconds=35.5))
    ('35s', '35.500s')
    """
    micros = abs(value) // timedelta(microseconds=1)
    sign = "-" if value < timedelta(0) else ""
    seconds, fraction = divmod(micros, 1_000_000)
    if fraction == 0:
        return f"{sign}{seconds}s"
    if fraction % 1000 == 0:
        return f"{sign}{seconds}.{fraction // 1000:03d}s"
    return f"{sign}{seconds}.{fraction:06d}s"


Duration = Annotated[
    timedelta,
    BeforeValidator(_parse_duration),
    PlainSerializer(format_duration, return_type=str, when_used="json"),
]
"""``google.protobuf.Duration``: ``timedelta`` in Python, ``"35s"`` on the wire."""


# --- serialisation -----------------------------------------------------------------------


def to_wire(
    model: BaseModel, *, omit_defaults: bool = False, exclude: Collection[str] = ()
) -> dict[str, Any]:
    """The JSON object for ``model``: camelCase keys, no ``None`` values, wire scalars.

    With ``omit_defaults`` also drop what proto3 JSON leaves out of a response: empty lists
    and maps, ``""``, ``0``, ``False`` and ``*_UNSPECIFIED`` enums, except for fields that
    have presence (oneof members and ``optional`` scalars). An empty query result is then
    ``{}``, as Google returns it. Unknown (extra) fields are passed through unchanged.

    >>> from ragkit.types import QueryCorpusResponse
    >>> to_wire(QueryCorpusResponse(), omit_defaults=True)
    {}
    >>> to_wire(QueryCorpusResponse())
    {'relevantChunks': []}

    ``exclude`` names top-level fields (snake_case) to leave out, e.g. the fields a REST
    method binds in the URL rather than the body:

    >>> from ragkit.types import QueryCorpusRequest
    >>> to_wire(QueryCorpusRequest(name="corpora/docs", query="keys?"), exclude={"name"})
    {'query': 'keys?', 'metadataFilters': []}
    """
    data = model.model_dump(
        mode="json", by_alias=True, exclude_none=True, exclude=set(exclude) or None
    )
    if omit_defaults:
        _strip_defaults(model, data)
    return data


def _is_default(value: Any) -> bool:
    if isinstance(value, Enum):
        return isinstance(value, ProtoEnum) and value.is_unspecified
    if isinstance(value, bool | int | float | str | bytes | list | dict):
        return not value
    return False


def _strip_defaults(model: BaseModel, data: dict[str, Any]) -> None:
    presence: frozenset[str] = getattr(type(model), "wire_presence", frozenset())
    for name, field in type(model).model_fields.items():
        key = field.alias or name
        if key not in data:
            continue
        value = getattr(model, name)
        if isinstance(value, BaseModel):
            # A set sub-message has presence in proto3 and is kept even when empty.
            _strip_defaults(value, data[key])
            continue
        if isinstance(value, list) and isinstance(data[key], list):  # not a FieldMask string
            for item, dumped in zip(value, data[key], strict=True):
                if isinstance(item, BaseModel):
                    _strip_defaults(item, dumped)
        if name not in presence and _is_default(value):
            del data[key]


def normalize_mask(paths: Iterable[str]) -> list[str]:
    """``updateMask`` paths in camelCase, deduplicated, order kept.

    Google's parser accepts proto (snake_case) and JSON (camelCase) path names alike; the
    engine compares normalised paths against what a resource allows.

    >>> normalize_mask(["custom_metadata", "data.string_value", "customMetadata"])
    ['customMetadata', 'data.stringValue']
    """
    seen: dict[str, None] = {}
    for path in paths:
        seen.setdefault(".".join(to_camel(part) for part in path.strip().split(".")), None)
    return list(seen)


def update_mask_for(model: BaseModel) -> list[str]:
    """camelCase paths of the fields the caller explicitly set, ``name`` excluded.

    This is the ``updateMask`` for a PATCH: only what the caller touched is replaced.

    >>> from ragkit.types import Document
    >>> update_mask_for(Document(name="corpora/c/documents/d", display_name="New title"))
    ['displayName']
    """
    fields = type(model).model_fields
    return [
        fields[name].alias or name
        for name in fields
        if name in model.model_fields_set and name != "name"
    ]
