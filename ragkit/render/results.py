"""Search results that display themselves: HTML in notebooks, a table in rich consoles.

>>> from ragkit.qa.answer import Passage
>>> results = SearchResults("keys", [Passage(chunk="c", document="d", file="a.md", text="Keys.")])
>>> len(results), results[0].file, results.to_json()["hits"][0]["rank"]
(1, 'a.md', 1)
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import overload

from rich.console import Console, ConsoleOptions, RenderResult

from ragkit.qa.answer import Passage
from ragkit.render.html import search_html
from ragkit.render.json import JSONObject, search_json
from ragkit.render.markdown import search_markdown
from ragkit.render.terminal import search_renderable

__all__ = ["SearchResults"]


class SearchResults(Sequence[Passage]):
    """The hits of one search, best first; a read-only sequence of passages.

    Ending a notebook cell with it shows a table with the query's words highlighted;
    ``rich.print(results)`` draws the same table in a terminal.
    """

    def __init__(self, query: str, hits: Iterable[Passage]) -> None:
        self.query = query
        self.hits: tuple[Passage, ...] = tuple(hits)

    @overload
    def __getitem__(self, index: int) -> Passage: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Passage]: ...
    def __getitem__(self, index: int | slice) -> Passage | Sequence[Passage]:
        return self.hits[index]

    def __len__(self) -> int:
        return len(self.hits)

    def __iter__(self) -> Iterator[Passage]:
        return iter(self.hits)

    def __repr__(self) -> str:
        return f"SearchResults(query={self.query!r}, hits={len(self.hits)})"

    def to_json(self) -> JSONObject:
        """The results in the ``ragkit search --json`` shape (see ``search.schema.json``)."""
        return search_json(self.query, self.hits)

    def _repr_html_(self) -> str:
        return search_html(self.query, self.hits)

    def _repr_markdown_(self) -> str:
        return search_markdown(self.query, self.hits)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield search_renderable(self.hits, query=self.query)
