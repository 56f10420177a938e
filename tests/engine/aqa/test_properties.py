"""Properties over arbitrary document-like text: no crash, verbatim spans, sane scores."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from ragkit.engine.aqa import Passage, answer

# Words and marks that exercise the layout and shape rules: colons and "Key:" lines,
# parentheses, dashes, bullets, list cues, definers, conditions, capitals, numbers.
_PIECES = (
    "What is are the a X OCR ( ) : , ; and or if when unless such as including like is means "
    "refers to stands for - — − • [44] 1 2 2019 PEP Status: AUTHORITY Security Objectives . "
    "\n \n\n"
).split(" ")
_TEXT = st.lists(st.sampled_from(_PIECES), max_size=40).map(" ".join)
_QUESTION = st.lists(st.sampled_from(_PIECES), max_size=10).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(question=_QUESTION, first=_TEXT, second=_TEXT)
def test_any_text_gives_a_grounded_answer(question: str, first: str, second: str) -> None:
    passages = [Passage("a", (first, second)), Passage("b", (second,), relevance=0.5)]
    extractive = answer(question, passages, style="EXTRACTIVE")
    assert 0.0 <= extractive.answerable_probability <= 1.0
    if extractive.attributions:
        assert extractive.text in extractive.attributions[0].text
    for style in ("ABSTRACTIVE", "VERBOSE"):
        a = answer(question, passages, style=style)  # type: ignore[arg-type]
        assert 0.0 <= a.answerable_probability <= 1.0
        assert a.text
