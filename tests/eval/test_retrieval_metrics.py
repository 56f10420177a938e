"""Retrieval metrics against hand arithmetic and against pytrec_eval's numbers."""

from __future__ import annotations

import math
import random

import pytest

from ragkit.eval.metrics import (
    evaluate_run,
    mrr_at_k,
    ndcg_at_k,
    precision_at_k,
    rank_documents,
    recall_at_k,
)

LOG2_3 = math.log2(3)

# A small run with graded labels, a score tie, unjudged documents, a negative grade
# and a query with no relevant document.
QRELS = {
    "q1": {"d1": 2, "d2": 1, "d3": 0, "d9": 3},
    "q2": {"a": 1, "b": -1, "c": 2},
    "q3": {"x": 0},
    "q4": {"m1": 1, "m2": 1, "m3": 1, "m4": 1, "m5": 1, "m6": 1},
}
RUN = {
    "q1": {"d1": 0.5, "d2": 0.5, "d3": 0.9, "d4": 0.1, "d9": 0.05},
    "q2": {"b": 3.0, "a": 1.0, "z": 2.0},
    "q3": {"x": 1.0, "y": 2.0},
    "q4": {
        "m6": 0.9, "n1": 0.8, "m2": 0.7, "n2": 0.6, "n3": 0.5, "m4": 0.4,
        "n4": 0.3, "m1": 0.2, "n5": 0.1, "n6": 0.05, "m3": 0.01,
    },
}  # fmt: skip

# pytrec_eval (pytrec-eval-terrier 0.5.11, trec_eval measures ndcg_cut, recall, P,
# recip_rank) on RUN/QRELS above, computed once and pasted here.
PYTREC_EVAL = {
    "q1": {
        "ndcg@1": 0.0, "ndcg@3": 0.3424985031845269, "ndcg@5": 0.5862180879313589,
        "ndcg@10": 0.5862180879313589, "recall@1": 0.0, "recall@3": 0.6666666666666666,
        "recall@5": 1.0, "recall@10": 1.0, "precision@1": 0.0,
        "precision@3": 0.6666666666666666, "precision@5": 0.6, "precision@10": 0.3,
        "mrr@10": 0.5,
    },
    "q2": {
        "ndcg@1": 0.0, "ndcg@3": 0.19004688335796713, "ndcg@5": 0.19004688335796713,
        "ndcg@10": 0.19004688335796713, "recall@1": 0.0, "recall@3": 0.5, "recall@5": 0.5,
        "recall@10": 0.5, "precision@1": 0.0, "precision@3": 0.3333333333333333,
        "precision@5": 0.2, "precision@10": 0.1, "mrr@10": 0.3333333333333333,
    },
    "q3": {
        "ndcg@1": 0.0, "ndcg@3": 0.0, "ndcg@5": 0.0, "ndcg@10": 0.0, "recall@1": 0.0,
        "recall@3": 0.0, "recall@5": 0.0, "recall@10": 0.0, "precision@1": 0.0,
        "precision@3": 0.0, "precision@5": 0.0, "precision@10": 0.0, "mrr@10": 0.0,
    },
    "q4": {
        "ndcg@1": 1.0, "ndcg@3": 0.7039180890341347, "ndcg@5": 0.5087403079104241,
        "ndcg@10": 0.6571532078621984, "recall@1": 0.16666666666666666,
        "recall@3": 0.3333333333333333, "recall@5": 0.3333333333333333,
        "recall@10": 0.6666666666666666, "precision@1": 1.0,
        "precision@3": 0.6666666666666666, "precision@5": 0.4, "precision@10": 0.4,
        "mrr@10": 1.0,
    },
}  # fmt: skip

# Means over a seeded synthetic run (25 queries, 40 candidate docs, grades 0-3,
# scores rounded to 2 decimals so ties occur), same tool and version.
PYTREC_EVAL_SYNTHETIC_MEAN = {
    "precision@1": 0.28, "precision@3": 0.26666666666666666, "precision@5": 0.26400000000000007,
    "precision@10": 0.23999999999999996, "ndcg@1": 0.12, "ndcg@3": 0.14906079351360912,
    "ndcg@5": 0.1687242027744297, "ndcg@10": 0.21182917933356799,
    "recall@1": 0.03471717171717172, "recall@3": 0.09800562182915123,
    "recall@5": 0.15367113931819815, "recall@10": 0.2710324381500852,
    "mrr@40": 0.47765367965367966,
}  # fmt: skip


