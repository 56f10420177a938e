"""Self-contained HTML for notebooks: answers, search hits and listings.

Each function returns one ``<div class="rk">`` fragment with its own ``<style>``:
no script, no external asset, every string from a document escaped. Without the
stylesheet (a viewer that strips ``<style>``) the markup still reads well, because
it is built from plain elements: ``<sup>`` markers, ``<mark>`` highlights,
``<details>`` sources and ``<table>`` listings.

>>> from ragkit.render.html import listing_html
>>> table = listing_html([["corpora/docs", "Docs"]], ["corpus", "name"], "Corpora")
>>> "<td>corpora/docs</td>" in table
True
"""

from __future__ import annotations

import hashlib
import html
from collections.abc import Sequence

from ragkit.qa.answer import Answer, Citation, Passage
from ragkit.render._css import CSS
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
)

__all__ = ["answer_html", "listing_html", "search_html"]


def answer_html(answer: Answer) -> str:
    """The answer as a notebook card: text with markers, answerability gauge, sources.

    A refusal shows the refusal, the gauge and the nearest passages instead.
    ``Answer._repr_html_`` calls this, so a notebook cell ending in an answer shows it.
    """
    anchor = _anchor(answer)
    parts = [_question(answer.question)]
    if answer.answered:
        parts += [_answer_text(answer, anchor), _unsupported_warning(answer), _gauge(answer)]
        if answer.citations:
            parts.append('<div class="rk-h">Sources</div>')
            parts += [_citation(citation, anchor) for citation in answer.citations]
    else:
        parts += [_refusal(answer), _gauge(answer)]
        if answer.nearest:
            parts.append('<div class="rk-h">Nearest passages</div>')
            parts += [
                _passage(index, passage, anchor)
                for index, passage in enumerate(answer.nearest, start=1)
            ]
    parts.append(_footer(answer))
    verdict = "rk-answered" if answer.answered else "rk-refused"
    return _card(f"rk-answer {verdict}", "".join(parts), anchor)


def search_html(query: str, hits: Sequence[Passage]) -> str:
    """Search hits as a table: rank, score (with a small bar), source, highlighted snippet.

    Query words are marked in each snippet; the full passage opens from a ``<details>``.

    >>> from ragkit.qa.answer import Passage
    >>> hit = Passage(chunk="c", document="d", file="a.md", text="Keys rotate yearly.", score=0.8)
    >>> "<mark>Keys</mark>" in search_html("keys", [hit])
    True
    """
    count = f"{len(hits)} hit" + ("" if len(hits) == 1 else "s")
    title = (
        f'<div class="rk-title">Search <q>{_e(query)}</q> '
        f'<span class="rk-muted">· {count}</span></div>'
    )
    if not hits:
        return _card("rk-search", title + '<div class="rk-empty">No passages matched.</div>')
    rows = "".join(_search_row(rank, hit, query) for rank, hit in enumerate(hits, start=1))
    head = "<thead><tr><th>#</th><th>score</th><th>source</th><th>passage</th></tr></thead>"
    table = f'<table class="rk-table">{head}<tbody>{rows}</tbody></table>'
    return _card("rk-search", title + table)


def listing_html(rows: Sequence[Sequence[object]], columns: Sequence[str], title: str) -> str:
    """A titled table of corpora, documents or chunks; cells go through one formatter.

    Datetimes show to the minute, lists are joined with commas, ``None`` is blank,
    and numbers are right-aligned.
    """
    heading = f'<div class="rk-title">{_e(title)} <span class="rk-muted">({len(rows)})</span></div>'
    if not rows:
        return _card("rk-listing", heading + '<div class="rk-empty">Nothing to list.</div>')
    head = "".join(f"<th>{_e(column)}</th>" for column in columns)
    body = "".join("<tr>" + "".join(_cell(value) for value in row) + "</tr>" for row in rows)
    table = f'<table class="rk-table"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
    return _card("rk-listing", heading + table)


