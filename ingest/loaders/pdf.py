"""PDF loader: pypdf, page by page, with page numbers and outline sections."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError

from ingest.clean import (
    dehyphenate,
    hyphenated_words,
    looks_garbled,
    normalize_text,
    split_paragraphs,
    strip_repeated_lines,
)
from ingest.loaders import _pypdf_log
from ingest.model import Block, LoadedDocument, LoadError, section_label

# Metadata titles that name the authoring tool or file rather than the document.
_JUNK_TITLE = re.compile(
    r"^(untitled|microsoft (word|powerpoint) - .*|.*\.(docx?|pptx?|pdf|tex|dvi|wpd|rtf|indd|ps))$",
    re.IGNORECASE,
)
# pypdf's notes on font internals: the text comes out right regardless, and the
# user can do nothing about them.
_FONT_NOISE = re.compile(r"font|cmap|encoding|glyph|widths", re.IGNORECASE)
_MAX_WARNINGS = 5


@dataclass(frozen=True, slots=True)
class _Heading:
    page: int  # 0-based
    path: tuple[str, ...]


class PdfLoader:
    """Loads text-based PDFs; see :meth:`load` for what is refused and why."""

    kind = "pdf"
    suffixes = (".pdf",)

    def load(self, path: Path) -> LoadedDocument:
        """Extract, clean and section a PDF.

        Encrypted files open when their user password is empty. Raises
        :class:`LoadError` for a file that needs a password, has no text layer
        (a scan), holds only undecodable text, or is broken.

        >>> doc = PdfLoader().load(Path("tests/fixtures/docs/nist_fips199.pdf"))
        >>> doc.page_count, doc.blocks[0].page
        (13, 1)
        """
        with _pypdf_log.capture() as records:
            reader = _open(path)
            raw_pages, unreadable = _extract_pages(reader, path)
            headings = _outline(reader)
            labels = _page_labels(reader)
            meta_title = _metadata_title(reader)
        warnings: list[str] = []
        if unreadable:
            warnings.append(f"could not read page(s) {_numbers(unreadable)}")
        pages = _usable_pages(raw_pages, path, reader, warnings)
        pages, removed = strip_repeated_lines(pages)
        if removed:
            warnings.append(f"dropped {len(removed)} repeated header/footer line(s)")
        keep = set().union(*(hyphenated_words(p) for p in pages))
        pages = [dehyphenate(page, keep) for page in pages]
        blocks = tuple(_blocks(pages, headings))
        if not blocks:
            raise LoadError(path, "no text layer (scanned image?): run OCR on it first")
        warnings.extend(_pypdf_notes(records))
        return LoadedDocument(
            path=path,
            kind=self.kind,
            title=meta_title or path.stem,
            blocks=blocks,
            page_count=len(raw_pages),
            warnings=tuple(warnings),
            page_labels=labels,
        )


def _open(path: Path) -> PdfReader:
    try:
        reader = PdfReader(path)
    except OSError:
        raise  # unreadable file: the registry reports it as such
    except Exception as exc:  # pypdf raises many types for broken files
        raise LoadError(path, f"broken PDF: {exc}") from exc
    if reader.is_encrypted:
        try:
            opened = reader.decrypt("")
        except (DependencyError, NotImplementedError) as exc:
            raise LoadError(path, f"encrypted with an unsupported method: {exc}") from exc
        except Exception as exc:
            raise LoadError(path, f"broken PDF (encryption): {exc}") from exc
        if not opened:
            raise LoadError(path, "encrypted: a password is required")
    return reader


def _numbers(indexes: list[int]) -> str:
    return ", ".join(str(i + 1) for i in indexes)


def _extract_pages(reader: PdfReader, path: Path) -> tuple[list[str], list[int]]:
    """Raw text of every page, and the pages pypdf could not read (left empty)."""
    try:
        pages = list(reader.pages)
    except FileNotDecryptedError as exc:
        raise LoadError(path, "encrypted: a password is required") from exc
    except Exception as exc:
        raise LoadError(path, f"broken PDF: {exc}") from exc
    texts: list[str] = []
    failed: list[int] = []
    for index, page in enumerate(pages):
        try:
            texts.append(page.extract_text())
        except Exception:  # one bad content stream should not lose the file
            failed.append(index)
            texts.append("")
    if pages and len(failed) == len(pages):
        raise LoadError(path, "broken PDF: no page could be read")
    return texts, failed


def _usable_pages(
    raw_pages: list[str], path: Path, reader: PdfReader, warnings: list[str]
) -> list[str]:
    """Normalised page texts, with garbled pages emptied (and reported)."""
    garbled = [i for i, text in enumerate(raw_pages) if looks_garbled(text)]
    with_text = [i for i, text in enumerate(raw_pages) if text.strip()]
    if not with_text:
        if _has_images(reader):
            raise LoadError(path, "no text layer (scanned image?): run OCR on it first")
        raise LoadError(path, "no text: the pages are empty")
    if set(with_text) <= set(garbled):
        raise LoadError(
            path,
            "garbled text: the fonts have no Unicode map, so the characters cannot be decoded",
        )
    if garbled:
        warnings.append(f"skipped garbled text (no Unicode map) on page(s) {_numbers(garbled)}")
    return [
        "" if i in garbled else normalize_text(text, keep_indent=False)
        for i, text in enumerate(raw_pages)
    ]


def _has_images(reader: PdfReader) -> bool:
    """Whether the first pages draw images (without decoding any of them)."""
    try:
        for page in list(reader.pages)[:5]:
            resources = page.get("/Resources")
            xobjects = resources.get_object().get("/XObject") if resources else None
            if not xobjects:
                continue
            for ref in xobjects.get_object().values():
                if ref.get_object().get("/Subtype") == "/Image":
                    return True
    except Exception:  # a damaged resource dictionary only changes the wording
        return False
    return False


def _metadata_title(reader: PdfReader) -> str | None:
    try:
        title = reader.metadata.title if reader.metadata else None
    except Exception:
        return None
    if not isinstance(title, str):
        return None
    title = " ".join(normalize_text(title).split())
    if not title or _JUNK_TITLE.match(title):
        return None
    return title


def _page_labels(reader: PdfReader) -> tuple[str, ...] | None:
    """Printed page labels, only when the file defines its own."""
    try:
        if "/PageLabels" not in reader.root_object:
            return None
        labels = tuple(reader.page_labels)
    except Exception:
        return None
    # Labels that just count 1, 2, 3 ... say nothing the page number does not.
    if labels == tuple(str(n) for n in range(1, len(labels) + 1)):
        return None
    return labels


def _outline(reader: PdfReader) -> list[_Heading]:
    """The bookmarks as (page, heading path), in reading order."""
    found: list[_Heading] = []

    def walk(items: list[Any], parents: tuple[str, ...]) -> None:
        last: tuple[str, ...] = parents
        for item in items:
            if isinstance(item, list):
                walk(item, last)
                continue
            title = " ".join(normalize_text(str(item.title or "")).split())
            page = reader.get_destination_page_number(item)
            last = (*parents, title)
            if title and page is not None and page >= 0:
                found.append(_Heading(page, last))

    try:
        walk(list(reader.outline), ())
    except Exception:  # a broken outline costs sections, not the document
        return []
    # Bookmarks out of page order would make sections jump back; keep the ones
    # that go forward.
    ordered: list[_Heading] = []
    for heading in found:
        if not ordered or heading.page >= ordered[-1].page:
            ordered.append(heading)
    return ordered


def _key(text: str) -> str:
    return "".join(text.lower().split())


def _heading_line(lines: list[str], start: int, title: str) -> int | None:
    """Index of the line (from ``start``) where a bookmark's title is printed."""
    want = _key(title)
    for i in range(start, len(lines)):
        have = _key(lines[i])
        if not have:
            continue
        # A long title may wrap: its first line is then a prefix of it.
        if (
            have == want
            or have.startswith(want)
            or (want.startswith(have) and len(have) >= len(want) // 2)
        ):
            return i
    return None


def _blocks(pages: list[str], headings: list[_Heading]) -> Iterator[Block]:
    section: str | None = None
    h = 0
    for number, text in enumerate(pages):
        lines = text.split("\n")
        # Cut the page where each bookmark that starts on it is printed.
        cuts: list[tuple[int, str | None]] = [(0, section)]
        while h < len(headings) and headings[h].page <= number:
            heading = headings[h]
            h += 1
            at = _heading_line(lines, cuts[-1][0], heading.path[-1])
            path = heading.path
            if at is not None and _key(lines[at]) == _key(path[-1]):
                path = (*path[:-1], lines[at].strip())  # as printed: "1 PURPOSE", not "1 purpose"
            section = section_label(path)
            if at is None or at == cuts[-1][0]:
                cuts[-1] = (cuts[-1][0], section)
            else:
                cuts.append((at, section))
        ends = [at for at, _ in cuts[1:]] + [len(lines)]
        for (begin, label), end in zip(cuts, ends, strict=True):
            for paragraph in split_paragraphs("\n".join(lines[begin:end])):
                yield Block(paragraph, page=number + 1, section=label)


def _pypdf_notes(records: list[logging.LogRecord]) -> list[str]:
    """pypdf's messages worth showing: distinct, font noise left out, capped."""
    notes: dict[str, None] = {}
    for record in records:
        message = record.getMessage()
        if not _FONT_NOISE.search(message):
            notes.setdefault(f"pypdf: {message}", None)
    shown = list(notes)[:_MAX_WARNINGS]
    if len(notes) > _MAX_WARNINGS:
        shown.append(f"pypdf: {len(notes) - _MAX_WARNINGS} more message(s)")
    return shown
