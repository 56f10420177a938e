"""Plain records the store reads and writes.

The store speaks these small frozen dataclasses rather than the wire models so it
can be tested (and reasoned about) without HTTP or pydantic; the engine's service
layer converts between the two. Times are microseconds since the epoch (see
``clock``); ``rowid`` is SQLite's integer key, never shown on the wire.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


class ValueKind(IntEnum):
    """How a custom-metadata entry's value is stored (the ``kind`` column)."""

    STRING = 1
    LIST_ITEM = 2  # one row per element of a stringListValue
    NUMBER = 3
    LIST = 4  # marks that the entry is a list (an empty list has only this row)


@dataclass(frozen=True, slots=True)
class MetadataEntry:
    """One ``CustomMetadata``: a key and exactly one of the three value kinds."""

    key: str
    string_value: str | None = None
    string_list: tuple[str, ...] | None = None
    numeric_value: float | None = None


Metadata = tuple[MetadataEntry, ...]


@dataclass(frozen=True, slots=True)
class CorpusRecord:
    rowid: int
    corpus_id: str
    display_name: str
    create_time: int
    update_time: int
    embedder: str
    document_count: int
    chunk_count: int
    chunks_version: int  # bumped on every chunk write; in-memory indexes compare it


@dataclass(frozen=True, slots=True)
class DocumentRecord:
    rowid: int
    corpus_rowid: int
    corpus_id: str
    document_id: str
    display_name: str
    custom_metadata: Metadata
    create_time: int
    update_time: int


@dataclass(frozen=True, slots=True)
class ChunkRecord:
    rowid: int
    document_rowid: int
    corpus_rowid: int
    corpus_id: str
    document_id: str
    chunk_id: str
    text: str
    custom_metadata: Metadata
    create_time: int
    update_time: int
    ready_time: int  # the chunk is STATE_ACTIVE from this time on


@dataclass(frozen=True, slots=True)
class PermissionRecord:
    rowid: int
    corpus_rowid: int
    corpus_id: str
    permission_id: str
    grantee_type: str
    email_address: str | None
    role: str
    create_time: int


@dataclass(frozen=True, slots=True)
class NewChunk:
    """A chunk to insert: everything but the keys and times the store assigns."""

    chunk_id: str
    text: str
    custom_metadata: Metadata
    vector: bytes | None
