"""The custom metadata ragkit's ingest writes, and how to read it back.

Ingest is the writer and ``ragkit.qa`` the reader: citations resolve a chunk to its
file and pages through these keys, and ``--where`` filters name them. Keeping the
keys in one module keeps the two sides in step.

Document entries (``document.custom_metadata.<key>`` in filters):
``source`` relative path, ``title``, ``sha256`` of the content, ``bytes``, ``mtime``
(Unix seconds; the API stores numbers as 32-bit floats, so it is exact only to about
two minutes), ``pages`` (page count, paged formats), ``type`` (pdf/html/markdown/rst/
text), ``chunks`` and ``tokens`` (how many the document has), ``chunk_tokens`` and
``overlap_tokens`` (the chunking that made them), ``ingest_version``, ``complete``
(1 once every chunk is stored: an interrupted ingest leaves it unset) and ``pending``
(set while a changed file's new chunks are being stored beside the old ones; removed
when the swap is done).

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
TOKENS = "tokens"
CHUNK_TOKENS = "chunk_tokens"
OVERLAP_TOKENS = "overlap_tokens"
INGEST_VERSION = "ingest_version"
COMPLETE = "complete"
PENDING = "pending"
DOCUMENT_KEYS = frozenset(
    {
        SOURCE,
        TITLE,
        SHA256,
        BYTES,
        MTIME,
        PAGES,
        TYPE,
        CHUNKS,
        TOKENS,
        CHUNK_TOKENS,
        OVERLAP_TOKENS,
        INGEST_VERSION,
        COMPLETE,
        PENDING,
    }
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


@dataclass(frozen=True)
class SourceFacts:
    """What ingest records about a file and how it was chunked (document metadata)."""

    source: str
    title: str
    sha256: str
    size: int
    mtime: float
    page_count: int | None
    kind: str
    chunks: int
    tokens: int
    chunk_tokens: int
    overlap_tokens: int
    ingest_version: int


def document_metadata(
    facts: SourceFacts, *, complete: bool = False, pending: str | None = None
) -> list[CustomMetadata]:
    """The metadata entries ingest puts on a document (14 at most, of the API's 20)."""
    entries = [
        CustomMetadata.of(SOURCE, short(facts.source)),
        CustomMetadata.of(TITLE, short(facts.title)),
        CustomMetadata.of(SHA256, facts.sha256),
        CustomMetadata.of(BYTES, facts.size),
        CustomMetadata.of(MTIME, round(facts.mtime)),
        CustomMetadata.of(TYPE, facts.kind),
        CustomMetadata.of(CHUNKS, facts.chunks),
        CustomMetadata.of(TOKENS, facts.tokens),
        CustomMetadata.of(CHUNK_TOKENS, facts.chunk_tokens),
        CustomMetadata.of(OVERLAP_TOKENS, facts.overlap_tokens),
        CustomMetadata.of(INGEST_VERSION, facts.ingest_version),
    ]
    if facts.page_count is not None:
        entries.append(CustomMetadata.of(PAGES, facts.page_count))
    if complete:
        entries.append(CustomMetadata.of(COMPLETE, 1))
    if pending:
        entries.append(CustomMetadata.of(PENDING, pending))
    return entries


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
