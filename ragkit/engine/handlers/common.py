"""Helpers every handler uses: page sizes and tokens, update masks, name checks."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol, TypeVar

from ragkit.engine.engine import Engine
from ragkit.engine.errors import ApiError, field_error, resource_exhausted
from ragkit.engine.store import pages

T = TypeVar("T")

QUOTA_FAILURE_TYPE = "type.googleapis.com/google.rpc.QuotaFailure"


class PageRequest(Protocol):
    """The paging fields every list request has."""

    page_size: int | None
    page_token: str | None


class _Created(Protocol):
    @property
    def create_time(self) -> int: ...
    @property
    def rowid(self) -> int: ...


def by_creation(record: _Created) -> pages.Cursor:
    """The list position of a stored record (lists are ordered by creation)."""
    return pages.Cursor(record.create_time, record.rowid)


def page_size(requested: int | None, *, default: int, maximum: int) -> int:
    """0/unset means the default; above the maximum is clamped (AIP-158), never an error."""
    if not requested:
        return default
    return min(requested, maximum)


def paginate(
    engine: Engine,
    scope: tuple[str, ...],
    request: PageRequest,
    *,
    default: int,
    maximum: int,
    fetch: Callable[[pages.Cursor | None, int], Sequence[T]],
    cursor_of: Callable[[T], pages.Cursor],
) -> tuple[Sequence[T], str | None]:
    """One page of a list plus the token of the next page (None on the last page).

    ``scope`` names the list (method, parent, caller): a token only works for the same
    scope. ``fetch(after, limit)`` returns items sorted ascending after ``after``; one
    extra item is fetched to know whether another page exists without a COUNT.
    """
    size = page_size(request.page_size, default=default, maximum=maximum)
    after = None
    if request.page_token:
        try:
            after = pages.decode(engine.page_key, scope, request.page_token)
        except pages.InvalidPageToken as exc:
            raise field_error("pageToken", str(exc)) from exc
    items = fetch(after, size + 1)
    if len(items) <= size:
        return items, None
    page = items[:size]
    return page, pages.encode(engine.page_key, scope, cursor_of(page[-1]))


def mask_paths(mask: Sequence[str], allowed: dict[str, str], *, resource: str) -> set[str]:
    """Canonical field names for an ``updateMask``; 400 if it is empty or names other fields.

    ``allowed`` maps every accepted spelling (camelCase, snake_case, sub-paths) to the
    canonical field name.
    """
    if not mask:
        raise field_error("updateMask", f"updateMask is required to update a {resource}")
    unknown = [path for path in mask if path not in allowed]
    if unknown:
        supported = sorted(set(allowed.values()))
        raise field_error(
            "updateMask",
            f"cannot update {', '.join(unknown)} of a {resource}; supported: "
            + ", ".join(supported),
        )
    return {allowed[path] for path in mask}


def limit_exceeded(subject: str, description: str) -> ApiError:
    """429 RESOURCE_EXHAUSTED for a hard capacity limit (a QuotaFailure, no RetryInfo)."""
    error = resource_exhausted(description)
    error.details.append(
        {
            "@type": QUOTA_FAILURE_TYPE,
            "violations": [{"subject": subject, "description": description}],
        }
    )
    return error


def parse_name(parse: Callable[..., T], name: str | None, *, field: str) -> T:
    """Parse a resource name, turning a ``ValueError`` into a 400 on ``field``."""
    if not name:
        raise field_error(field, f"{field} is required")
    try:
        return parse(name, what=field)
    except ValueError as exc:
        raise field_error(field, str(exc)) from exc
