"""``ragkit eval qa``: score answers, abstention, calibration and citations.

Two sources of questions:

* a QA JSONL file (:func:`ragkit.eval.datasets.read_qa_jsonl`): each question goes
  through :func:`ragkit.qa.ask.ask` in inline mode against a corpus, so retrieval,
  answering and citation resolution are all measured;
* a squad2-500 style folder: each question is answered over its own context, passed
  as the one inline passage of ``models:generateAnswer`` (``EXTRACTIVE``).

A question is *answered* when ``answerable_probability`` is above the threshold
(ragkit refuses at or below it, as Google advises) and *abstains* otherwise.
Scores follow SQuAD 2.0 (:mod:`ragkit.eval.metrics`).

Example::

    from ragkit.config import load_settings
    result = evaluate_squad("../shared/data/squad2-500", settings=load_settings(), limit=50)
    result.metrics["f1"], result.metrics["auroc"]
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Literal

from ragkit.client import Client
from ragkit.config import Settings, load_settings
from ragkit.eval._run import ProgressCallback, backend_label, measured_at, no_progress
from ragkit.eval.datasets import QAItem, read_qa_jsonl, read_squad_dir
from ragkit.eval.metrics import (
    CalibrationTable,
    PageRef,
    auroc,
    best_threshold,
    calibration_table,
    citation_scores,
    contains_answer_rate,
    latency_summary,
    refusal_scores,
    squad_scores,
    token_f1,
)
from ragkit.qa.answer import Answer
from ragkit.types import Content, GroundingPassage, Part

__all__ = [
    "CORRECT_F1",
    "QA_METRICS",
    "QAEvaluation",
    "QARecord",
    "answer_questions",
    "answer_squad",
    "evaluate_questions",
    "evaluate_squad",
    "score_qa",
]

QA_METRICS: Final[tuple[str, ...]] = (
    "exact",
    "f1",
    "has_ans_exact",
    "has_ans_f1",
    "no_ans_exact",
    "answered",
    "contains_answer",
    "citation_precision",
    "citation_recall",
    "refusal_precision",
    "refusal_recall",
    "refusal_f1",
    "auroc",
    "best_threshold",
    "best_exact",
    "best_f1",
    "ece",
    "latency_p50_ms",
    "latency_p95_ms",
    "latency_mean_ms",
)
"""The keys of :attr:`QAEvaluation.metrics`, in display order; a value is None when the
questions cannot give it (no expected sources, one class only, ...)."""

CORRECT_F1: Final = 0.5
"""An answer counts as correct for the calibration table when its F1 reaches this."""

Kind = Literal["questions", "dataset"]


@dataclass(frozen=True, slots=True)
class QARecord:
    """One question, what the backend answered, and how long it took."""

    id: str
    question: str
    answers: tuple[str, ...]
    """Gold answers; empty when the question is unanswerable."""
    prediction: str
    """The model's answer whatever its probability ("" when it gave none)."""
    probability: float | None
    """``answerable_probability``; None when the backend sent none."""
    answered: bool
    """Above the threshold: the answer is shown, not refused."""
    seconds: float
    cited: tuple[PageRef, ...] = ()
    expected: tuple[PageRef, ...] = ()

    @property
    def final(self) -> str | None:
        """The prediction as scored at the threshold: None when it abstained."""
        return self.prediction if self.answered else None


@dataclass(frozen=True, slots=True)
class QAEvaluation:
    """Everything one ``ragkit eval qa`` run measured."""

    kind: Kind
    source: str
    """The questions file or data set folder, as given."""
    corpus: str | None
    """The corpus asked (None for a data set answered over its own contexts)."""
    backend: str
    measured_at: str
    threshold: float
    questions: int
    answerable: int
    metrics: dict[str, float | None]
    """:data:`QA_METRICS` (rates in [0, 1], latencies in milliseconds)."""
    calibration: CalibrationTable | None
    """Probability against "answer correct" (F1 >= :data:`CORRECT_F1`), 10 equal bins."""
    records: tuple[QARecord, ...]


