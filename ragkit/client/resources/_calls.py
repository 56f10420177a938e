"""Builders of ``APICall`` descriptions shared by every resource (no I/O).

Each resource method validates its arguments, builds one of these and hands it
to the client, so the sync and async twins differ only in ``await``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from pydantic import BaseModel

from ragkit.client._base import APICall
from ragkit.client._retry import RetrySafety
from ragkit.client._types import NOT_GIVEN, NotGiven, given
from ragkit.types import (
    Chunk,
    ChunkData,
    Content,
    CustomMetadata,
    MetadataFilter,
    MetadataValue,
    QueryCorpusRequest,
    QueryDocumentRequest,
    WireModel,
    to_wire,
    update_mask_for,
)

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")

MetadataInput = Sequence[CustomMetadata] | Mapping[str, MetadataValue]
"""Custom metadata as entries, or as a ``{key: str | number | [str, ...]}`` mapping."""

ContentsInput = str | Content | Sequence[Content]
"""A question as plain text (one user turn), one ``Content``, or a conversation."""

ChunkInput = Chunk | str
"""A chunk, or just its text."""

IDEMPOTENT = RetrySafety.IDEMPOTENT
UNSAFE = RetrySafety.UNSAFE


def body(model: WireModel, *, drop: Sequence[str] = ()) -> dict[str, Any]:
    """The proto3 JSON of ``model`` without the fields the URL already carries."""
    return to_wire(model, omit_defaults=True, exclude=drop)


def parse_empty(_: Any) -> None:
    """Deletes answer ``{}`` (``google.protobuf.Empty``)."""
    return None


def get(path: str, model: type[M]) -> APICall[M]:
    """``GET /{path}`` returning ``model``."""
    return APICall("GET", path, model.model_validate, IDEMPOTENT)


def delete(path: str, *, force: bool | NotGiven = NOT_GIVEN) -> APICall[None]:
    """``DELETE /{path}[?force=]``; repeating a delete is harmless (a 404 at worst)."""
    params = {} if isinstance(force, NotGiven) else {"force": force}
    return APICall("DELETE", path, parse_empty, IDEMPOTENT, params=params)


def create(path: str, resource: WireModel, model: type[M]) -> APICall[M]:
    """``POST /{path}`` with the resource as the body.

    Safe to retry only when the caller chose the name (see ``_retry``).
    """
    safety = IDEMPOTENT if getattr(resource, "name", None) else UNSAFE
    return APICall("POST", path, model.model_validate, safety, body=body(resource))


def update(path: str, resource: WireModel, model: type[M]) -> APICall[M]:
    """``PATCH /{path}?updateMask=`` naming exactly the fields the caller set."""
    mask = update_mask_for(resource)
    if not mask:
        raise ValueError("update() needs at least one field to change")
    return APICall(
        "PATCH",
        path,
        model.model_validate,
        IDEMPOTENT,
        params={"updateMask": ",".join(mask)},
        body=body(resource, drop=("name",)),
    )


def listing(path: str, model: type[M], *, page_size: int | NotGiven) -> APICall[M]:
    """``GET /{path}?pageSize=``; the pager adds ``pageToken``."""
    params: dict[str, str | int | bool] = {}
    if not isinstance(page_size, NotGiven):
        if page_size < 0:
            raise ValueError(f"page_size must not be negative (got {page_size})")
        params["pageSize"] = page_size
    return APICall("GET", path, model.model_validate, IDEMPOTENT, params=params)


def post(
    path: str,
    request: WireModel,
    parse: Callable[[Any], T],
    *,
    safety: RetrySafety = IDEMPOTENT,
    drop: Sequence[str] = (),
    generation: bool = False,
) -> APICall[T]:
    """``POST /{path}`` of a request message (custom verbs: ``:query``, ``:batchCreate``...)."""
    return APICall(
        "POST", path, parse, safety, body=body(request, drop=drop), generation=generation
    )


def query(
    path: str,
    request_model: type[QueryCorpusRequest] | type[QueryDocumentRequest],
    response_model: type[M],
    *,
    query: str,
    metadata_filters: Sequence[MetadataFilter] | NotGiven,
    results_count: int | NotGiven,
) -> APICall[M]:
    """``POST /{path}:query`` (a corpus or a document): semantic search, best first."""
    request = request_model(
        query=query,
        **given({"metadata_filters": metadata_filters, "results_count": results_count}),
    )
    return post(f"{path}:query", request, response_model.model_validate, drop=("name",))


def metadata(value: MetadataInput) -> list[CustomMetadata]:
    """Entries from either accepted form of custom metadata.

    >>> [m.key for m in metadata({"year": 2024, "tags": ["a", "b"]})]
    ['year', 'tags']
    """
    if isinstance(value, Mapping):
        return [CustomMetadata.of(key, item) for key, item in value.items()]
    return list(value)


def contents(value: ContentsInput) -> list[Content]:
    """A list of ``Content`` from text, one ``Content`` or a sequence of them."""
    if isinstance(value, str):
        return [Content.from_text(value, role="user")]
    if isinstance(value, Content):
        return [value]
    return list(value)


def chunk(value: ChunkInput) -> Chunk:
    """A ``Chunk`` from a chunk or its text."""
    return Chunk(data=ChunkData(string_value=value)) if isinstance(value, str) else value
