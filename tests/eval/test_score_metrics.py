"""AUROC, calibration, refusal, citation and latency figures, worked by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ragkit.eval.metrics import (
    auroc,
    calibration_table,
    citation_scores,
    latency_summary,
    percentile,
    refusal_scores,
)


def test_auroc_by_hand_with_a_tie() -> None:
    # positives 0.9, 0.4; negatives 0.4, 0.1. Pairs: 0.9>0.4, 0.9>0.1, 0.4=0.4 (half),
    # 0.4>0.1 -> (1 + 1 + 0.5 + 1) / 4 = 0.875
    result = auroc([0.9, 0.4, 0.4, 0.1], [True, True, False, False])
    assert (result.value, result.positives, result.negatives, result.reason) == (0.875, 2, 2, None)


def test_auroc_extremes() -> None:
    assert auroc([0.1, 0.2, 0.8, 0.9], [False, False, True, True]).value == 1.0
    assert auroc([0.9, 0.8, 0.2, 0.1], [False, False, True, True]).value == 0.0
    assert auroc([0.5, 0.5, 0.5], [True, False, True]).value == 0.5


def test_auroc_with_one_class_says_why() -> None:
    result = auroc([0.1, 0.7], [True, True])
    assert result.value is None
    assert result.reason is not None and "only positive labels" in result.reason


def test_auroc_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match="2 scores but 1 labels"):
        auroc([0.1, 0.2], [True])
    with pytest.raises(ValueError, match="NaN"):
        auroc([math.nan, 0.2], [True, False])


@given(
    st.lists(
        st.tuples(st.sampled_from([0.0, 0.25, 0.5, 0.75, 1.0]), st.booleans()),
        min_size=2,
        max_size=30,
    )
)
def test_auroc_equals_pairwise_counting(pairs: list[tuple[float, bool]]) -> None:
    scores = [score for score, _ in pairs]
    labels = [label for _, label in pairs]
    positives = [s for s, label in pairs if label]
    negatives = [s for s, label in pairs if not label]
    result = auroc(scores, labels)
    if not positives or not negatives:
        assert result.value is None
        return
    wins = sum(1.0 if p > n else 0.5 if p == n else 0.0 for p in positives for n in negatives)
    assert result.value == pytest.approx(wins / (len(positives) * len(negatives)))


CAL_PROBS = [0.05, 0.15, 0.3, 0.35, 0.9, 1.0]
CAL_OUTCOMES = [False, False, True, False, True, True]
# Bins [0,.25) [.25,.5) [.75,1]: means 0.1, 0.325, 0.95; observed 0, 0.5, 1;
# gaps 0.1, 0.175, 0.05, each weighted 2/6 -> ECE = 0.325 / 3
CAL_ECE = 0.325 / 3


def test_calibration_equal_width_by_hand() -> None:
    table = calibration_table(CAL_PROBS, CAL_OUTCOMES, bins=4)
    rows = [(b.lower, b.upper, b.count, b.mean_predicted, b.observed_rate) for b in table.bins]
    assert rows == [
        (0.0, 0.25, 2, pytest.approx(0.1), 0.0),
        (0.25, 0.5, 2, pytest.approx(0.325), 0.5),
        (0.75, 1.0, 2, pytest.approx(0.95), 1.0),
    ]  # the empty [.5, .75) bin is left out
    assert table.ece == pytest.approx(CAL_ECE)
    assert table.count == 6


def test_calibration_edges_go_to_the_upper_bin_and_one_to_the_last() -> None:
    table = calibration_table([0.5, 1.0, 0.0], [True, True, False], bins=2)
    assert [(b.lower, b.count) for b in table.bins] == [(0.0, 1), (0.5, 2)]
    # 0.3 written as a literal sits exactly on the edge 3/10
    table = calibration_table([0.3], [True], bins=10)
    assert table.bins[0].lower == 0.3


def test_calibration_equal_count_by_hand() -> None:
    table = calibration_table(CAL_PROBS, CAL_OUTCOMES, bins=3, strategy="count")
    assert [b.count for b in table.bins] == [2, 2, 2]
    assert [(b.lower, b.upper) for b in table.bins] == [(0.05, 0.15), (0.3, 0.35), (0.9, 1.0)]
    assert table.ece == pytest.approx(CAL_ECE)


def test_calibration_equal_count_keeps_ties_together() -> None:
    table = calibration_table(
        [0.2, 0.2, 0.2, 0.8], [True, False, False, True], bins=2, strategy="count"
    )
    assert [b.count for b in table.bins] == [3, 1]
    # gaps |0.2 - 1/3| * 3/4 + |0.8 - 1| * 1/4 = 0.1 + 0.05
    assert table.ece == pytest.approx(0.15)


def test_calibration_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        calibration_table([1.2], [True])
    with pytest.raises(ValueError, match="no probabilities"):
        calibration_table([], [])
    with pytest.raises(ValueError, match="bins"):
        calibration_table([0.5], [True], bins=0)


def test_refusal_scores_by_hand() -> None:
    # refused:      T T F F T
    # unanswerable: T F T F T  -> TP 2, FP 1, FN 1, TN 1; P = R = 2/3, F1 = 4/6
    scores = refusal_scores([True, True, False, False, True], [True, False, True, False, True])
    assert (scores.true_positives, scores.false_positives) == (2, 1)
    assert (scores.false_negatives, scores.true_negatives) == (1, 1)
    assert scores.precision == pytest.approx(2 / 3)
    assert scores.recall == pytest.approx(2 / 3)
    assert scores.f1 == pytest.approx(2 / 3)


def test_refusal_scores_undefined_and_zero() -> None:
    never = refusal_scores([False, False], [False, False])
    assert (never.precision, never.recall, never.f1) == (None, None, None)
    wrong = refusal_scores([True, False], [False, True])
    assert (wrong.precision, wrong.recall, wrong.f1) == (0.0, 0.0, 0.0)
    with pytest.raises(ValueError):
        refusal_scores([True], [])


def test_citation_scores_by_hand() -> None:
    cited = {
        # (keys,3) right, (keys,5) wrong page, other.pdf wrong file -> P 1/3;
        # expected pages 3 found, 4 not -> R 1/2
        "q1": [
            ("/home/u/docs/policies/keys.pdf", 3),
            ("/home/u/docs/policies/keys.pdf", 5),
            ("other.pdf", 3),
        ],
        # an expected page of None accepts any page of the file -> P 1, R 1
        "q2": [("site/guide.html", None), ("site/guide.html", 2)],
        # "q3" cited nothing -> P undefined, R 0
        "q4": [("a.pdf", 1)],  # no expected source: skipped
        "extra": [("a.pdf", 1)],  # not a question: ignored
    }
    expected = {
        "q1": [("policies/keys.pdf", 3), ("policies/keys.pdf", 4)],
        "q2": [("guide.html", None)],
        "q3": [("a.pdf", 1)],
        "q4": [],
    }
    scores = citation_scores(cited, expected)
    assert set(scores.per_question) == {"q1", "q2", "q3"}
    assert scores.per_question["q1"].precision == pytest.approx(1 / 3)
    assert scores.per_question["q1"].recall == 0.5
    assert scores.per_question["q3"].precision is None
    assert scores.precision == pytest.approx((1 / 3 + 1) / 2)  # over q1, q2
    assert scores.recall == pytest.approx((0.5 + 1 + 0) / 3)  # over q1, q2, q3


def test_citation_files_match_on_whole_path_components() -> None:
    expected = {"q": [("policies/keys.pdf", 1)]}
    assert citation_scores({"q": [("xpolicies/keys.pdf", 1)]}, expected).recall == 0.0
    assert citation_scores({"q": [("C:\\docs\\policies\\keys.pdf", 1)]}, expected).recall == 1.0
    assert citation_scores({"q": [("./policies/keys.pdf", 1)]}, expected).recall == 1.0
    assert citation_scores({"q": [("keys.pdf", 1)]}, expected).recall == 1.0
    # an expected page needs a cited page: a page-less citation does not prove it
    assert citation_scores({"q": [("policies/keys.pdf", None)]}, expected).recall == 0.0


def test_citation_scores_with_nothing_to_score() -> None:
    scores = citation_scores({}, {"u": []})
    assert (scores.precision, scores.recall, scores.per_question) == (None, None, {})


def test_latency_percentiles_by_hand_and_against_numpy() -> None:
    samples = [0.4, 0.1, 10.0, 0.3, 0.2]
    # sorted 0.1 0.2 0.3 0.4 10.0; p50 at position 0.5*4 = 2 -> 0.3;
    # p95 at position 3.8 -> 0.4 + (10.0 - 0.4) * 0.8 = 8.08
    summary = latency_summary(samples)
    assert summary.count == 5
    assert summary.mean == pytest.approx(2.2)
    assert summary.p50 == pytest.approx(0.3)
    assert summary.p95 == pytest.approx(8.08)
    assert summary.max == 10.0
    for q in (0, 12.5, 50, 90, 95, 99, 100):
        assert percentile(samples, q) == pytest.approx(float(np.percentile(samples, q)))


def test_latency_rejects_empty_and_bad_percentile() -> None:
    with pytest.raises(ValueError):
        latency_summary([])
    with pytest.raises(ValueError):
        percentile([1.0], 101)
    assert latency_summary([0.7]).p95 == 0.7
