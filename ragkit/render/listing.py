"""Listings of corpora, documents and chunks that display themselves anywhere.

A :class:`Listing` is a title, column names and rows of plain values. It shows as an
HTML table in a notebook, a Markdown table where Markdown reads better, and a rich
table when printed to a rich console; the builders below make one from the wire
models the client returns.

>>> from ragkit.types import Corpus
>>> listing = corpora_listing([Corpus(name="corpora/docs", display_name="Docs")])
>>> listing.columns, listing.rows[0][:2]
(('corpus', 'display name', 'created', 'updated'), ('corpora/docs', 'Docs'))
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rich.console import Console, ConsoleOptions, RenderResult

from ragkit.render._text import excerpt, format_cell
from ragkit.render.html import listing_html
from ragkit.render.markdown import listing_markdown
from ragkit.types import Chunk, Corpus, CustomMetadata, Document

__all__ = ["Listing", "chunks_listing", "corpora_listing", "documents_listing"]


@dataclass(frozen=True)
class Listing:
    """A titled table of values; cells may be text, numbers, datetimes, lists or ``None``.

    >>> Listing("Files", ("name", "pages"), (("a.pdf", 3),))._repr_markdown_().splitlines()[2]
    '| name | pages |'
    """

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[object, ...], ...]

    def __post_init__(self) -> None:
        # Accept lists from callers; store tuples so the listing stays immutable.
        object.__setattr__(self, "columns", tuple(self.columns))
        object.__setattr__(self, "rows", tuple(tuple(row) for row in self.rows))

    def __len__(self) -> int:
        return len(self.rows)

    def _repr_html_(self) -> str:
        return listing_html(self.rows, self.columns, self.title)

    def _repr_markdown_(self) -> str:
        return listing_markdown(self.rows, self.columns, self.title)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        # Imported here: the terminal module imports this one for its builders.
        from ragkit.render.terminal import listing_renderable

        yield listing_renderable(self.title, self.columns, self.rows)


def corpora_listing(corpora: Iterable[Corpus]) -> Listing:
    """Corpora with their display names and times."""
    rows = tuple(
        (corpus.name, corpus.display_name, corpus.create_time, corpus.update_time)
        for corpus in corpora
    )
    return Listing("Corpora", ("corpus", "display name", "created", "updated"), rows)


def documents_listing(documents: Iterable[Document]) -> Listing:
    """Documents with display name, custom metadata and last update.

    When all documents share one corpus, the title names it and the first column
    shows document IDs only, which keeps the table narrow.
    """
    items = list(documents)
    parent, ids = _relative_names([doc.name for doc in items], "/documents/")
    rows = tuple(
        (name, doc.display_name, _metadata(doc.custom_metadata), doc.update_time)
        for name, doc in zip(ids, items, strict=True)
    )
    title = f"Documents in {parent}" if parent else "Documents"
    return Listing(title, ("document", "display name", "metadata", "updated"), rows)


def chunks_listing(chunks: Iterable[Chunk]) -> Listing:
    """Chunks with their state, the start of their text and their metadata."""
    items = list(chunks)
    parent, ids = _relative_names([chunk.name for chunk in items], "/chunks/")
    rows = tuple(
        (
            name,
            _state(chunk),
            excerpt(chunk.data.string_value, width=80).text if chunk.data else None,
            _metadata(chunk.custom_metadata),
        )
        for name, chunk in zip(ids, items, strict=True)
    )
    title = f"Chunks in {parent}" if parent else "Chunks"
    return Listing(title, ("chunk", "state", "text", "metadata"), rows)


def _relative_names(names: Sequence[str | None], marker: str) -> tuple[str | None, list[str]]:
    parents = {name.rsplit(marker, 1)[0] for name in names if name and marker in name}
    if len(parents) != 1 or any(not name or marker not in name for name in names):
        return None, [name or "" for name in names]
    return parents.pop(), [name.rsplit(marker, 1)[1] for name in names if name]


def _metadata(entries: Sequence[CustomMetadata]) -> str:
    return "; ".join(f"{entry.key}={format_cell(entry.value)}" for entry in entries)


def _state(chunk: Chunk) -> str | None:
    if chunk.state is None:
        return None
    return chunk.state.value.removeprefix("STATE_").lower()
