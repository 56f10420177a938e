"""Markdown output: markers, sources as blockquotes, and text that cannot become markup."""

from __future__ import annotations

from markdown_it import MarkdownIt

from ragkit.render import answer_markdown, listing_markdown, search_markdown
from ragkit.render.markdown import escape_markdown
from tests.render.examples import HOSTILE, SEARCH_QUERY, answered, hits, hostile, refused

# CommonMark with tables and strikethrough, raw HTML allowed: the worst case for escaping.
_MD = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


def test_answer_markdown_markers_and_sources() -> None:
    text = answer_markdown(answered())
    assert text.startswith("**Question:** What security objectives does FISMA define")
    assert "integrity and availability.[1] Losing one" in text
    assert "severe or catastrophic.[2] Agencies" in text
    assert "once a year. ⚠ *unsupported*" in text
    assert "*Answerable 0.87 (threshold 0.50) · 1 unsupported sentence*" in text
    assert "**[1]** **nist\\_fips199.pdf p.6** — Security Objectives · score 0.91" in text
    assert "**[2]** **nist\\_fips199.pdf pp.6-7** — Potential Impact" in text
    quotes = [line for line in text.splitlines() if line.startswith("> ")]
    assert len(quotes) == 2
    assert "**three security objectives**" in quotes[0]
    assert "**a severe or catastrophic adverse effect**" in quotes[1]
    assert text.index("**Sources**") < text.index("**[1]**") < text.index("**[2]**")


def test_answer_markdown_renders_as_intended() -> None:
    rendered = _MD.render(answer_markdown(answered()))
    assert rendered.count("<blockquote>") == 2
    assert "<strong>three security objectives</strong>" in rendered
    assert "<em>unsupported</em>" in rendered
    assert "nist_fips199.pdf" in rendered


def test_refusal_markdown() -> None:
    text = answer_markdown(refused())
    assert "**The documents don't answer this question.**" in text
    assert "*Answerable 0.12 (threshold 0.50)*" in text
    assert "model would have said: “result in major financial loss”" in text
    assert "**Nearest passages**" in text
    assert (
        "**1.** **nist\\_fips199.pdf p.7**" in text and "**2.** **nist\\_fips199.pdf p.5**" in text
    )
    assert "**Sources**" not in text


def test_document_text_cannot_become_markup() -> None:
    rendered = _MD.render(answer_markdown(hostile()))
    assert "<script" not in rendered and "<b>" not in rendered
    assert "&lt;script&gt;alert" in rendered
    assert "<em>stars</em>" not in rendered and "*stars*" in rendered
    assert "_under_" in rendered and "\\$x^2\\$" not in rendered
    assert "<strong>the answer is 42</strong>" in rendered  # our emphasis survives
    assert "&amp;amp;" in rendered  # "&amp;" in a document stays visible as written


def test_escape_line_starts_and_math() -> None:
    for text in ("- not a list", "1. not a list", "# not a heading", "> not a quote", "+ x"):
        rendered = _MD.render(escape_markdown(text))
        assert rendered.startswith("<p>"), (text, rendered)
    assert escape_markdown("$5 and $6") == "\\$5 and \\$6"  # Jupyter would typeset $…$


def test_search_markdown() -> None:
    text = search_markdown(SEARCH_QUERY, hits())
    assert text.startswith("**Search “impact of a loss of integrity”** · 3 hits")
    assert "**1.** **nist\\_fips199.pdf p.6** — Security Objectives · score 0.82" in text
    assert "**3.** **pep0257.rst** — What is a Docstring? · score 0.08" in text
    assert "**impact**" in text and "**integrity**" in text
    assert "*No passages matched.*" in search_markdown("x", [])


def test_listing_markdown_table() -> None:
    text = listing_markdown([["a|b", None, 3.0]], ["name", "empty", "n"], "Things")
    rendered = _MD.render(text)
    assert "<table>" in rendered
    assert "<td>a|b</td>" in rendered and "<td>3</td>" in rendered
    assert text.startswith("**Things** (1)")
    assert "*Nothing to list.*" in listing_markdown([], ["x"], "Empty")


def test_hostile_title_and_section_escaped() -> None:
    text = answer_markdown(hostile())
    assert HOSTILE not in text
    rendered = _MD.render(text)
    assert "[bold red]boom[/]" in rendered
