"""Answers, search hits and listings for the terminal, drawn with rich.

Everything from a document goes into ``rich.text.Text`` pieces, never into console
markup, so a passage containing ``[bold]`` prints as written. The console decides
about colour: ``NO_COLOR`` or output that is not a terminal gives plain text with
the same words, markers and layout.

>>> import io
>>> from rich.console import Console
>>> from ragkit.qa.answer import Passage
>>> console = Console(file=io.StringIO(), force_terminal=False, width=80)
>>> render_search([Passage(chunk="c", document="d", file="a.md", text="Hi.", score=0.5)], console)
>>> "a.md" in console.file.getvalue()
True
"""

from __future__ import annotations

from collections.abc import Sequence

from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.table import Table
from rich.text import Text

from ragkit.qa.answer import Answer, Citation, Passage
from ragkit.render._segments import answer_segments
from ragkit.render._text import (
    REFUSAL_HEADLINE,
    Excerpt,
    excerpt,
    format_cell,
    format_pages,
    format_score,
    format_seconds,
    refusal_detail,
    snippet,
    squash,
)
from ragkit.render.listing import (
    Listing,
    chunks_listing,
    corpora_listing,
    documents_listing,
)
from ragkit.types import Chunk, Corpus, Document

__all__ = [
    "answer_renderable",
    "listing_renderable",
    "render_answer",
    "render_chunks",
    "render_corpora",
    "render_documents",
    "render_listing",
    "render_search",
    "search_renderable",
]

_MARKER = "bold cyan"
_WARN = "bold yellow"
_QUOTE_INDENT = 4


def render_answer(answer: Answer, console: Console) -> None:
    """Print the answer with ``[n]`` markers, its answerability, and the quoted sources.

    A refusal prints "The documents don't answer this question." and the nearest passages.
    """
    console.print(answer_renderable(answer))


def answer_renderable(answer: Answer) -> RenderableType:
    """What :func:`render_answer` prints, as one rich renderable (to nest or capture)."""
    if not answer.answered:
        return _refusal(answer)
    parts: list[RenderableType] = [_Wrapped(_answer_text(answer)), Text(""), _status_line(answer)]
    if answer.citations:
        parts += [Text(""), Text("Sources", style="bold")]
        for citation in answer.citations:
            parts += _source_lines(
                Text(f"[{citation.number}]", style=_MARKER),
                citation,
                excerpt(citation.quote, citation.answer_span, width=240),
            )
    return Group(*parts)


def render_search(hits: Sequence[Passage], console: Console, *, query: str | None = None) -> None:
    """Print search hits as a table: rank, score, file, page, snippet (best first).

    With ``query`` the snippet is the part of the passage where the query's words are,
    and those words are highlighted.
    """
    console.print(search_renderable(hits, query=query))


def search_renderable(hits: Sequence[Passage], *, query: str | None = None) -> RenderableType:
    """What :func:`render_search` prints: the table, or a note when nothing matched."""
    if not hits:
        matched = "" if query is None else f" “{squash(query)}”"
        return Text(f"No passages matched{matched}.", style="dim")
    title = None if query is None else Text(f"{len(hits)} hits for “{squash(query)}”")
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, expand=True)
    table.add_column("#", justify="right", style="dim", no_wrap=True)
    table.add_column("score", justify="right", no_wrap=True)
    table.add_column("file", overflow="fold", max_width=24)
    table.add_column("page", no_wrap=True)
    table.add_column("snippet", ratio=1)
    for rank, hit in enumerate(hits, start=1):
        source = Text(hit.file or hit.document, style="bold")
        if hit.section:
            source.append(f"\n{hit.section}", style="dim")
        table.add_row(
            str(rank),
            format_score(hit.score),
            source,
            format_pages(hit.pages),
            _snippet_text(hit.text, query),
        )
    return table


def render_listing(listing: Listing, console: Console) -> None:
    """Print a :class:`~ragkit.render.listing.Listing` as a table (or a note when empty)."""
    console.print(listing_renderable(listing.title, listing.columns, listing.rows))


