"""Conversions between the store's records and the wire models.

Numbers in custom metadata are 32-bit floats on Google's side: they are stored and
compared as the shortest decimal that round-trips the float32 (``0.1`` stays ``0.1``,
``16777217`` becomes ``16777216``), so filters behave as float32 comparisons do.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from ragkit.engine.errors import field_error
from ragkit.engine.store import filters as store_filters
from ragkit.engine.store.clock import to_datetime
from ragkit.engine.store.records import (
    ChunkRecord,
    CorpusRecord,
    DocumentRecord,
    Metadata,
    MetadataEntry,
    PermissionRecord,
)
from ragkit.types import (
    Chunk,
    ChunkData,
    Corpus,
    CustomMetadata,
    Document,
    GranteeType,
    MetadataFilter,
    Permission,
    Role,
    State,
    StringList,
    names,
)

CHUNK_PREFIX = "chunk.custom_metadata."
DOCUMENT_PREFIX = "document.custom_metadata."


def float32(value: float, *, field: str) -> float:
    """``value`` as the float32 the service would keep (400 if it does not fit)."""
    with np.errstate(over="ignore"):  # overflow to inf is detected just below
        rounded = np.float32(value)
    if not math.isfinite(float(rounded)):
        raise field_error(field, f"{value!r} is outside the range of a 32-bit float")
    return float(str(rounded))


def corpus_to_wire(record: CorpusRecord) -> Corpus:
    return Corpus(
        name=names.corpus_name(record.corpus_id),
        display_name=record.display_name or None,
        create_time=to_datetime(record.create_time),
        update_time=to_datetime(record.update_time),
    )


def metadata_to_wire(entries: Metadata) -> list[CustomMetadata]:
    out: list[CustomMetadata] = []
    for entry in entries:
        if entry.string_list is not None:
            out.append(
                CustomMetadata(
                    key=entry.key, string_list_value=StringList(values=list(entry.string_list))
                )
            )
        elif entry.numeric_value is not None:
            out.append(CustomMetadata(key=entry.key, numeric_value=entry.numeric_value))
        else:
            out.append(CustomMetadata(key=entry.key, string_value=entry.string_value or ""))
    return out


def metadata_from_wire(entries: Sequence[CustomMetadata], *, field: str) -> Metadata:
    out: list[MetadataEntry] = []
    for index, entry in enumerate(entries):
        if entry.string_list_value is not None:
            out.append(MetadataEntry(entry.key, string_list=tuple(entry.string_list_value.values)))
        elif entry.numeric_value is not None:
            number = float32(entry.numeric_value, field=f"{field}[{index}].numericValue")
            out.append(MetadataEntry(entry.key, numeric_value=number))
        else:
            out.append(MetadataEntry(entry.key, string_value=entry.string_value or ""))
    return tuple(out)


def document_to_wire(record: DocumentRecord) -> Document:
    return Document(
        name=names.document_name(record.corpus_id, record.document_id),
        display_name=record.display_name or None,
        custom_metadata=metadata_to_wire(record.custom_metadata),
        create_time=to_datetime(record.create_time),
        update_time=to_datetime(record.update_time),
    )


def chunk_state(record: ChunkRecord, now: int) -> State:
    return State.STATE_ACTIVE if record.ready_time <= now else State.STATE_PENDING_PROCESSING


def chunk_to_wire(record: ChunkRecord, now: int) -> Chunk:
    return Chunk(
        name=names.chunk_name(record.corpus_id, record.document_id, record.chunk_id),
        data=ChunkData(string_value=record.text),
        custom_metadata=metadata_to_wire(record.custom_metadata),
        create_time=to_datetime(record.create_time),
        update_time=to_datetime(record.update_time),
        state=chunk_state(record, now),
    )


def permission_to_wire(record: PermissionRecord) -> Permission:
    return Permission(
        name=names.permission_name(record.corpus_id, record.permission_id),
        grantee_type=GranteeType(record.grantee_type),
        email_address=record.email_address,
        role=Role(record.role),
    )


def filters_from_wire(
    metadata_filters: Sequence[MetadataFilter],
    *,
    field: str = "metadataFilters",
    allow_document_keys: bool = True,
    strict_keys: bool = False,
) -> list[store_filters.Filter]:
    """Validate wire filters (section 7 rules) and convert them for the store.

    Raises 400 for: an empty key or condition list, an unspecified operator, a
    document-level key where only chunk keys are allowed, an unprefixed key in strict
    mode, and two filters on the same key when either compares strings (only numeric
    values may be AND-ed on one key).
    """
    out: list[store_filters.Filter] = []
    strings_on_key: dict[tuple[str, str], bool] = {}
    for index, flt in enumerate(metadata_filters):
        where = f"{field}[{index}]"
        scope, key = _split_key(flt.key, where=where, strict=strict_keys)
        if scope == "document" and not allow_document_keys:
            raise field_error(
                f"{where}.key",
                "documents.query supports only chunk-level filters "
                f"('{CHUNK_PREFIX}<key>'); got {flt.key!r}",
            )
        if not flt.conditions:
            raise field_error(f"{where}.conditions", "a filter needs at least one condition")
        conditions: list[store_filters.Condition] = []
        for c_index, cond in enumerate(flt.conditions):
            c_where = f"{where}.conditions[{c_index}]"
            if cond.operation.is_unspecified:
                raise field_error(f"{c_where}.operation", "operation must be specified")
            number = (
                float32(cond.numeric_value, field=f"{c_where}.numericValue")
                if cond.numeric_value is not None
                else None
            )
            conditions.append(
                store_filters.Condition(cond.operation.value, cond.string_value, number)
            )
        has_strings = any(c.string_value is not None for c in conditions)
        earlier = strings_on_key.get((scope, key))
        if earlier is not None and (earlier or has_strings):
            raise field_error(
                f"{where}.key",
                f"{flt.key!r} is filtered twice with string values: only numeric conditions "
                "may be AND-ed on one key; put string alternatives in one filter (OR)",
            )
        strings_on_key[(scope, key)] = bool(earlier) or has_strings
        out.append(store_filters.Filter(scope, key, tuple(conditions)))
    return out


def _split_key(raw: str, *, where: str, strict: bool) -> tuple[store_filters.Scope, str]:
    if raw.startswith(CHUNK_PREFIX) and len(raw) > len(CHUNK_PREFIX):
        return "chunk", raw[len(CHUNK_PREFIX) :]
    if raw.startswith(DOCUMENT_PREFIX) and len(raw) > len(DOCUMENT_PREFIX):
        return "document", raw[len(DOCUMENT_PREFIX) :]
    if not raw or strict or raw.startswith(("chunk.", "document.")):
        raise field_error(
            f"{where}.key",
            f"key must be '{CHUNK_PREFIX}<key>' or '{DOCUMENT_PREFIX}<key>'; got {raw!r}",
        )
    return "chunk", raw  # lenient: an unprefixed key (as langchain sent them) is a chunk key
