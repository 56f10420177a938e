"""Terminal output: the words, markers, locations and quotes a reader sees, in colour or not."""

from __future__ import annotations

import io
import re

import pytest
from rich.console import Console

from ragkit.render import render_answer, render_search
from ragkit.render.terminal import answer_renderable
from tests.render.examples import HOSTILE, SEARCH_QUERY, answered, hits, hostile, refused

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _plain(render: object, *args: object, width: int = 100, **kwargs: object) -> str:
    console = Console(file=io.StringIO(), force_terminal=False, width=width)
    assert callable(render)
    render(*args, console, **kwargs)
    output = console.file.getvalue()  # type: ignore[attr-defined]
    assert not ANSI.search(output), "non-terminal output must be plain text"
    return output


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_answer_has_markers_answerability_and_sources() -> None:
    output = _plain(render_answer, answered())
    flat = _flat(output)
    assert "integrity and availability.[1]" in flat
    assert "severe or catastrophic.[2]" in flat
    assert "once a year. [unsupported]" in flat
    assert "answerable 0.87 (threshold 0.50)" in flat
    assert "1 sentence unsupported" in flat
    assert "[1] nist_fips199.pdf p.6 — Security Objectives" in flat
    assert "[2] nist_fips199.pdf pp.6-7 — Potential Impact on Organizations and Individuals" in flat
    # The quote is trimmed around the answer span, which is kept whole.
    assert "a severe or catastrophic adverse effect on organizational operations" in flat
    assert "…is HIGH if—" in flat and "…”" in flat
    assert "score 0.74" in flat


def test_sources_come_after_the_answer_in_order() -> None:
    output = _plain(render_answer, answered())
    assert output.index("Sources") < output.index("[1] nist") < output.index("[2] nist")
    assert output.index("answerable 0.87") < output.index("Sources")


def test_plain_output_has_no_trailing_padding() -> None:
    output = _plain(render_answer, answered(), width=80)
    assert all(line == line.rstrip() for line in output.splitlines())
    assert max(len(line) for line in output.splitlines()) <= 80


def test_refusal_says_so_and_shows_nearest_passages() -> None:
    flat = _flat(_plain(render_answer, refused()))
    assert flat.startswith("The documents don't answer this question.")
    assert flat.count("The documents don't answer this question.") == 1
    assert "answerable 0.12 (threshold 0.50)" in flat
    assert "model would have said: “result in major financial loss”" in flat
    assert "Nearest passages" in flat
    assert "1. nist_fips199.pdf p.7" in flat and "2. nist_fips199.pdf p.5 — 1 Purpose" in flat
    assert "Sources" not in flat and "[1]" not in flat


def test_refusal_keeps_a_specific_message() -> None:
    answer = refused().model_copy(update={"text": "No passages were retrieved."})
    flat = _flat(_plain(render_answer, answer))
    assert "The documents don't answer this question. No passages were retrieved." in flat


def test_document_text_is_never_read_as_rich_markup() -> None:
    flat = _flat(_plain(render_answer, hostile(), width=400))
    assert f"The answer is 42 {HOSTILE}.[1]" in flat
    assert "[bold red]boom[/]" in flat


def test_colour_on_a_terminal_and_none_with_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    coloured = Console(file=io.StringIO(), force_terminal=True, color_system="truecolor")
    render_answer(answered(), coloured)
    assert ANSI.search(coloured.file.getvalue())  # type: ignore[attr-defined]

    monkeypatch.setenv("NO_COLOR", "1")
    plain = Console(file=io.StringIO(), force_terminal=True, color_system="truecolor")
    render_answer(answered(), plain)
    output = plain.file.getvalue()  # type: ignore[attr-defined]
    # NO_COLOR removes colour; emphasis (bold/italic) may stay, as the convention allows.
    assert not re.search(r"\x1b\[[0-9;]*3[0-9]m|\x1b\[38;", output)
    assert "[1] nist_fips199.pdf p.6" in ANSI.sub("", output)


def test_answer_renderable_matches_render_answer() -> None:
    console = Console(file=io.StringIO(), force_terminal=False, width=90)
    console.print(answer_renderable(answered()))
    assert console.file.getvalue() == _plain(render_answer, answered(), width=90)  # type: ignore[attr-defined]


def test_search_table() -> None:
    output = _plain(render_search, hits(), query=SEARCH_QUERY, width=120)
    flat = _flat(output)
    assert "3 hits for “impact of a loss of integrity”" in flat
    for column in ("#", "score", "file", "page", "snippet"):
        assert column in output.splitlines()[2]
    rows = [line for line in output.splitlines() if re.match(r"\s+[123]\s+0\.\d\d", line)]
    assert [row.split()[:4] for row in rows] == [
        ["1", "0.82", "nist_fips199.pdf", "p.6"],
        ["2", "0.77", "nist_fips199.pdf", "pp.6-7"],
        ["3", "0.08", "pep0257.rst", "A"],
    ]
    assert "The potential impact is HIGH" in flat


def test_search_without_query_and_without_hits() -> None:
    assert "nist_fips199.pdf" in _plain(render_search, hits())
    assert _plain(render_search, []).strip() == "No passages matched."


def test_answer_without_attributions() -> None:
    answer = answered().model_copy(update={"sentences": (), "citations": ()})
    flat = _flat(_plain(render_answer, answer))
    assert flat.startswith("FISMA defines three security objectives")
    assert "[1]" not in flat and "Sources" not in flat and "unsupported" not in flat