def listing_renderable(
    title: str, columns: Sequence[str], rows: Sequence[Sequence[object]]
) -> RenderableType:
    """A titled rich table (cells formatted like the HTML and Markdown listings), or a note."""
    if not rows:
        return Text(f"{title}: none", style="dim")
    table = Table(title=Text(title), title_justify="left", box=box.SIMPLE_HEAD)
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*(Text(format_cell(value)) for value in row))
    return table


def render_corpora(corpora: Sequence[Corpus], console: Console) -> None:
    """Print corpora (``ragkit corpora list``): name, display name, created, updated."""
    render_listing(corpora_listing(corpora), console)


def render_documents(documents: Sequence[Document], console: Console) -> None:
    """Print documents (``ragkit docs list``): id, display name, metadata, updated."""
    render_listing(documents_listing(documents), console)


def render_chunks(chunks: Sequence[Chunk], console: Console) -> None:
    """Print chunks: id, state, the start of the text, metadata."""
    render_listing(chunks_listing(chunks), console)


# --- pieces ---------------------------------------------------------------------------------


class _Wrapped:
    """Text wrapped to the console width, indented, without trailing spaces.

    rich pads wrapped and padded lines with spaces; piped into a file or ``grep`` those
    show up as trailing whitespace, so lines are wrapped here and stripped.
    """

    def __init__(self, text: Text, *, indent: int = 0) -> None:
        self.text = text
        self.indent = indent

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = max(options.max_width - self.indent, 20)
        for line in self.text.wrap(console, width):
            line.rstrip()
            yield Text(" " * self.indent) + line


def _answer_text(answer: Answer) -> Text:
    text = Text()
    for segment in answer_segments(answer):
        text.append(segment.text, style="yellow" if segment.unsupported else "")
        for number in segment.citations:
            text.append(f"[{number}]", style=_MARKER)
        if segment.unsupported:
            text.append(" [unsupported]", style=_WARN)
    return text


def _status_line(answer: Answer) -> Text:
    line = Text()
    probability = answer.answerable_probability
    colour = "green" if answer.answered else "yellow"
    if probability is None:
        line.append("answerability not reported", style=colour)
    else:
        line.append("answerable ")
        line.append(format_score(probability), style=f"bold {colour}")
    line.append(f" (threshold {format_score(answer.threshold)})")
    unsupported = len(answer.unsupported_sentences)
    if answer.answered and unsupported:
        what = "sentence" if unsupported == 1 else "sentences"
        line.append(f" · {unsupported} {what} unsupported", style=_WARN)
    line.append(f" · {format_seconds(answer.timings.total)}", style="dim")
    return line


def _refusal(answer: Answer) -> RenderableType:
    parts: list[RenderableType] = [Text(REFUSAL_HEADLINE, style=_WARN)]
    if detail := refusal_detail(answer.text):
        parts.append(Text(detail))
    if answer.model_answer:
        guess = Text("Below the threshold, the model would have said: ", style="dim")
        guess.append(f"“{squash(answer.model_answer)}”", style="dim italic")
        parts.append(guess)
    parts.append(_status_line(answer))
    if answer.nearest:
        parts += [Text(""), Text("Nearest passages", style="bold")]
        for index, passage in enumerate(answer.nearest, start=1):
            parts += _source_lines(
                Text(f"{index}.", style="dim"), passage, excerpt(passage.text, width=240)
            )
    return Group(*parts)


def _source_lines(label: Text, source: Citation | Passage, quote: Excerpt) -> list[RenderableType]:
    head = Text.assemble(label, " ", (source.location(), "bold"))
    if source.section:
        head.append(f" — {source.section}")
    if source.score is not None:
        head.append(f"  score {format_score(source.score)}", style="dim")
    body = Text("“", style="italic")
    body.append(quote.before, style="italic")
    body.append(quote.focus, style="bold underline")
    body.append(quote.after + "”", style="italic")
    return [_Wrapped(head), _Wrapped(body, indent=_QUOTE_INDENT)]


def _snippet_text(text: str, query: str | None) -> Text:
    if query is None:
        return Text(excerpt(text, width=200).text)
    out = Text()
    for piece, match in snippet(text, query, width=200):
        out.append(piece, style="bold yellow" if match else "")
    return out
