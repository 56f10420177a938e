"""Collects blocks under a heading path; shared by the structured-text loaders."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ingest.clean import dehyphenate, normalize_text, split_paragraphs
from ingest.loaders._files import no_text
from ingest.model import Block, LoadedDocument, section_label


class BlockBuilder:
    """Appends cleaned blocks, each labelled with the headings above it.

    A heading equal to the document title is left out of section labels: it
    names the document, not a part of it.

    >>> b = BlockBuilder(title="Guide")
    >>> b.heading(1, "Guide"); b.heading(2, "Install"); b.add("Run  pip.\\n\\nDone.")
    >>> [(x.text, x.section) for x in b.blocks]
    [('Guide', None), ('Install', 'Install'), ('Run pip.', 'Install'), ('Done.', 'Install')]
    """

    def __init__(self, title: str | None = None) -> None:
        self.title = title
        self.blocks: list[Block] = []
        self._path: list[tuple[int, str]] = []
        self._label: str | None = None

    @property
    def section(self) -> str | None:
        """The current section label."""
        return self._label

    def heading(self, level: int, text: str) -> None:
        """Open a section at ``level`` (1 = outermost); the heading is a block too."""
        text = " ".join(normalize_text(text).split())
        if not text:
            return
        while self._path and self._path[-1][0] >= level:
            self._path.pop()
        self._path.append((level, text))
        names = [name for _, name in self._path]
        if self.title and names[0].casefold() == self.title.casefold():
            names = names[1:]
        self._label = section_label(names)
        self.blocks.append(Block(text, section=self._label))

    def add(self, text: str, *, verbatim: bool = False) -> None:
        """Add text under the current section: one block per paragraph, or one
        block for the whole of ``verbatim`` text (code keeps its blank lines and
        indentation)."""
        text = normalize_text(text, keep_indent=verbatim)
        if not verbatim:
            text = dehyphenate(text, typeset=False)
        if not text:
            return
        for paragraph in [text] if verbatim else split_paragraphs(text):
            self.blocks.append(Block(paragraph, section=self._label))

    def finish(self, path: Path, kind: str, warnings: Sequence[str] = ()) -> LoadedDocument:
        """The loaded document; a file that gave no text at all is a LoadError."""
        if not self.blocks:
            raise no_text(path)
        return LoadedDocument(
            path=path,
            kind=kind,
            title=self.title or path.stem,
            blocks=tuple(self.blocks),
            warnings=tuple(warnings),
        )
