"""SQuAD 2.0 text scores, abstention and the answer-threshold sweep, worked by hand."""

from __future__ import annotations

import math

import pytest

from ragkit.eval.metrics import (
    best_threshold,
    contains_answer,
    contains_answer_rate,
    exact_match,
    is_abstention,
    normalize_answer,
    squad_scores,
    token_f1,
)


@pytest.mark.parametrize(
    ("text", "normalized"),
    [
        ("The Eiffel Tower", "eiffel tower"),
        ("  A  cat's\tpaw.  ", "cats paw"),
        ("theater", "theater"),  # "the" only as a whole word
        ("U.S.A.", "usa"),
        # punctuation goes first, so "a.m." becomes "am", not an article
        ("A.M.", "am"),
        ("an apple-a-day", "appleaday"),
        ("1,000 km", "1000 km"),
        ("THE END", "end"),
        ("The", ""),
        # the official script strips ASCII punctuation only
        ("café – “quoted”", "café – “quoted”"),
    ],
)
def test_normalisation_matches_the_official_script(text: str, normalized: str) -> None:
    assert normalize_answer(text) == normalized


def test_exact_match_takes_the_best_gold() -> None:
    assert exact_match("the Eiffel tower!", ["Paris", "Eiffel Tower"]) == 1.0
    assert exact_match("Eiffel", ["Eiffel Tower"]) == 0.0


def test_f1_by_hand() -> None:
    # pred [eiffel, tower, in, paris] vs gold [eiffel, tower]: 2 shared,
    # P = 2/4, R = 2/2, F1 = 2 * 0.5 * 1 / 1.5 = 2/3
    assert token_f1("Eiffel Tower in Paris", ["the Eiffel Tower"]) == pytest.approx(2 / 3)
    # repeated tokens count by multiplicity: pred [cat x3], gold [cat, cat, dog]
    # shared min(3, 2) = 2, P = 2/3, R = 2/3, F1 = 2/3
    assert token_f1("the cat cat cat", ["cat cat dog"]) == pytest.approx(2 / 3)
    # max over golds: vs "blue whale" P=1, R=1/2 -> 2/3; vs "whale" -> 1
    assert token_f1("whale", ["blue whale", "whale"]) == 1.0
    assert token_f1("dolphin", ["blue whale"]) == 0.0


def test_abstention_scoring_follows_squad2() -> None:
    # unanswerable (no gold, or golds that normalise to nothing): only "" is right
    for golds in ([], [""], ["the"]):
        assert exact_match(None, golds) == 1.0
        assert exact_match("", golds) == 1.0
        assert token_f1(None, golds) == 1.0
        assert exact_match("Paris", golds) == 0.0
        assert token_f1("Paris", golds) == 0.0
    # abstaining on an answerable question scores 0
    assert exact_match(None, ["Paris"]) == 0.0
    assert token_f1("", ["Paris"]) == 0.0


def test_is_abstention() -> None:
    assert is_abstention(None)
    assert is_abstention("  ")
    assert is_abstention("The.")
    assert not is_abstention("Paris")


def test_contains_answer_respects_word_boundaries() -> None:
    assert contains_answer("The RNA interference pathway is used.", ["RNA interference"])
    assert not contains_answer("RNAi is used.", ["RNA"])
    assert not contains_answer("in 1912", ["1"])
    assert contains_answer("Built in 1,889.", ["1,889"])
    assert not contains_answer("anything", [])
    assert not contains_answer(None, ["Paris"])


@pytest.mark.parametrize(
    ("text", "gold"),
    [
        # real squad2-500 contexts where SQuAD normalisation fuses the answer into a neighbour
        ("war in Algeria and Osama bin Laden's terror attacks", "Osama bin Laden"),
        (
            "in Switzerland and the Netherlands.[citation needed] A",
            "Switzerland and the Netherlands.",
        ),
        ("Faversham and Maidstone—towns in which", "Faversham and Maidstone"),
        (
            "(due to a greater tendency to take on debts).[unreliable source",
            "tendency to take on debts",
        ),
        ("It is in the Netherlands", "Netherlands"),  # articles are ignored on both sides
    ],
)
def test_contains_answer_sees_through_glued_punctuation(text: str, gold: str) -> None:
    assert contains_answer(text, [gold])