def _refused(probability: float | None, threshold: float) -> bool:
    # Same rule as ragkit.qa.ask: no probability means the backend did not say.
    return probability is not None and probability <= threshold


def answer_squad(
    items: Iterable[QAItem],
    *,
    client: Client,
    threshold: float,
    progress: ProgressCallback = no_progress,
    total: int | None = None,
) -> list[QARecord]:
    """Answer each item over its own context (one inline passage, ``EXTRACTIVE``)."""
    records = []
    progress("answering", 0, total)
    for done, item in enumerate(items, start=1):
        if item.context is None:
            raise ValueError(f"question {item.id!r} has no context to answer from")
        passage = GroundingPassage(id="context", content=Content(parts=[Part(text=item.context)]))
        started = time.perf_counter()
        response = client.models.generate_answer(
            contents=item.question, answer_style="EXTRACTIVE", inline_passages=[passage]
        )
        seconds = time.perf_counter() - started
        probability = response.answerable_probability
        records.append(
            QARecord(
                id=item.id,
                question=item.question,
                answers=item.answers,
                prediction=response.answer.text if response.answer is not None else "",
                probability=probability,
                answered=response.answer is not None and not _refused(probability, threshold),
                seconds=seconds,
            )
        )
        progress("answering", done, total)
    return records


def _page_refs(answer: Answer) -> tuple[PageRef, ...]:
    refs: list[PageRef] = []
    for citation in answer.citations:
        file = citation.file or citation.document
        if citation.pages is None:
            refs.append((file, None))
        else:
            first, last = citation.pages
            refs.extend((file, page) for page in range(first, last + 1))
    return tuple(dict.fromkeys(refs))


def answer_questions(
    items: Iterable[QAItem],
    corpus: str,
    *,
    client: Client,
    settings: Settings,
    progress: ProgressCallback = no_progress,
    total: int | None = None,
) -> list[QARecord]:
    """Ask each question of ``corpus`` (inline mode) with the style, top-k and threshold set."""
    from ragkit.qa.ask import ask

    records = []
    progress("asking", 0, total)
    for done, item in enumerate(items, start=1):
        started = time.perf_counter()
        answer = ask(
            item.question,
            corpus,
            client=client,
            mode="inline",
            style=settings.style,
            top_k=settings.top_k,
            min_score=settings.min_score,
            threshold=settings.threshold,
            temperature=settings.temperature,
        )
        seconds = time.perf_counter() - started
        prediction = answer.text if answer.answered else (answer.model_answer or "")
        records.append(
            QARecord(
                id=item.id,
                question=item.question,
                answers=item.answers,
                prediction=prediction,
                probability=answer.answerable_probability,
                answered=answer.answered,
                seconds=seconds,
                cited=_page_refs(answer),
                expected=tuple(item.source.page_refs()) if item.source else (),
            )
        )
        progress("asking", done, total)
    return records


