"""Small shared types: the ``NOT_GIVEN`` sentinel and timeout aliases."""

from __future__ import annotations

from typing import Any, Final, Literal, TypeAlias, TypeVar

import httpx

_T = TypeVar("_T")


class NotGiven:
    """The type of ``NOT_GIVEN``: "the caller did not pass this argument".

    ``None`` is a real value for some fields (it clears them in an update), so a
    second sentinel tells "leave it alone" apart from "set it to nothing".

    >>> from ragkit.client import NOT_GIVEN
    >>> def update(display_name: str | None | NotGiven = NOT_GIVEN) -> dict[str, object]:
    ...     return {} if isinstance(display_name, NotGiven) else {"displayName": display_name}
    >>> update(), update(None)
    ({}, {'displayName': None})
    """

    _instance: NotGiven | None = None

    def __new__(cls) -> NotGiven:
        # A singleton, so copies and pickles still compare with ``is``.
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"

    def __reduce__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN: Final = NotGiven()

TimeoutTypes: TypeAlias = float | httpx.Timeout | None
"""A timeout in seconds, an ``httpx.Timeout``, or ``None`` for no timeout."""


def given(values: dict[str, Any]) -> dict[str, Any]:
    """``values`` without the entries the caller did not give."""
    return {key: value for key, value in values.items() if not isinstance(value, NotGiven)}


def or_default(value: _T | NotGiven, default: _T) -> _T:
    """``value`` unless it is ``NOT_GIVEN``."""
    return default if isinstance(value, NotGiven) else value