# --- pieces ---------------------------------------------------------------------------------


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _card(classes: str, body: str, anchor: str | None = None) -> str:
    ident = f' id="{anchor}"' if anchor else ""
    return f'<div class="rk {classes}"{ident}><style>{CSS}</style>{body}</div>'


def _anchor(answer: Answer) -> str:
    # Deterministic, so the same answer renders to the same HTML; distinct answers in one
    # notebook get distinct ids and their markers jump to their own sources.
    seed = "\x1f".join([answer.question, answer.text, *(c.chunk for c in answer.citations)])
    return "rk-" + hashlib.sha1(seed.encode("utf-8")).hexdigest()[:10]


def _question(question: str) -> str:
    return f'<div class="rk-q"><span class="rk-label">Question</span>{_e(question)}</div>'


def _answer_text(answer: Answer, anchor: str) -> str:
    by_number = {citation.number: citation for citation in answer.citations}
    out: list[str] = []
    for segment in answer_segments(answer):
        if segment.unsupported:
            out.append(
                '<span class="rk-unsupported" title="No cited passage supports this sentence">'
                f"{_e(segment.text)}</span>"
            )
        else:
            out.append(_e(segment.text))
        out += [_marker(number, by_number.get(number), anchor) for number in segment.citations]
        if segment.unsupported:
            out.append('<span class="rk-flag">unsupported</span>')
    return f'<div class="rk-text">{"".join(out)}</div>'


def _marker(number: int, citation: Citation | None, anchor: str) -> str:
    tip = ""
    if citation is not None:
        where = citation.location() + (f" — {citation.section}" if citation.section else "")
        quote = excerpt(citation.quote, citation.answer_span, width=140).text
        tip = f' title="{_e(where)}: {_e(quote)}"'
    return f'<sup class="rk-ref"><a href="#{anchor}-{number}"{tip}>{number}</a></sup>'


def _unsupported_warning(answer: Answer) -> str:
    count = len(answer.unsupported_sentences)
    if not count:
        return ""
    what = "1 sentence is" if count == 1 else f"{count} sentences are"
    return (
        f'<div class="rk-warning">⚠ {what} not supported by the cited passages; '
        "check before relying on it.</div>"
    )


def _refusal(answer: Answer) -> str:
    parts = [f'<div class="rk-refusal">{_e(REFUSAL_HEADLINE)}</div>']
    if detail := refusal_detail(answer.text):
        parts.append(f'<div class="rk-note">{_e(detail)}</div>')
    if answer.model_answer:
        parts.append(
            '<div class="rk-guess">Below the threshold, the model would have said: '
            f"<q>{_e(answer.model_answer)}</q></div>"
        )
    return "".join(parts)


def _gauge(answer: Answer) -> str:
    probability = answer.answerable_probability
    threshold = f"threshold {format_score(answer.threshold)}"
    badge = f'<span class="rk-badge">{"answered" if answer.answered else "refused"}</span>'
    if probability is None:
        label = f"<span>answerability not reported · {threshold}</span>"
        return f'<div class="rk-gauge">{badge}{label}</div>'
    fill = f"{_percent(probability)}%"
    mark = f"{_percent(answer.threshold)}%"
    bar = (
        f'<div class="rk-bar" role="meter" aria-label="answerable probability" '
        f'aria-valuemin="0" aria-valuemax="1" aria-valuenow="{probability:.4f}">'
        f'<div class="rk-fill" style="width:{fill}"></div>'
        f'<div class="rk-threshold" style="left:{mark}" title="{threshold}"></div></div>'
    )
    label = f"<span>answerable <b>{format_score(probability)}</b> · {threshold}</span>"
    return f'<div class="rk-gauge">{bar}{label}{badge}</div>'


def _percent(value: float) -> str:
    return f"{min(max(value, 0.0), 1.0) * 100:.1f}"


def _citation(citation: Citation, anchor: str) -> str:
    quote = excerpt(citation.quote, citation.answer_span, width=220)
    return _source(
        number=citation.number,
        anchor=anchor,
        file=citation.file or citation.document,
        where=_where(citation.pages, citation.section),
        score=citation.score,
        snip=_excerpt_html(quote),
        body=_highlighted(citation.quote, citation.answer_span),
        meta=_meta(citation.title, citation.chunk, citation.document),
    )


