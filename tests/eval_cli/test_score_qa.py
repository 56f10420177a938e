"""score_qa on five hand-made records whose every figure is worked out below."""

from __future__ import annotations

import pytest

from ragkit.eval.run_qa import QA_METRICS, QARecord, score_qa


def _record(
    id: str,
    answers: tuple[str, ...],
    prediction: str,
    probability: float | None,
    seconds: float,
    **citations: tuple[tuple[str, int | None], ...],
) -> QARecord:
    # ragkit's rule: refused at or below 0.5.
    answered = probability is None or probability > 0.5
    return QARecord(
        id, f"question {id}", answers, prediction, probability, answered, seconds, **citations
    )


RECORDS = [
    # answered, right
    _record(
        "r1",
        ("Paris",),
        "Paris",
        0.9,
        0.1,
        cited=(("docs/a.pdf", 3),),
        expected=(("a.pdf", 3), ("a.pdf", 4)),
    ),
    # answered, half right: F1 = 2 * 1 * 0.5 / 1.5 = 2/3
    _record(
        "r2",
        ("blue whale",),
        "the whale",
        0.6,
        0.2,
        cited=(("b.html", None),),
        expected=(("b.html", None),),
    ),
    _record("r3", (), "Lyon", 0.3, 0.3),  # unanswerable, refused: right
    _record("r4", (), "Rome", 0.7, 0.4),  # unanswerable, answered: wrong
    _record("r5", ("42",), "42", 0.4, 0.5),  # answerable, refused: wrong
]


def test_every_metric_by_hand() -> None:
    metrics, table = score_qa(RECORDS)
    assert list(metrics) == list(QA_METRICS)
    expected = {
        "exact": 2 / 5,  # r1, r3
        "f1": (1 + 2 / 3 + 1) / 5,
        "has_ans_exact": 1 / 3,
        "has_ans_f1": (1 + 2 / 3) / 3,
        "no_ans_exact": 1 / 2,
        "answered": 3 / 5,
        "contains_answer": 2 / 3,  # r1 and r5 contain theirs; "the whale" lacks "blue"
        "citation_precision": 1.0,  # r1 1/1, r2 1/1
        "citation_recall": (1 / 2 + 1) / 2,
        # refused r3 (unanswerable) and r5 (answerable); missed r4
        "refusal_precision": 1 / 2,
        "refusal_recall": 1 / 2,
        "refusal_f1": 1 / 2,
        # positives .9 .6 .4 vs negatives .3 .7: 4 of 6 pairs ordered right
        "auroc": 4 / 6,
        # answering r1, r4, r2, r5 (p >= 0.4) and abstaining on r3 gives F1 (1+0+2/3+1+1)/5
        "best_threshold": 0.4,
        "best_exact": 3 / 5,
        "best_f1": (1 + 2 / 3 + 1 + 1) / 5,
        # one question per bin; gaps .1 .4 .3 .7 .6 (correct: r1, r2, r5)
        "ece": (0.1 + 0.4 + 0.3 + 0.7 + 0.6) / 5,
        "latency_p50_ms": 300.0,
        "latency_p95_ms": 480.0,
        "latency_mean_ms": 300.0,
    }
    for name, value in expected.items():
        assert metrics[name] == pytest.approx(value), name
    assert table is not None
    assert [(b.count, b.observed_rate) for b in table.bins] == [
        (1, 0.0),
        (1, 1.0),
        (1, 1.0),
        (1, 0.0),
        (1, 1.0),
    ]


def test_missing_probabilities_leave_the_probability_figures_empty() -> None:
    records = [*RECORDS[:4], _record("r5", ("42",), "42", None, 0.5)]
    metrics, table = score_qa(records)
    assert table is None
    for name in ("auroc", "best_threshold", "best_exact", "best_f1", "ece"):
        assert metrics[name] is None
    assert metrics["exact"] == pytest.approx(3 / 5)  # r5 now answered (no probability)


def test_no_expected_sources_means_no_citation_figures() -> None:
    metrics, _ = score_qa(RECORDS[2:])
    assert metrics["citation_precision"] is None
    assert metrics["citation_recall"] is None


def test_abstaining_everywhere_best_reports_no_threshold() -> None:
    records = [_record("u1", (), "Lyon", 0.8, 0.1), _record("u2", (), "Rome", 0.6, 0.1)]
    metrics, _ = score_qa(records)
    assert metrics["best_threshold"] is None
    assert metrics["best_f1"] == 1.0
    assert metrics["auroc"] is None  # one class only


def test_no_records_is_an_error() -> None:
    with pytest.raises(ValueError, match="no questions"):
        score_qa([])