def score_qa(
    records: Sequence[QARecord],
) -> tuple[dict[str, float | None], CalibrationTable | None]:
    """The :data:`QA_METRICS` of ``records`` and their calibration table.

    The probability-based figures (AUROC, best threshold, calibration) are None when
    some record has no probability.
    """
    if not records:
        raise ValueError("no questions to score")
    golds = {r.id: r.answers for r in records}
    scores = squad_scores({r.id: r.final for r in records}, golds)
    refusals = refusal_scores([not r.answered for r in records], [not r.answers for r in records])
    citations = citation_scores(
        {r.id: r.cited for r in records}, {r.id: r.expected for r in records}
    )
    latency = latency_summary(r.seconds for r in records)
    metrics: dict[str, float | None] = {
        "exact": scores.exact,
        "f1": scores.f1,
        "has_ans_exact": scores.answerable.exact if scores.answerable else None,
        "has_ans_f1": scores.answerable.f1 if scores.answerable else None,
        "no_ans_exact": scores.unanswerable.exact if scores.unanswerable else None,
        "answered": sum(r.answered for r in records) / len(records),
        "contains_answer": contains_answer_rate({r.id: r.prediction for r in records}, golds),
        "citation_precision": citations.precision,
        "citation_recall": citations.recall,
        "refusal_precision": refusals.precision,
        "refusal_recall": refusals.recall,
        "refusal_f1": refusals.f1,
        "auroc": None,
        "best_threshold": None,
        "best_exact": None,
        "best_f1": None,
        "ece": None,
        "latency_p50_ms": latency.p50 * 1000,
        "latency_p95_ms": latency.p95 * 1000,
        "latency_mean_ms": latency.mean * 1000,
    }
    scored = [r for r in records if r.probability is not None]
    if len(scored) < len(records):
        return metrics, None
    probabilities = [r.probability for r in scored if r.probability is not None]
    metrics["auroc"] = auroc(probabilities, [bool(r.answers) for r in scored]).value
    best = best_threshold(
        {r.id: r.prediction for r in scored}, {r.id: r.probability or 0.0 for r in scored}, golds
    )
    # inf means "never answer" (JSON has no infinity): None, with the abstain-all scores.
    metrics["best_threshold"] = best.threshold if math.isfinite(best.threshold) else None
    metrics["best_exact"], metrics["best_f1"] = best.exact, best.f1
    correct = [bool(r.answers) and token_f1(r.prediction, r.answers) >= CORRECT_F1 for r in scored]
    table = calibration_table(probabilities, correct, bins=10)
    metrics["ece"] = table.ece
    return metrics, table


def _evaluation(
    kind: Kind,
    source: Path | str,
    corpus: str | None,
    settings: Settings,
    threshold: float,
    records: list[QARecord],
) -> QAEvaluation:
    metrics, table = score_qa(records)
    return QAEvaluation(
        kind=kind,
        source=str(source),
        corpus=corpus,
        backend=backend_label(settings),
        measured_at=measured_at(),
        threshold=threshold,
        questions=len(records),
        answerable=sum(1 for r in records if r.answers),
        metrics=metrics,
        calibration=table,
        records=tuple(records),
    )


def evaluate_squad(
    dataset_dir: Path | str,
    *,
    settings: Settings | None = None,
    threshold: float | None = None,
    limit: int | None = None,
    progress: ProgressCallback = no_progress,
) -> QAEvaluation:
    """Answer and score a squad2-500 style folder (``limit``: the first N questions only).

    ``threshold`` defaults to the settings' (0.5).
    """
    settings = settings or load_settings()
    threshold = settings.threshold if threshold is None else threshold
    items = list(read_squad_dir(dataset_dir))[:limit]
    with settings.client() as client:
        records = answer_squad(
            items, client=client, threshold=threshold, progress=progress, total=len(items)
        )
    return _evaluation("dataset", dataset_dir, None, settings, threshold, records)


def evaluate_questions(
    path: Path | str,
    *,
    settings: Settings | None = None,
    corpus: str | None = None,
    limit: int | None = None,
    progress: ProgressCallback = no_progress,
) -> QAEvaluation:
    """Ask a QA JSONL file's questions of ``corpus`` (default: the settings') and score them.

    Style, top-k, minimum score and threshold come from ``settings``.
    """
    from ragkit.qa.ask import normalize_corpus

    settings = settings or load_settings()
    corpus = normalize_corpus(corpus or settings.corpus)
    items = list(read_qa_jsonl(path))[:limit]
    with settings.client() as client:
        records = answer_questions(
            items, corpus, client=client, settings=settings, progress=progress, total=len(items)
        )
    return _evaluation("questions", path, corpus, settings, settings.threshold, records)