def _passage(index: int, passage: Passage, anchor: str) -> str:
    return _source(
        number=index,
        anchor=f"{anchor}-near",
        file=passage.file or passage.document,
        where=_where(passage.pages, passage.section),
        score=passage.score,
        snip=_e(excerpt(passage.text, width=220).text),
        body=_e(passage.text),
        meta=_meta(passage.title, passage.chunk, passage.document),
    )


def _source(
    *,
    number: int,
    anchor: str,
    file: str,
    where: str,
    score: float | None,
    snip: str,
    body: str,
    meta: str,
) -> str:
    score_html = (
        "" if score is None else f'<span class="rk-score">score {format_score(score)}</span>'
    )
    where_html = f'<span class="rk-where">{_e(where)}</span>' if where else ""
    summary = (
        f'<summary>{score_html}<span class="rk-num">{number}</span>'
        f'<span class="rk-file">{_e(file)}</span>{where_html}'
        f'<span class="rk-snip">“{snip}”</span></summary>'
    )
    content = f'<div class="rk-body"><blockquote class="rk-passage">{body}</blockquote>{meta}</div>'
    return f'<details class="rk-src" id="{anchor}-{number}">{summary}{content}</details>'


def _where(pages: tuple[int, int] | None, section: str | None) -> str:
    return " · ".join(piece for piece in (format_pages(pages), section or "") if piece)


def _meta(title: str | None, chunk: str, document: str) -> str:
    lines = [f"title: {_e(title)}"] if title else []
    lines += [f"chunk: {_e(chunk)}", f"document: {_e(document)}"]
    return f'<div class="rk-meta">{"<br>".join(lines)}</div>'


def _excerpt_html(piece: Excerpt) -> str:
    focus = f"<mark>{_e(piece.focus)}</mark>" if piece.focus else ""
    return _e(piece.before) + focus + _e(piece.after)


def _highlighted(text: str, span: tuple[int, int] | None) -> str:
    if span is None or not 0 <= span[0] < span[1] <= len(text):
        return _e(text)
    start, end = span
    return f"{_e(text[:start])}<mark>{_e(text[start:end])}</mark>{_e(text[end:])}"


def _footer(answer: Answer) -> str:
    timings = answer.timings
    steps = [
        f"{name} {format_seconds(seconds)}"
        for name, seconds in (("retrieval", timings.retrieval), ("generation", timings.generation))
        if seconds is not None
    ]
    pieces = [answer.corpus, f"{answer.mode} mode", answer.style.lower(), *steps]
    pieces.append(f"total {format_seconds(timings.total)}")
    return f'<div class="rk-foot">{_e(" · ".join(pieces))}</div>'


def _search_row(rank: int, hit: Passage, query: str) -> str:
    pieces = "".join(
        f"<mark>{_e(piece)}</mark>" if match else _e(piece)
        for piece, match in snippet(hit.text, query)
    )
    full = (
        '<details class="rk-more"><summary>full passage</summary>'
        f'<blockquote class="rk-passage">{_e(hit.text)}</blockquote></details>'
    )
    where = _where(hit.pages, hit.section)
    source = f"<b>{_e(hit.file or hit.document)}</b>" + (
        f'<br><span class="rk-muted">{_e(where)}</span>' if where else ""
    )
    score = format_score(hit.score)
    if hit.score is not None:
        bar = f'<span class="rk-mini"><span style="width:{_percent(hit.score)}%"></span></span>'
        score = bar + score
    return (
        f'<tr><td class="rk-n">{rank}</td><td class="rk-n">{score}</td>'
        f"<td>{source}</td><td>{pieces}{full}</td></tr>"
    )


def _cell(value: object) -> str:
    numeric = isinstance(value, int | float) and not isinstance(value, bool)
    css = ' class="rk-n"' if numeric else ""
    return f"<td{css}>{_e(format_cell(value))}</td>"
