"""Data classes passed between the ingest stages: loaded documents and planned chunks.

A loader turns a file into a :class:`LoadedDocument` (clean text in reading order,
cut into :class:`Block` s that know their page and section); the chunker turns that
into :class:`PlannedChunk` s; the planner maps both onto API resources. A file that
cannot be read raises :class:`LoadError`, which names the file and says why, so the
caller can report it and go on with the next file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

#: Text placed between two blocks in :attr:`LoadedDocument.text`. Chunk offsets
#: (:attr:`PlannedChunk.start`/``end``) refer to the text joined this way.
BLOCK_SEPARATOR = "\n\n"


@dataclass(frozen=True, slots=True)
class Block:
    """A paragraph-ish unit of text in reading order.

    ``text`` is cleaned, non-empty and has no leading or trailing whitespace.
    ``page`` is the 1-based physical page (``None`` where the format has no pages);
    ``section`` is the heading path the block sits under (``None`` before the first
    heading or where the format has none).

    >>> Block("Keys are rotated yearly.", page=3, section="5 Key management").page
    3
    """

    text: str
    page: int | None = None
    section: str | None = None

    def __post_init__(self) -> None:
        # The chunker relies on this: offsets into the joined text then never
        # start or end on whitespace, and no block is empty.
        if not self.text or self.text != self.text.strip():
            raise ValueError("Block.text must be non-empty and stripped")
        if self.page is not None and self.page < 1:
            raise ValueError(f"Block.page is 1-based, got {self.page}")


@dataclass(frozen=True, slots=True)
class LoadedDocument:
    """One file, loaded and cleaned.

    ``kind`` names the loader that produced it (``"pdf"``, ``"html"``,
    ``"markdown"``, ``"rst"``, ``"text"``). ``page_count`` is ``None`` for formats
    without pages. ``page_labels`` holds the PDF's printed page labels (``"iv"``,
    ``"1652"``) by physical page when the file defines them. ``warnings`` are
    notable, non-fatal problems met while loading, meant for the user.

    >>> doc = LoadedDocument(Path("a.md"), "markdown", "A", (Block("Hello."),))
    >>> doc.text
    'Hello.'
    """

    path: Path
    kind: str
    title: str
    blocks: tuple[Block, ...]
    page_count: int | None = None
    warnings: tuple[str, ...] = ()
    page_labels: tuple[str, ...] | None = field(default=None, repr=False)

    @property
    def text(self) -> str:
        """The whole normalised text: the blocks joined by :data:`BLOCK_SEPARATOR`."""
        return BLOCK_SEPARATOR.join(block.text for block in self.blocks)


@dataclass(frozen=True, slots=True)
class PlannedChunk:
    """A chunk ready to become an API ``Chunk``.

    ``text`` is ``document.text[start:end]``. It begins with ``overlap``
    characters that repeat the end of the previous chunk (0 for the first chunk
    of a document or of a section), so the chunks' ``text[overlap:]`` parts,
    joined with the whitespace between them, rebuild the document text.
    ``first_page``/``last_page`` are 1-based physical pages (``None`` without
    pages); ``section`` is the heading path most of the chunk sits under, at most
    256 characters (the API's metadata string limit); ``token_count`` is counted
    with :func:`ragkit.tokens.count_tokens`.
    """

    text: str
    index: int
    first_page: int | None
    last_page: int | None
    section: str | None
    token_count: int
    start: int
    end: int
    overlap: int = 0


class LoadError(Exception):
    """A file that cannot be loaded, with a reason a person can act on.

    >>> err = LoadError(Path("x.pdf"), "encrypted: a password is required")
    >>> str(err)
    'x.pdf: encrypted: a password is required'
    """

    def __init__(self, path: Path, reason: str) -> None:
        # Both go to Exception.args so the error pickles across processes.
        super().__init__(path, reason)
        self.path = path
        self.reason = reason

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


#: Longest section label kept: the API's limit for a custom-metadata string value.
MAX_SECTION_CHARS = 256
_SECTION_JOIN = " > "


def section_label(headings: list[str] | tuple[str, ...]) -> str | None:
    """The label for a heading path, at most :data:`MAX_SECTION_CHARS` characters.

    Outer headings are dropped first when the path is too long, because the
    innermost one says most about the text under it.

    >>> section_label(["Code Lay-out", "Indentation"])
    'Code Lay-out > Indentation'
    >>> section_label([]) is None
    True
    """
    parts = [" ".join(h.split()) for h in headings]
    parts = [p for p in parts if p]
    while parts:
        label = _SECTION_JOIN.join(parts)
        if len(label) <= MAX_SECTION_CHARS:
            return label
        if len(parts) == 1:
            return label[: MAX_SECTION_CHARS - 1].rstrip() + "…"
        parts = parts[1:]
    return None
