"""Plain-text loader: paragraphs, form-feed pages, numbered headings."""

from __future__ import annotations

import re
from pathlib import Path

from ingest.clean import dehyphenate, normalize_text, split_paragraphs, strip_repeated_lines
from ingest.loaders._files import no_text, read_text
from ingest.model import Block, LoadedDocument, section_label

# "3.2.1.  Host", "Appendix A.  Collected ABNF": a numbered heading at column 0.
_NUMBERED = re.compile(r"^((?:\d+\.)*\d+\.?|Appendix [A-Z]\.?|[A-Z]\.(?:\d+\.?)*)\s+(\S.{0,70})$")
_LEADER_DOTS = re.compile(r"\.\s?\.\s?\.")  # a table-of-contents line
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


def _heading(line: str) -> re.Match[str] | None:
    """A numbered heading at column 0 ("3.2.1.  Host"), not a contents entry."""
    found = _NUMBERED.match(line)
    return found if found and not _LEADER_DOTS.search(line) else None


def _numbered_headings(pages: list[str]) -> bool:
    """Whether this text is laid out like an RFC: numbered headings at column 0
    over an indented body. Only then are such lines taken for headings."""
    lines = [line for page in pages for line in page.split("\n") if line.strip()]
    headings = sum(1 for line in lines if _heading(line))
    indented = sum(1 for line in lines if line[0].isspace())
    return headings >= 3 and indented >= len(lines) // 2


def _depth(number: str) -> int:
    if number.startswith("Appendix"):
        return 1
    return len([part for part in number.strip(".").split(".") if part])


class TextLoader:
    """Loads ``.txt`` files. Form feeds (``\\f``) separate pages, and headers and
    footers repeated on those pages are dropped, as in a PDF."""

    kind = "text"
    suffixes = (".txt", ".text")

    def load(self, path: Path) -> LoadedDocument:
        """Blocks per paragraph, with page numbers when the file has form feeds."""
        text, warnings = read_text(path)
        paged = "\f" in text
        raw_pages = text.split("\f") if paged else [text]
        if paged and len(raw_pages) > 1 and not raw_pages[-1].strip():
            raw_pages.pop()  # a final form feed ends the last page, it starts none
        # Indentation carries the structure here; it goes only after headings are found.
        pages = [normalize_text(page) for page in raw_pages]
        if paged:
            pages, removed = strip_repeated_lines(pages)
            if removed:
                warnings.append(f"dropped {len(removed)} repeated header/footer line(s)")
        outline = _numbered_headings(pages)
        blocks: list[Block] = []
        path_titles: list[tuple[int, str]] = []
        section: str | None = None
        for number, page in enumerate(pages, start=1):
            # Split by hand: the first line's indentation tells a heading apart.
            for paragraph in _PARAGRAPH_BREAK.split(page):
                first = paragraph.lstrip("\n").split("\n", 1)[0]
                found = _heading(first) if outline else None
                if found:
                    depth = _depth(found.group(1))
                    while path_titles and path_titles[-1][0] >= depth:
                        path_titles.pop()
                    path_titles.append((depth, first.strip()))
                    section = section_label([t for _, t in path_titles])
                clean = dehyphenate(normalize_text(paragraph, keep_indent=False), typeset=False)
                for part in split_paragraphs(clean):
                    blocks.append(Block(part, page=number if paged else None, section=section))
        if not blocks:
            raise no_text(path)
        return LoadedDocument(
            path=path,
            kind=self.kind,
            title=path.stem,
            blocks=tuple(blocks),
            page_count=len(raw_pages) if paged else None,
            warnings=tuple(warnings),
        )
