"""QA evaluation against the in-process engine: SQuAD layout and questions over a corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from ragkit.client import Client
from ragkit.config import Settings, load_settings
from ragkit.eval.datasets import read_squad_dir
from ragkit.eval.run_qa import QA_METRICS, evaluate_questions, evaluate_squad
from tests.eval_cli.conftest import QA_CORPUS, QA_QUESTIONS, build_qa_corpus


def test_squad_layout_scores_every_question(settings: Settings, squad_dir: Path) -> None:
    seen: list[int] = []
    result = evaluate_squad(squad_dir, settings=settings, progress=lambda s, d, t: seen.append(d))
    assert (result.kind, result.corpus, result.questions, result.answerable) == (
        "dataset",
        None,
        3,
        2,
    )
    assert list(result.metrics) == list(QA_METRICS)
    assert seen == [0, 1, 2, 3]
    for record in result.records:
        assert record.probability is not None and 0.0 <= record.probability <= 1.0
        assert record.answered == (record.probability > result.threshold)
        assert record.cited == () and record.expected == ()
    assert result.metrics["answered"] == pytest.approx(sum(r.answered for r in result.records) / 3)
    assert result.metrics["citation_precision"] is None


def test_threshold_decides_what_is_answered(settings: Settings, squad_dir: Path) -> None:
    never = evaluate_squad(squad_dir, settings=settings, threshold=1.0)
    assert never.metrics["answered"] == 0.0
    # Abstaining everywhere is right exactly on the one unanswerable question.
    assert never.metrics["exact"] == pytest.approx(1 / 3)
    assert never.metrics["refusal_recall"] == 1.0
    always = evaluate_squad(squad_dir, settings=settings, threshold=0.0)
    assert always.metrics["answered"] == pytest.approx(
        sum(1 for r in always.records if r.probability) / 3
    )


def test_limit_takes_the_first_questions(settings: Settings, squad_dir: Path) -> None:
    result = evaluate_squad(squad_dir, settings=settings, limit=2)
    assert [r.id for r in result.records] == ["s1", "s2"]


@pytest.mark.shared_data
def test_squad2_sample_of_twenty(shared_data: Path) -> None:
    directory = shared_data / "squad2-500"
    result = evaluate_squad(directory, settings=load_settings(), limit=20)
    gold = list(read_squad_dir(directory))[:20]
    assert result.questions == 20
    assert result.answerable == sum(1 for item in gold if item.answerable)
    assert [r.id for r in result.records] == [item.id for item in gold]
    assert result.metrics["auroc"] is not None
    assert result.calibration is not None and result.calibration.count == 20
    # Abstention at 0.5 leaves exact between "abstain on all" and "all right".
    exact = result.metrics["exact"]
    assert exact is not None and 0.0 <= exact <= 1.0


def test_questions_are_asked_of_the_corpus_and_citations_scored(
    client: Client, questions_file: Path
) -> None:
    build_qa_corpus(client)
    # Threshold 0: every answer with any probability is shown, so its citations count
    # whatever the local answerer's confidence.
    settings = load_settings(threshold=0.0)
    result = evaluate_questions(questions_file, settings=settings, corpus=QA_CORPUS)
    assert (result.kind, result.corpus, result.questions, result.answerable) == (
        "questions",
        QA_CORPUS,
        4,
        3,
    )
    by_id = {r.id: r for r in result.records}
    assert by_id["rotate"].expected == (("policies/keys.pdf", 2),)
    assert by_id["register"].expected == (("keys.pdf", 3),)
    assert by_id["opens"].expected == (("guides/office.html", None),)
    assert by_id["parking"].expected == ()
    known_files = {"policies/keys.pdf", "guides/office.html"}
    for record in result.records:
        assert {file for file, _ in record.cited} <= known_files
        if not record.answered:
            assert record.cited == ()
    rotate = by_id["rotate"]
    assert rotate.answered, rotate
    assert result.threshold == 0.0
    assert ("policies/keys.pdf", 2) in rotate.cited
    assert "90 days" in rotate.prediction
    assert result.metrics["citation_recall"] is not None
    assert len(QA_QUESTIONS) == result.questions


def test_questions_default_to_the_settings_corpus(
    client: Client, questions_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_qa_corpus(client)
    monkeypatch.setenv("RAGKIT_CORPUS", QA_CORPUS)
    result = evaluate_questions(questions_file, limit=1)
    assert result.corpus == QA_CORPUS
    assert result.questions == 1
