"""reStructuredText loader: adorned titles become sections (PEPs included)."""

from __future__ import annotations

import re
from pathlib import Path

from ingest.loaders._builder import BlockBuilder
from ingest.loaders._files import read_text
from ingest.loaders.markdown import plain_inline
from ingest.model import LoadedDocument

_ADORNMENT_CHARS = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_FIELD = re.compile(r"^([A-Za-z][\w-]*):\s*(.*)$")
# Comments and hyperlink targets (".. _Docutils: https://..."), but not
# directives (".. note::") or footnotes (".. [1]").
_COMMENT = re.compile(r"^\.\.(?:\s*$|\s+(?!\[)(?![\w-]+::))")


def _adornment(line: str) -> str | None:
    """The character of a section over/underline, if ``line`` is one."""
    stripped = line.rstrip()
    if len(stripped) >= 2 and stripped[0] in _ADORNMENT_CHARS and len(set(stripped)) == 1:
        return stripped[0]
    return None


def _header_fields(lines: list[str]) -> tuple[dict[str, str], int]:
    """A PEP-style ``Field: value`` header at the top, and where the body starts."""
    fields: dict[str, str] = {}
    i = 0
    while i < len(lines) and lines[i].strip():
        found = _FIELD.match(lines[i])
        if found and not lines[i][0].isspace():
            fields[found.group(1).lower()] = found.group(2).strip()
        elif not lines[i][0].isspace() or not fields:
            return {}, 0  # not a header after all
        i += 1
    return fields, i


class RstLoader:
    """Loads ``.rst`` files; section levels follow the order adornments appear in."""

    kind = "rst"
    suffixes = (".rst", ".rest")

    def load(self, path: Path) -> LoadedDocument:
        """Blocks per paragraph under their section path.

        >>> doc = RstLoader().load(Path("tests/fixtures/docs/pep0257.rst"))
        >>> doc.title
        'PEP 257 – Docstring Conventions'
        """
        text, warnings = read_text(path)
        lines = text.splitlines()
        fields, _ = _header_fields(lines)
        title = fields.get("title") or path.stem
        if fields.get("title") and fields.get("pep"):
            title = f"PEP {fields['pep']} – {fields['title']}"
        out = BlockBuilder(title)
        styles: list[tuple[str, bool]] = []
        paragraph: list[str] = []

        def flush() -> None:
            if paragraph and not _COMMENT.match(paragraph[0]):
                out.add("\n".join(paragraph))
            paragraph.clear()

        def heading(style: tuple[str, bool], text: str) -> None:
            flush()
            if style not in styles:
                styles.append(style)
            out.heading(styles.index(style) + 1, plain_inline(text.strip()))

        i = 0
        while i < len(lines):
            line = lines[i]
            nxt = lines[i + 1] if i + 1 < len(lines) else ""
            after = lines[i + 2] if i + 2 < len(lines) else ""
            over = _adornment(line)
            if over and nxt.strip() and _adornment(after) == over and not paragraph:
                heading((over, True), nxt)
                i += 3
                continue
            under = _adornment(nxt)
            if (
                under
                and line.strip()
                and not line[0].isspace()
                and not paragraph
                and len(nxt.rstrip()) >= len(line.rstrip())
            ):
                heading((under, False), line)
                i += 2
                continue
            if line.strip():
                paragraph.append(line)
            else:
                flush()
            i += 1
        flush()
        return out.finish(path, self.kind, warnings)
