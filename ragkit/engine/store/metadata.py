"""Custom metadata in the store: a JSON copy on the owning row, plus indexed value rows.

The JSON copy (``custom_metadata`` column) gives entries back in their original
order; the ``document_metadata`` / ``chunk_metadata`` rows exist only so filters
(section 7 of the reference) run as index lookups. Both are written together.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable

from ragkit.engine.store.records import Metadata, MetadataEntry, ValueKind

Owner = str  # "document" or "chunk": picks the table and its owner column

_OWNERS = {"document", "chunk"}


def dump(entries: Metadata) -> str | None:
    """Serialise entries for the JSON column (None for no entries)."""
    if not entries:
        return None
    out: list[list[object]] = []
    for entry in entries:
        if entry.string_list is not None:
            out.append([entry.key, "l", list(entry.string_list)])
        elif entry.numeric_value is not None:
            out.append([entry.key, "n", entry.numeric_value])
        else:
            out.append([entry.key, "s", entry.string_value or ""])
    return json.dumps(out, ensure_ascii=False, separators=(",", ":"))


def load(text: str | None) -> Metadata:
    """Inverse of :func:`dump`."""
    if not text:
        return ()
    entries: list[MetadataEntry] = []
    for key, kind, value in json.loads(text):
        if kind == "l":
            entries.append(MetadataEntry(key, string_list=tuple(value)))
        elif kind == "n":
            entries.append(MetadataEntry(key, numeric_value=float(value)))
        else:
            entries.append(MetadataEntry(key, string_value=value))
    return tuple(entries)


def _value_rows(
    owner_rowid: int, corpus_rowid: int, entries: Metadata
) -> Iterable[tuple[int, int, int, str, int, str | None, float | None]]:
    for pos, entry in enumerate(entries):
        if entry.string_list is not None:
            yield owner_rowid, corpus_rowid, pos, entry.key, ValueKind.LIST, None, None
            for item in entry.string_list:
                yield owner_rowid, corpus_rowid, pos, entry.key, ValueKind.LIST_ITEM, item, None
        elif entry.numeric_value is not None:
            yield (
                owner_rowid,
                corpus_rowid,
                pos,
                entry.key,
                ValueKind.NUMBER,
                None,
                entry.numeric_value,
            )
        else:
            yield (
                owner_rowid,
                corpus_rowid,
                pos,
                entry.key,
                ValueKind.STRING,
                entry.string_value,
                None,
            )


def write_index(
    conn: sqlite3.Connection,
    owner: Owner,
    items: Iterable[tuple[int, int, Metadata]],
    *,
    replace: bool = False,
) -> None:
    """Write value rows for ``(owner_rowid, corpus_rowid, entries)`` items.

    With ``replace`` the owners' previous rows are deleted first (an update).
    """
    if owner not in _OWNERS:
        raise ValueError(f"unknown metadata owner {owner!r}")
    rows: list[tuple[int, int, int, str, int, str | None, float | None]] = []
    stale: list[tuple[int]] = []
    for owner_rowid, corpus_rowid, entries in items:
        stale.append((owner_rowid,))
        rows.extend(_value_rows(owner_rowid, corpus_rowid, entries))
    if replace:
        conn.executemany(f"DELETE FROM {owner}_metadata WHERE {owner} = ?", stale)
    conn.executemany(
        f"INSERT INTO {owner}_metadata ({owner}, corpus, pos, key, kind, s, n)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
