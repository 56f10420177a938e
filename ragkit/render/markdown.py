"""Answers, search hits and listings as Markdown (CommonMark, GitHub and Jupyter safe).

Markers are plain ``[1]`` rather than ``[^1]`` footnotes, which Jupyter does not
render; each source follows as a bold ``[1]`` line and a blockquote of the passage
with the answer span in bold. Text from documents is escaped so it cannot become
markup, links, HTML or (in Jupyter) LaTeX.

>>> escape_markdown("costs $5 <b>*now*</b>")
'costs \\\\$5 &lt;b&gt;\\\\*now\\\\*&lt;/b&gt;'
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ragkit.qa.answer import Answer, Citation, Passage
from ragkit.render._segments import answer_segments
from ragkit.render._text import (
    REFUSAL_HEADLINE,
    Excerpt,
    excerpt,
    format_cell,
    format_score,
    refusal_detail,
    snippet,
    squash,
)

__all__ = ["answer_markdown", "escape_markdown", "listing_markdown", "search_markdown"]

# Characters that start inline markup anywhere in a line (emphasis, code, links, tables,
# strikethrough, Jupyter's $math$); `<` and `&` become entities so raw HTML never passes.
_INLINE = re.compile(r"([\\`*_\[\]#|~$])")
# Line starts that would open a list, heading underline or quote.
_LINE_START = re.compile(r"^(\s*)([-+=>]|\d+[.)])", re.MULTILINE)


def escape_markdown(text: str) -> str:
    """Escape ``text`` so Markdown shows it literally."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _INLINE.sub(r"\\\1", text)
    return _LINE_START.sub(lambda found: found.group(1) + _escape_start(found.group(2)), text)


def _escape_start(token: str) -> str:
    if token[0].isdigit():
        return token[:-1] + "\\" + token[-1]
    return "\\" + token


def answer_markdown(answer: Answer) -> str:
    """The answer with ``[n]`` markers, its answerability, and a Sources list of quotes.

    A refusal gives the refusal, the answerability and the nearest passages.
    ``Answer._repr_markdown_`` calls this.
    """
    blocks = [f"**Question:** {escape_markdown(squash(answer.question))}"]
    if answer.answered:
        blocks += [_answer_text(answer), _status(answer)]
        if answer.citations:
            blocks.append("**Sources**")
            for citation in answer.citations:
                blocks += _source(
                    f"[{citation.number}]",
                    citation,
                    excerpt(citation.quote, citation.answer_span, width=320),
                )
    else:
        blocks.append(f"**{escape_markdown(REFUSAL_HEADLINE)}**")
        if detail := refusal_detail(answer.text):
            blocks.append(escape_markdown(detail))
        if answer.model_answer:
            guess = escape_markdown(squash(answer.model_answer))
            blocks.append(f"*Below the threshold, the model would have said: “{guess}”*")
        blocks.append(_status(answer))
        if answer.nearest:
            blocks.append("**Nearest passages**")
            for index, passage in enumerate(answer.nearest, start=1):
                blocks += _source(f"{index}.", passage, excerpt(passage.text, width=320))
    return "\n\n".join(blocks) + "\n"


def search_markdown(query: str, hits: Sequence[Passage]) -> str:
    """Search hits, best first: location and score, then the snippet with query words in bold.

    >>> from ragkit.qa.answer import Passage
    >>> hit = Passage(chunk="c", document="d", file="a.md", text="Keys rotate yearly.", score=0.8)
    >>> print(search_markdown("keys", [hit]))
    **Search “keys”** · 1 hit
    <BLANKLINE>
    **1.** **a.md** · score 0.80
    <BLANKLINE>
    > **Keys** rotate yearly.
    <BLANKLINE>
    """
    count = f"{len(hits)} hit" + ("" if len(hits) == 1 else "s")
    blocks = [f"**Search “{escape_markdown(squash(query))}”** · {count}"]
    if not hits:
        blocks.append("*No passages matched.*")
    for rank, hit in enumerate(hits, start=1):
        quote = "".join(
            f"**{escape_markdown(piece)}**" if match else escape_markdown(piece)
            for piece, match in snippet(hit.text, query, width=260)
        )
        blocks += [_heading(f"{rank}.", hit), f"> {quote}"]
    return "\n\n".join(blocks) + "\n"


def listing_markdown(rows: Sequence[Sequence[object]], columns: Sequence[str], title: str) -> str:
    """A titled GitHub-flavoured Markdown table."""
    heading = f"**{escape_markdown(title)}** ({len(rows)})"
    if not rows:
        return heading + "\n\n*Nothing to list.*\n"
    lines = [
        _table_row(columns),
        "| " + " | ".join("---" for _ in columns) + " |",
        *(_table_row([format_cell(value) for value in row]) for row in rows),
    ]
    return heading + "\n\n" + "\n".join(lines) + "\n"


# --- pieces ---------------------------------------------------------------------------------


def _answer_text(answer: Answer) -> str:
    out: list[str] = []
    for segment in answer_segments(answer):
        out.append(escape_markdown(segment.text))
        out += [f"[{number}]" for number in segment.citations]
        if segment.unsupported:
            out.append(" ⚠ *unsupported*")
    return "".join(out)


def _status(answer: Answer) -> str:
    probability = answer.answerable_probability
    pieces = [
        "answerability not reported"
        if probability is None
        else f"Answerable {format_score(probability)}",
    ]
    pieces[0] += f" (threshold {format_score(answer.threshold)})"
    unsupported = len(answer.unsupported_sentences)
    if answer.answered and unsupported:
        pieces.append(f"{unsupported} unsupported sentence" + ("" if unsupported == 1 else "s"))
    return "*" + " · ".join(pieces) + "*"


def _source(label: str, source: Citation | Passage, quote: Excerpt) -> list[str]:
    focus = f"**{escape_markdown(quote.focus)}**" if quote.focus else ""
    body = escape_markdown(quote.before) + focus + escape_markdown(quote.after)
    return [_heading(label, source), f"> {body}"]


def _heading(label: str, source: Citation | Passage) -> str:
    where = [f"**{escape_markdown(source.location())}**"]
    if source.section:
        where.append(f"— {escape_markdown(source.section)}")
    line = f"**{label}** " + " ".join(where)
    if source.score is not None:
        line += f" · score {format_score(source.score)}"
    return line


def _table_row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(escape_markdown(squash(cell)) for cell in cells) + " |"
