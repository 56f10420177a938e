"""Constrained field types shared by several messages, with errors that name the limit.

pydantic prefixes the error with the field's path (``requests[3].chunk.customMetadata``), and
the messages below also name the field and the number, so a client-side ``ValidationError``
and the engine's 400 both say what was wrong and what the limit is.
"""

from __future__ import annotations

from collections.abc import Callable, Sized
from typing import Annotated, TypeVar

from pydantic import AfterValidator

from ragkit.types import names
from ragkit.types.limits import MAX_DISPLAY_NAME_CHARS, MAX_RESULTS_COUNT

_S = TypeVar("_S", bound=Sized)


def check_count(items: _S, *, field: str, limit: int, minimum: int = 0) -> _S:
    """Raise ``ValueError`` if ``items`` has more than ``limit`` (or fewer than ``minimum``)."""
    count = len(items)
    if count > limit:
        raise ValueError(f"{field} has {count} entries; the limit is {limit}")
    if count < minimum:
        if minimum == 1:
            raise ValueError(f"{field} must not be empty")
        raise ValueError(f"{field} has {count} entries; at least {minimum} are required")
    return items


def _display_name(value: str) -> str:
    if len(value) > MAX_DISPLAY_NAME_CHARS:
        raise ValueError(
            f"displayName is {len(value)} characters long; the limit is {MAX_DISPLAY_NAME_CHARS}"
        )
    return value


def _page_size(value: int) -> int:
    if value < 0:
        raise ValueError(f"pageSize must not be negative (got {value})")
    return value


def _results_count(value: int) -> int | None:
    if value < 0 or value > MAX_RESULTS_COUNT:
        raise ValueError(f"resultsCount must be between 1 and {MAX_RESULTS_COUNT} (got {value})")
    # proto3 cannot tell 0 from "not set": both mean the default count.
    return value or None


def _name_check(parse: Callable[..., object]) -> Callable[[str], str]:
    def check(value: str) -> str:
        parse(value)
        return value

    return check


DisplayName = Annotated[str, AfterValidator(_display_name)]
"""A ``displayName``: at most 512 characters."""
PageSize = Annotated[int, AfterValidator(_page_size)]
"""A list ``pageSize``: non-negative; 0 means the default, the maximum is the server's."""
ResultsCount = Annotated[int, AfterValidator(_results_count)]
"""A query ``resultsCount``: 1..100; 0 (proto3 "unset") becomes ``None`` (the default, 10)."""
CorpusName = Annotated[str, AfterValidator(_name_check(names.parse_corpus_name))]
DocumentName = Annotated[str, AfterValidator(_name_check(names.parse_document_name))]
ChunkName = Annotated[str, AfterValidator(_name_check(names.parse_chunk_name))]
PermissionName = Annotated[str, AfterValidator(_name_check(names.parse_permission_name))]
SourceName = Annotated[str, AfterValidator(_name_check(names.parse_source))]
