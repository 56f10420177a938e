"""Custom metadata on documents and chunks, and the filters that query it (§6.4, §6.5, §7).

The filter *semantics* (AND across filters, OR within one, type agreement) are the engine's
job; these models only check the shape: one value per entry or condition, and the limits.
"""

# ruff: noqa: RUF012  (pydantic copies mutable field defaults per instance; ruff only
# recognises direct BaseModel subclasses, not WireModel ones)

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, ClassVar, Self

from pydantic import AfterValidator, field_validator, model_validator

from ragkit.types._base import ProtoEnum, WireModel
from ragkit.types._fields import check_count
from ragkit.types.limits import (
    MAX_CUSTOM_METADATA,
    MAX_STRING_LIST_VALUES,
    MAX_STRING_VALUE_CHARS,
)

__all__ = [
    "Condition",
    "CustomMetadata",
    "CustomMetadataList",
    "MetadataFilter",
    "MetadataValue",
    "Operator",
    "StringList",
]

MetadataValue = str | float | Sequence[str]
"""A Python value for :meth:`CustomMetadata.of`: text, a number or a list of strings."""


class StringList(WireModel):
    """A list of string values of one metadata entry (at most 10)."""

    values: list[str] = []
    """The string values of the metadata to store (at most 10)."""

    @field_validator("values")
    @classmethod
    def _at_most_ten(cls, values: list[str]) -> list[str]:
        return check_count(values, field="stringListValue.values", limit=MAX_STRING_LIST_VALUES)


class CustomMetadata(WireModel):
    """A user-provided key/value entry: exactly one of the three value fields is set.

    >>> CustomMetadata.of("year", 2024).numeric_value
    2024.0
    >>> CustomMetadata.of("tags", ["a", "b"]).value
    ['a', 'b']
    """

    wire_presence: ClassVar[frozenset[str]] = frozenset(
        {"string_value", "string_list_value", "numeric_value"}
    )
    key: str
    """Required. The key of the metadata to store."""
    string_value: str | None = None
    """The string value of the metadata to store (at most 256 characters)."""
    string_list_value: StringList | None = None
    """The StringList value of the metadata to store."""
    numeric_value: float | None = None
    """The numeric value of the metadata to store (a 32-bit float on the server)."""

    @field_validator("string_value")
    @classmethod
    def _short_string(cls, value: str) -> str:
        if len(value) > MAX_STRING_VALUE_CHARS:
            # Google's own wording, as observed from the live service.
            raise ValueError(
                f"string_value cannot be more than {MAX_STRING_VALUE_CHARS} characters long."
            )
        return value

    @model_validator(mode="after")
    def _exactly_one_value(self) -> Self:
        count = sum(
            value is not None
            for value in (self.string_value, self.string_list_value, self.numeric_value)
        )
        if count != 1:
            raise ValueError(
                "customMetadata entry must set exactly one of stringValue, stringListValue, "
                f"numericValue (got {count})"
            )
        return self

    @classmethod
    def of(cls, key: str, value: MetadataValue) -> CustomMetadata:
        """Build an entry from a Python value: ``str``, a number, or a list of strings."""
        if isinstance(value, str):
            return cls(key=key, string_value=value)
        if isinstance(value, bool):
            raise TypeError(f"metadata {key!r}: a bool is not a metadata value")
        if isinstance(value, int | float):
            return cls(key=key, numeric_value=float(value))
        return cls(key=key, string_list_value=StringList(values=list(value)))

    @property
    def value(self) -> str | float | list[str]:
        """The one value this entry holds."""
        if self.string_value is not None:
            return self.string_value
        if self.numeric_value is not None:
            return self.numeric_value
        assert self.string_list_value is not None  # guaranteed by the validator
        return self.string_list_value.values


def _at_most_twenty(entries: list[CustomMetadata]) -> list[CustomMetadata]:
    return check_count(entries, field="customMetadata", limit=MAX_CUSTOM_METADATA)


CustomMetadataList = Annotated[list[CustomMetadata], AfterValidator(_at_most_twenty)]
"""The ``customMetadata`` of a Document or Chunk: at most 20 entries."""


class Operator(ProtoEnum):
    """Comparison of a ``Condition``. Numeric: LESS..NOT_EQUAL; string: EQUAL, NOT_EQUAL;
    a string against a string-list entry: INCLUDES, EXCLUDES."""

    OPERATOR_UNSPECIFIED = "OPERATOR_UNSPECIFIED"
    LESS = "LESS"
    LESS_EQUAL = "LESS_EQUAL"
    EQUAL = "EQUAL"
    GREATER_EQUAL = "GREATER_EQUAL"
    GREATER = "GREATER"
    NOT_EQUAL = "NOT_EQUAL"
    INCLUDES = "INCLUDES"
    EXCLUDES = "EXCLUDES"


class Condition(WireModel):
    """One comparison of a filter: exactly one of ``string_value`` / ``numeric_value``.

    >>> Condition(numeric_value=2020, operation=Operator.GREATER_EQUAL).numeric_value
    2020.0
    """

    wire_presence: ClassVar[frozenset[str]] = frozenset({"string_value", "numeric_value"})
    string_value: str | None = None
    """The string value to filter the metadata on."""
    numeric_value: float | None = None
    """The numeric value to filter the metadata on."""
    operation: Operator
    """Required. Operator applied to the key/value pair."""

    @model_validator(mode="after")
    def _exactly_one_value(self) -> Self:
        if (self.string_value is None) == (self.numeric_value is None):
            got = "both" if self.string_value is not None else "neither"
            raise ValueError(
                f"a condition must set exactly one of stringValue, numericValue (got {got})"
            )
        return self


class MetadataFilter(WireModel):
    """Conditions on one key; conditions are OR-ed, separate filters AND-ed.

    ``key`` is ``document.custom_metadata.<k>`` or ``chunk.custom_metadata.<k>``.
    """

    key: str
    """Required. The key of the metadata to filter on."""
    conditions: list[Condition]
    """Required. The conditions for this key (OR-ed)."""
