"""answerable_probability separates answerable from unanswerable questions."""

from __future__ import annotations

import pytest

from ragkit.engine.aqa import Passage, answer
from ragkit.engine.aqa.calibration import probability
from ragkit.engine.aqa.features import FEATURE_NAMES

# (passage, answerable question, unanswerable question about the same topic)
CASES = [
    (
        "The Golden Gate Bridge opened to traffic on May 27, 1937. It was designed by "
        "Joseph Strauss and cost about $35 million to build.",
        "When did the Golden Gate Bridge open?",
        "How many cars cross the Golden Gate Bridge each day?",
    ),
    (
        "Memorized secrets SHALL be at least 8 characters in length if chosen by the "
        "subscriber. Verifiers SHOULD permit secrets at least 64 characters in length.",
        "How long must a memorized secret chosen by the subscriber be?",
        "Which hashing algorithm should verifiers use for memorized secrets?",
    ),
    (
        "Marie Curie was born in Warsaw in 1867. She moved to Paris in 1891, where she "
        "studied physics at the University of Paris.",
        "Where was Marie Curie born?",
        "Who was Marie Curie's first teacher in Warsaw?",
    ),
    (
        "Python 3.0 was released on December 3, 2008. It was a major revision that is not "
        "completely backward-compatible with earlier versions.",
        "When was Python 3.0 released?",
        "Who designed the logo of Python 3.0?",
    ),
    (
        "The Amazon River is about 6,400 kilometres long and flows through Peru, Colombia "
        "and Brazil into the Atlantic Ocean.",
        "How long is the Amazon River?",
        "What is the name of the largest fish in the Amazon River?",
    ),
    (
        "Approximately 3 billion ducks are slaughtered each year for meat worldwide. "
        "Almost all domestic ducks are descended from the mallard.",
        "How many ducks are slaughtered each year for meat?",
        "How many ducks live in Antarctica?",
    ),
]


@pytest.mark.parametrize(("passage", "good", "bad"), CASES)
def test_answerable_scores_higher_than_unanswerable(passage: str, good: str, bad: str) -> None:
    passages = [Passage("p", (passage,))]
    p_good = answer(good, passages, style="EXTRACTIVE").answerable_probability
    p_bad = answer(bad, passages, style="EXTRACTIVE").answerable_probability
    assert p_good > p_bad


def test_off_topic_passage_is_unanswerable() -> None:
    a = answer("1+1=?", [Passage("x", ("2+2=4",))], style="EXTRACTIVE")
    assert a.answerable_probability < 0.5
    b = answer(
        "Who designed the Golden Gate Bridge?",
        [Passage("d", ("Ducks are mostly aquatic birds found in fresh and sea water.",))],
        style="EXTRACTIVE",
    )
    assert b.answerable_probability < 0.1


@pytest.mark.parametrize("target", ["span", "contains"])
def test_probability_model_is_monotonic_in_coverage(target: str) -> None:
    values = {"coverage": 0.5, "context_coverage": 0.5, "type_match": 1.0, "span_score": 1.0}
    values |= {"typed_question": 1.0, "margin": 0.1, "unmatched": 1.0}
    base = [values.get(name, 0.0) for name in FEATURE_NAMES]
    more = list(base)
    more[FEATURE_NAMES.index("coverage")] = 1.0
    more[FEATURE_NAMES.index("context_coverage")] = 1.0
    assert probability(more, target) > probability(base, target)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="features"):
        probability([1.0])