def _synthetic() -> tuple[dict[str, dict[str, float]], dict[str, dict[str, int]]]:
    # Only Random.random() is used: its output for a seed is stable across Python versions.
    rng = random.Random(20240601)
    qrels: dict[str, dict[str, int]] = {}
    run: dict[str, dict[str, float]] = {}
    for q in range(25):
        docs = [f"doc{d:02d}" for d in range(40)]
        qrels[f"s{q}"] = {d: int(rng.random() * 4) for d in docs if rng.random() < 0.3}
        run[f"s{q}"] = {d: round(rng.random(), 2) for d in docs if rng.random() < 0.8}
    return run, qrels


def test_ties_rank_by_descending_doc_id_like_trec_eval() -> None:
    assert rank_documents({"d1": 0.5, "d2": 0.5, "d3": 0.9, "d10": 0.5}) == [
        "d3",
        "d2",
        "d10",
        "d1",
    ]


def test_ndcg_by_hand_graded_with_tie() -> None:
    # q1 ranks d3 (0), d2 (1), d1 (2), d4 (unjudged), d9 (3).
    # DCG@3 = 0/log2(2) + 1/log2(3) + 2/log2(4) = 0.63093 + 1 = 1.63093
    # IDCG@3 from the qrels' grades 3, 2, 1 = 3 + 2/log2(3) + 1/2 = 4.76186
    ranking = rank_documents(RUN["q1"])
    expected = (1 / LOG2_3 + 2 / 2) / (3 + 2 / LOG2_3 + 1 / 2)
    assert ndcg_at_k(ranking, QRELS["q1"], 3) == pytest.approx(expected)
    assert expected == pytest.approx(0.3424985)


def test_negative_grades_gain_nothing() -> None:
    # q2 ranks b (-1), z (unjudged), a (1): DCG = 1/log2(4) = 0.5; IDCG = 2 + 1/log2(3)
    ranking = rank_documents(RUN["q2"])
    assert ndcg_at_k(ranking, QRELS["q2"], 10) == pytest.approx(0.5 / (2 + 1 / LOG2_3))


def test_recall_precision_mrr_by_hand() -> None:
    # q4: relevant at ranks 1, 3, 6, 8, 11 out of 6 relevant documents.
    ranking = rank_documents(RUN["q4"])
    assert recall_at_k(ranking, QRELS["q4"], 5) == pytest.approx(2 / 6)
    assert recall_at_k(ranking, QRELS["q4"], 10) == pytest.approx(4 / 6)
    assert precision_at_k(ranking, QRELS["q4"], 10) == pytest.approx(4 / 10)
    # precision divides by k even when fewer were retrieved: 1 relevant of k=20
    assert precision_at_k(["m1"], QRELS["q4"], 20) == pytest.approx(1 / 20)
    # q2's first relevant document is at rank 3; a cutoff of 2 misses it.
    q2 = rank_documents(RUN["q2"])
    assert mrr_at_k(q2, QRELS["q2"], 10) == pytest.approx(1 / 3)
    assert mrr_at_k(q2, QRELS["q2"], 2) == 0.0


def test_matches_pytrec_eval_per_query() -> None:
    report = evaluate_run(RUN, QRELS, k_values=[1, 3, 5, 10])
    for query_id, expected in PYTREC_EVAL.items():
        for name, value in expected.items():
            assert report.per_query[query_id][name] == pytest.approx(value, abs=1e-12), (
                query_id,
                name,
            )


def test_matches_pytrec_eval_on_a_seeded_run() -> None:
    run, qrels = _synthetic()
    report = evaluate_run(run, qrels, k_values=[1, 3, 5, 10, 40])
    for name, value in PYTREC_EVAL_SYNTHETIC_MEAN.items():
        assert report.mean[name] == pytest.approx(value, abs=1e-12), name


def test_unanswered_query_scores_zero_and_is_listed() -> None:
    qrels = {"q1": {"a": 1}, "q2": {"b": 1}}
    run = {"q1": {"a": 1.0}, "unjudged": {"z": 1.0}}
    report = evaluate_run(run, qrels, k_values=[10])
    assert report.missing == ("q2",)
    assert report.per_query["q2"]["ndcg@10"] == 0.0
    assert report.mean["ndcg@10"] == pytest.approx(0.5)  # (1 + 0) / 2
    assert "unjudged" not in report.per_query


def test_invalid_arguments_are_rejected() -> None:
    with pytest.raises(ValueError, match="k must be"):
        evaluate_run(RUN, QRELS, k_values=[0])
    with pytest.raises(ValueError, match="qrels are empty"):
        evaluate_run(RUN, {})