def test_squad_scores_by_hand() -> None:
    golds = {
        "a1": ["Paris"],  # pred "paris" -> EM 1, F1 1
        "a2": ["blue whale"],  # pred "whale" -> EM 0, F1 2/3
        "a3": ["1912"],  # abstained -> 0, 0
        "u1": [],  # abstained -> 1, 1
        "u2": [""],  # pred "Lyon" -> 0, 0
    }
    predictions = {"a1": "paris", "a2": "whale", "a3": None, "u1": "", "u2": "Lyon"}
    scores = squad_scores(predictions, golds)
    assert scores.total == 5
    assert scores.exact == pytest.approx(2 / 5)  # 1 + 0 + 0 + 1 + 0
    assert scores.f1 == pytest.approx((1 + 2 / 3 + 1) / 5)
    assert scores.answerable is not None and scores.unanswerable is not None
    assert (scores.answerable.count, scores.answerable.exact) == (3, pytest.approx(1 / 3))
    assert scores.answerable.f1 == pytest.approx((1 + 2 / 3) / 3)
    assert (scores.unanswerable.count, scores.unanswerable.exact) == (2, 0.5)
    assert scores.per_question["a2"] == (0.0, pytest.approx(2 / 3))


def test_squad_scores_requires_every_prediction() -> None:
    with pytest.raises(ValueError, match="no prediction for 1 question"):
        squad_scores({"a": "x"}, {"a": ["x"], "b": ["y"]})


def test_contains_answer_rate_counts_answerable_only() -> None:
    golds = {"a1": ["Paris"], "a2": ["whale"], "u1": []}
    texts = {"a1": "It is Paris.", "a2": "A shark.", "u1": "Paris"}
    assert contains_answer_rate(texts, golds) == 0.5  # 1 of the 2 answerable
    assert contains_answer_rate({"u1": "x"}, {"u1": []}) is None


# Five questions for the threshold sweep (answer when probability >= t):
#   id  gold          prediction  prob  answered EM/F1  abstained EM/F1
#   q1  Paris         Paris       0.9   1 / 1           0 / 0
#   q2  (none)        Lyon        0.8   0 / 0           1 / 1
#   q3  blue whale    whale       0.6   0 / 2/3         0 / 0
#   q4  (none)        x           0.3   0 / 0           1 / 1
#   q5  1912          1912        0.6   1 / 1           0 / 0
# Sums over the 5:  t=inf EM 2 F1 2 | t=0.9 EM 3 F1 3 | t=0.8 EM 2 F1 2 |
#                   t=0.6 EM 3 F1 3+2/3 | t=0.3 EM 2 F1 2+2/3
SWEEP_PREDICTIONS = {"q1": "Paris", "q2": "Lyon", "q3": "whale", "q4": "x", "q5": "1912"}
SWEEP_PROBABILITIES = {"q1": 0.9, "q2": 0.8, "q3": 0.6, "q4": 0.3, "q5": 0.6}
SWEEP_GOLDS = {"q1": ["Paris"], "q2": [], "q3": ["blue whale"], "q4": [], "q5": ["1912"]}


def test_best_threshold_for_f1_answers_the_tied_group_together() -> None:
    choice = best_threshold(SWEEP_PREDICTIONS, SWEEP_PROBABILITIES, SWEEP_GOLDS)
    assert choice.threshold == 0.6
    assert choice.answered == 4  # q1, q2, q3 and q5 (both at 0.6)
    assert choice.f1 == pytest.approx((3 + 2 / 3) / 5)
    assert choice.exact == pytest.approx(3 / 5)


def test_best_threshold_for_exact_prefers_the_higher_of_tied_thresholds() -> None:
    choice = best_threshold(SWEEP_PREDICTIONS, SWEEP_PROBABILITIES, SWEEP_GOLDS, objective="exact")
    # EM 3/5 at both t=0.9 and t=0.6; the sweep keeps the first (higher) one
    assert (choice.threshold, choice.answered, choice.exact) == (0.9, 1, pytest.approx(0.6))


def test_best_threshold_can_be_never_answer() -> None:
    choice = best_threshold({"u": "Lyon"}, {"u": 0.99}, {"u": []})
    assert choice.threshold == math.inf
    assert (choice.answered, choice.f1) == (0, 1.0)


def test_best_threshold_needs_a_probability_per_question() -> None:
    with pytest.raises(ValueError, match="no probability"):
        best_threshold({"a": "x"}, {}, {"a": ["x"]})
    with pytest.raises(ValueError, match="NaN"):
        best_threshold({"a": "x"}, {"a": math.nan}, {"a": ["x"]})


def test_best_threshold_never_splits_equal_probabilities() -> None:
    # Both questions sit at 0.5, so t=0.5 answers both: a right (+1), b wrong (-1 vs
    # abstaining): F1 (1 + 0) / 2 = 0.5, no better than abstaining on both (0 + 1) / 2.
    # Answering "a" alone would score 1.0 but no threshold does that.
    choice = best_threshold(
        {"a": "Paris", "b": "Lyon"}, {"a": 0.5, "b": 0.5}, {"a": ["Paris"], "b": []}
    )
    assert (choice.threshold, choice.answered, choice.f1) == (math.inf, 0, 0.5)
