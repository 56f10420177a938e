"""Markdown loader: headings become sections; code fences stay whole."""

from __future__ import annotations

import re
from pathlib import Path

from ingest.loaders._builder import BlockBuilder
from ingest.loaders._files import read_text
from ingest.model import LoadedDocument

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_FRONT_MATTER_END = frozenset({"---", "..."})
_FRONT_TITLE = re.compile(r"""^title:\s*["']?(.*?)["']?\s*$""", re.IGNORECASE)
# Inline markup that should not reach a section label.
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_EMPHASIS = re.compile(r"(\*{1,3}|_{1,3}|`+)(\S(?:.*?\S)?)\1")


def plain_inline(text: str) -> str:
    """Heading text without link targets, emphasis or code marks.

    >>> plain_inline("Use `PdfReader` with [pypdf](https://pypdf.readthedocs.io) **now**")
    'Use PdfReader with pypdf now'
    """
    return _EMPHASIS.sub(r"\2", _LINK.sub(r"\1", text)).strip()


def _front_matter(lines: list[str]) -> tuple[str | None, int]:
    """A YAML front matter's title and the index of the first body line."""
    if not lines or lines[0].strip() != "---":
        return None, 0
    for end in range(1, len(lines)):
        if lines[end].strip() in _FRONT_MATTER_END:
            titles = [m.group(1) for m in map(_FRONT_TITLE.match, lines[1:end]) if m]
            return (titles[0] if titles else None), end + 1
    return None, 0


class MarkdownLoader:
    """Loads ``.md`` / ``.markdown`` files (CommonMark headings, fenced code)."""

    kind = "markdown"
    suffixes = (".md", ".markdown")

    def load(self, path: Path) -> LoadedDocument:
        """Blocks per paragraph and per code block, under their heading path.

        >>> doc = MarkdownLoader().load(Path("tests/fixtures/docs/pypdf_extract_text.md"))
        >>> doc.title, doc.blocks[0].text
        ('Extract Text from a PDF', 'Extract Text from a PDF')
        """
        text, warnings = read_text(path)
        lines = text.splitlines()
        meta_title, first = _front_matter(lines)
        title = meta_title or _first_h1(lines[first:]) or path.stem
        out = BlockBuilder(title)
        paragraph: list[str] = []
        fence: str | None = None
        code: list[str] = []

        def flush() -> None:
            out.add("\n".join(paragraph))
            paragraph.clear()

        for line in lines[first:]:
            if fence is not None:
                if line.strip().startswith(fence) and not line.strip(fence[0]).strip():
                    out.add("\n".join(code), verbatim=True)
                    code.clear()
                    fence = None
                else:
                    code.append(line)
                continue
            opened = _FENCE.match(line)
            atx = _ATX.match(line)
            setext = _SETEXT.match(line)
            if opened:
                flush()
                fence = opened.group(1)
            elif atx:
                flush()
                out.heading(len(atx.group(1)), plain_inline(atx.group(2) or ""))
            elif setext and paragraph:
                heading = " ".join(paragraph)
                paragraph.clear()
                out.heading(1 if setext.group(1)[0] == "=" else 2, plain_inline(heading))
            elif setext:
                flush()  # a thematic break
            elif not line.strip():
                flush()
            else:
                paragraph.append(line)
        flush()
        out.add("\n".join(code), verbatim=True)  # an unclosed fence runs to the end
        return out.finish(path, self.kind, warnings)


def _first_h1(lines: list[str]) -> str | None:
    fence: str | None = None
    for line in lines:
        opened = _FENCE.match(line)
        if opened:
            fence = None if fence else opened.group(1)
            continue
        atx = None if fence else _ATX.match(line)
        if atx and len(atx.group(1)) == 1 and atx.group(2):
            return plain_inline(atx.group(2))
    return None
