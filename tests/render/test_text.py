"""Excerpts, snippets, answer segments and the small formatters every renderer shares."""

from __future__ import annotations

import doctest
import importlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ragkit.qa.answer import SentenceAttribution
from ragkit.render._segments import answer_segments
from ragkit.render._text import ELLIPSIS, excerpt, query_terms, snippet, squash
from tests.render.examples import answered

WORDS = st.lists(
    st.sampled_from(["keys", "rotate", "every", "90", "days", "the", "a\n"]), max_size=80
)


@given(WORDS, st.data())
def test_excerpt_keeps_the_span_whole_and_bounded(words: list[str], data: st.DataObject) -> None:
    text = " ".join(words)
    if len(text) < 2:
        return
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    width = data.draw(st.integers(20, 120))
    piece = excerpt(text, (start, end), width=width)
    assert piece.focus == squash(text[start:end])
    context = len(piece.before) + len(piece.after) - 2  # the two ellipses at most
    assert context <= max(width - (end - start), 40) + 2
    assert squash(piece.before.strip(ELLIPSIS)) in squash(text[:start]) + " "
    assert squash(piece.after.strip(ELLIPSIS)) in " " + squash(text[end:])


@given(st.text(max_size=400), st.integers(10, 200))
def test_excerpt_without_span_is_a_prefix(text: str, width: int) -> None:
    piece = excerpt(text, width=width)
    assert piece.focus == "" and piece.after == ""
    assert len(piece.before) <= width + 1
    assert squash(text).startswith(piece.before.removesuffix(ELLIPSIS).rstrip(" ,;:"))


def test_excerpt_ignores_an_invalid_span() -> None:
    assert excerpt("short text", (5, 99)).text == "short text"


@given(st.text(max_size=300), st.text(max_size=40))
def test_snippet_pieces_join_to_a_window_of_the_text(text: str, query: str) -> None:
    pieces = snippet(text, query, width=80)
    joined = "".join(piece for piece, _ in pieces)
    core = joined.removeprefix(ELLIPSIS).removesuffix(ELLIPSIS).rstrip(" ,;:")
    assert core in squash(text)
    terms = query_terms(query)
    for piece, match in pieces:
        assert not match or any(piece.lower().startswith(term[:3]) for term in terms)


def test_snippet_moves_to_where_the_query_words_are() -> None:
    text = "Filler sentence number one. " * 20 + "Keys are rotated every 90 days."
    pieces = snippet(text, "how often are keys rotated", width=80)
    assert pieces[0] == (ELLIPSIS, False) or pieces[0][0].startswith(ELLIPSIS)
    assert ("Keys", True) in pieces and ("rotated", True) in pieces


def test_segments_keep_the_original_spacing() -> None:
    answer = answered().model_copy(
        update={"text": "  " + answered().text.replace(". Losing", ".\n\nLosing") + "  "}
    )
    segments = answer_segments(answer)
    assert "".join(segment.text for segment in segments) == answer.text
    cited = [(s.citations, s.unsupported) for s in segments if s.citations or s.unsupported]
    assert cited == [((1,), False), ((2,), False), ((), True)]


def test_segments_fall_back_when_a_sentence_is_not_in_the_text() -> None:
    answer = answered().model_copy(
        update={
            "sentences": (
                SentenceAttribution(sentence="Elsewhere.", citations=(1,), supported=True),
            )
        }
    )
    segments = answer_segments(answer)
    assert [(s.text, s.citations) for s in segments] == [("Elsewhere.", (1,))]


def test_segments_without_sentences_cite_everything_at_the_end() -> None:
    answer = answered().model_copy(update={"sentences": ()})
    (segment,) = answer_segments(answer)
    assert segment.text == answer.text and segment.citations == (1, 2)


@pytest.mark.parametrize(
    "module",
    [
        "ragkit.render",
        "ragkit.render._text",
        "ragkit.render.html",
        "ragkit.render.json",
        "ragkit.render.listing",
        "ragkit.render.markdown",
        "ragkit.render.results",
        "ragkit.render.terminal",
    ],
)
def test_docstring_examples(module: str) -> None:
    failures, tried = doctest.testmod(importlib.import_module(module), verbose=False)
    assert failures == 0
    assert tried > 0 or module == "ragkit.render"
