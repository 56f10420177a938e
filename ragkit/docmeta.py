"""The custom metadata ragkit's ingest writes, and how to read it back.

Ingest is the writer and ``ragkit.qa`` the reader: citations resolve a chunk to its
file and pages through these keys, and ``--where`` filters name them. Keeping the
keys in one module keeps the two sides in step.

Document entries (``document.custom_metadata.<key>`` in filters):
``source`` relative path, ``title``, ``sha256`` of the content, ``bytes``, ``mtime``
(Unix seconds), ``pages`` (page count, PDFs), ``type`` (pdf/html/markdown/text),
``chunks`` (how many the document has), ``ingest_version`` and ``complete``
(1 once every chunk is stored: an interrupted ingest leaves it unset).

Chunk entries (``chunk.custom_metadata.<key>``): ``page`` and ``page_last`` (first
and last page of the passage), ``section`` and ``index`` (position in the document).
All strings are cut to the API's 256 characters.
"""

from __future__ import annotations

from dataclasses import dataclass

from ragkit.types import Chunk, CustomMetadata, Document
from ragkit.types.limits import MAX_STRING_VALUE_CHARS

# Document keys.
SOURCE = "source"
TITLE = "title"
SHA256 = "sha256"
BYTES = "bytes"
MTIME = "mtime"
PAGES = "pages"
TYPE = "type"
CHUNKS = "chunks"
INGEST_VERSION = "ingest_version"
COMPLETE = "complete"
DOCUMENT_KEYS = frozenset(
    {SOURCE, TITLE, SHA256, BYTES, MTIME, PAGES, TYPE, CHUNKS, INGEST_VERSION, COMPLETE}
)

# Chunk keys.
PAGE = "page"
PAGE_LAST = "page_last"
SECTION = "section"
INDEX = "index"
CHUNK_KEYS = frozenset({PAGE, PAGE_LAST, SECTION, INDEX})


def short(text: str) -> str:
    """``text`` cut to the API's 256-character limit for string values."""
    if len(text) <= MAX_STRING_VALUE_CHARS:
        return text
    return text[: MAX_STRING_VALUE_CHARS - 1] + "…"


def chunk_metadata(
    *, index: int, first_page: int | None, last_page: int | None, section: str | None
) -> list[CustomMetadata]:
    """The metadata entries ingest puts on one chunk."""
    entries = [CustomMetadata.of(INDEX, index)]
    if first_page is not None:
        entries.append(CustomMetadata.of(PAGE, first_page))
        entries.append(CustomMetadata.of(PAGE_LAST, last_page or first_page))
    if section:
        entries.append(CustomMetadata.of(SECTION, short(section)))
    return entries


@dataclass(frozen=True)
class DocumentInfo:
    """What a document's metadata says about its source file."""

    source: str | None
    title: str | None
    page_count: int | None
    sha256: str | None
    complete: bool


@dataclass(frozen=True)
class ChunkInfo:
    """What a chunk's metadata says about where it sits in its document."""

    pages: tuple[int, int] | None
    section: str | None
    index: int | None


def _values(entries: list[CustomMetadata]) -> dict[str, str | float | list[str]]:
    return {entry.key: entry.value for entry in entries}


def document_info(document: Document) -> DocumentInfo:
    """Read back what ingest recorded on ``document`` (None for what it did not)."""
    values = _values(document.custom_metadata)
    source = values.get(SOURCE)
    title = values.get(TITLE)
    pages = values.get(PAGES)
    sha = values.get(SHA256)
    return DocumentInfo(
        source=source if isinstance(source, str) else document.display_name,
        title=title if isinstance(title, str) else None,
        page_count=int(pages) if isinstance(pages, float) else None,
        sha256=sha if isinstance(sha, str) else None,
        complete=values.get(COMPLETE) == 1.0,
    )


def chunk_info(chunk: Chunk) -> ChunkInfo:
    """Read back the page range, section and index of ``chunk``."""
    values = _values(chunk.custom_metadata)
    first, last = values.get(PAGE), values.get(PAGE_LAST)
    pages = None
    if isinstance(first, float):
        pages = (int(first), int(last) if isinstance(last, float) else int(first))
    section = values.get(SECTION)
    index = values.get(INDEX)
    return ChunkInfo(
        pages=pages,
        section=section if isinstance(section, str) else None,
        index=int(index) if isinstance(index, float) else None,
    )
