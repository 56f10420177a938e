"""Present an evaluation: stable JSON, a terminal table, and a Markdown report folder.

The JSON is the contract scripts rely on: a ``schema`` string, the run's context
(date, backend, corpus, data set) and ``metrics`` keyed by metric name
(``ndcg@10``, ``recall@100``, ``f1``, ``auroc``; see
:data:`ragkit.eval.run_retrieval.RETRIEVAL_METRICS` and
:data:`ragkit.eval.run_qa.QA_METRICS`). A metric the data cannot give is ``null``.
The terminal and Markdown tables are drawn from the same rows.

Example::

    result = evaluate_squad("../shared/data/squad2-500", limit=20)
    print(json.dumps(qa_json(result), indent=2))
    write_qa_report(result, Path("out"), command="ragkit eval qa --dataset ...")
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from ragkit.eval.run_qa import CORRECT_F1, QA_METRICS, QAEvaluation
from ragkit.eval.run_retrieval import RETRIEVAL_METRICS, RetrievalEvaluation

__all__ = [
    "QA_SCHEMA",
    "REPORT_MD",
    "RESULTS_JSON",
    "RETRIEVAL_SCHEMA",
    "qa_json",
    "qa_renderable",
    "retrieval_json",
    "retrieval_renderable",
    "write_qa_report",
    "write_retrieval_report",
]

RETRIEVAL_SCHEMA = "ragkit.eval.retrieval/1"
QA_SCHEMA = "ragkit.eval.qa/1"
REPORT_MD = "report.md"
RESULTS_JSON = "results.json"
QUESTIONS_JSONL = "questions.jsonl"

_DIGITS = 6  # JSON precision: enough for any comparison, short enough to read

_RETRIEVAL_HEADERS = {
    "ndcg@10": "nDCG@10",
    "recall@10": "Recall@10",
    "recall@100": "Recall@100",
    "mrr@10": "MRR@10",
    "latency_p50_ms": "p50 ms",
    "latency_p95_ms": "p95 ms",
}
_MODE_LABELS = {"hybrid": "fused (hybrid)", "lexical": "lexical only", "dense": "dense only"}
_QA_LABELS = {
    "exact": "Exact match",
    "f1": "F1",
    "has_ans_exact": "Exact match, answerable questions",
    "has_ans_f1": "F1, answerable questions",
    "no_ans_exact": "Correct abstention, unanswerable questions",
    "answered": "Share of questions answered",
    "contains_answer": "Answer contains a gold answer (answerable, before threshold)",
    "citation_precision": "Citation precision (page level)",
    "citation_recall": "Citation recall (page level)",
    "refusal_precision": "Refusal precision",
    "refusal_recall": "Refusal recall",
    "refusal_f1": "Refusal F1",
    "auroc": "AUROC of answerable_probability (answerable vs not)",
    "best_threshold": "Best threshold (answer when probability >= t)",
    "best_exact": "Exact match at the best threshold",
    "best_f1": "F1 at the best threshold",
    "ece": "Expected calibration error",
    "latency_p50_ms": "Latency p50 (ms)",
    "latency_p95_ms": "Latency p95 (ms)",
    "latency_mean_ms": "Latency mean (ms)",
}


def _number(value: float | None) -> float | None:
    return None if value is None else round(value, _DIGITS)


def _cell(name: str, value: float | None) -> str:
    if value is None:
        return "never answer" if name == "best_threshold" else "–"
    return f"{value:.1f}" if name.endswith("_ms") else f"{value:.3f}"


# ------------------------------------------------------------------------------- JSON


def retrieval_json(result: RetrievalEvaluation) -> dict[str, Any]:
    """The stable JSON of a retrieval evaluation (``schema`` ``ragkit.eval.retrieval/1``)."""
    ingest = result.ingest
    return {
        "schema": RETRIEVAL_SCHEMA,
        "measured_at": result.measured_at,
        "backend": result.backend,
        "dataset": result.dataset,
        "corpus": result.corpus,
        "queries": result.queries,
        "depth": result.depth,
        "ingest": {
            "reused": ingest.reused,
            "documents": ingest.documents,
            "chunks": ingest.chunks,
            "created_documents": ingest.created_documents,
            "seconds": _number(ingest.seconds),
        },
        "comparison": result.comparison,
        "metrics": {name: _number(result.fused.metrics[name]) for name in RETRIEVAL_METRICS},
        "modes": {
            mode.mode: {name: _number(mode.metrics[name]) for name in RETRIEVAL_METRICS}
            for mode in result.modes
        },
    }


def qa_json(result: QAEvaluation) -> dict[str, Any]:
    """The stable JSON of a QA evaluation (``schema`` ``ragkit.eval.qa/1``)."""
    table = result.calibration
    calibration = None
    if table is not None:
        calibration = {
            "outcome": f"answer F1 >= {CORRECT_F1}",
            "ece": _number(table.ece),
            "bins": [
                {
                    "lower": b.lower,
                    "upper": b.upper,
                    "count": b.count,
                    "mean_predicted": _number(b.mean_predicted),
                    "observed_rate": _number(b.observed_rate),
                }
                for b in table.bins
            ],
        }
    return {
        "schema": QA_SCHEMA,
        "measured_at": result.measured_at,
        "backend": result.backend,
        "kind": result.kind,
        "source": result.source,
        "corpus": result.corpus,
        "threshold": result.threshold,
        "questions": result.questions,
        "answerable": result.answerable,
        "unanswerable": result.questions - result.answerable,
        "metrics": {name: _number(result.metrics[name]) for name in QA_METRICS},
        "calibration": calibration,
    }


def _dumps(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


# ------------------------------------------------------------------------------ rows


@dataclass(frozen=True, slots=True)
class _Table:
    title: str
    headers: tuple[str, ...]
    rows: Sequence[tuple[str, ...]]
    numeric_from: int = 1
    """Columns from this index on are right-aligned numbers."""


def _retrieval_summary(result: RetrievalEvaluation) -> list[str]:
    ingest = result.ingest
    stored = f"{ingest.documents:,} documents, {ingest.chunks:,} chunks"
    how = (
        "reused (already complete)"
        if ingest.reused
        else f"ingested in {ingest.seconds:.0f} s ({ingest.created_documents:,} documents created)"
    )
    return [
        f"Data set {result.dataset}: {result.queries} judged queries, depth {result.depth}.",
        f"Corpus {result.corpus}: {stored}, {how}.",
        f"Backend {result.backend}; measured {result.measured_at}.",
        f"Rows: {result.comparison}.",
    ]


def _retrieval_table(result: RetrievalEvaluation) -> _Table:
    rows = [
        (
            _MODE_LABELS.get(mode.mode, mode.mode),
            *(_cell(name, mode.metrics[name]) for name in RETRIEVAL_METRICS),
        )
        for mode in result.modes
    ]
    headers = ("ranker", *(_RETRIEVAL_HEADERS[name] for name in RETRIEVAL_METRICS))
    return _Table("Retrieval", headers, rows)


def _qa_summary(result: QAEvaluation) -> list[str]:
    source = (
        f"Questions {result.source} asked of {result.corpus}"
        if result.kind == "questions"
        else f"Data set {result.source}, each question over its own context"
    )
    counts = (
        f"{result.questions} questions ({result.answerable} answerable, "
        f"{result.questions - result.answerable} not)"
    )
    return [
        f"{source}: {counts}.",
        f"Refuse at answerable_probability <= {result.threshold:g}.",
        f"Backend {result.backend}; measured {result.measured_at}.",
    ]


def _qa_tables(result: QAEvaluation) -> list[_Table]:
    metrics = _Table(
        "QA",
        ("metric", "key", "value"),
        [(_QA_LABELS[n], n, _cell(n, result.metrics[n])) for n in QA_METRICS],
        numeric_from=2,
    )
    tables = [metrics]
    if result.calibration is not None:
        rows = [
            (
                f"{b.lower:.1f}–{b.upper:.1f}",
                str(b.count),
                f"{b.mean_predicted:.3f}",
                f"{b.observed_rate:.3f}",
            )
            for b in result.calibration.bins
        ]
        headers = ("probability", "questions", "mean probability", f"share F1 >= {CORRECT_F1}")
        tables.append(_Table("Calibration", headers, rows))
    return tables


# -------------------------------------------------------------------------- terminal


def _rich_table(table: _Table) -> Table:
    drawn = Table(title=table.title, box=box.SIMPLE_HEAD, title_justify="left")
    for index, header in enumerate(table.headers):
        drawn.add_column(header, justify="right" if table.numeric_from <= index else "left")
    for row in table.rows:
        drawn.add_row(*(Text(cell) for cell in row))
    return drawn


def _renderable(summary: Sequence[str], tables: Sequence[_Table]) -> RenderableType:
    parts: list[RenderableType] = [Text(line) for line in summary]
    parts += [_rich_table(table) for table in tables]
    return Group(*parts)


def retrieval_renderable(result: RetrievalEvaluation) -> RenderableType:
    """The terminal view of a retrieval evaluation (a summary and one row per ranker)."""
    return _renderable(_retrieval_summary(result), [_retrieval_table(result)])


def qa_renderable(result: QAEvaluation) -> RenderableType:
    """The terminal view of a QA evaluation (a summary, the metrics, the calibration)."""
    return _renderable(_qa_summary(result), _qa_tables(result))


# -------------------------------------------------------------------------- markdown


def _markdown_table(table: _Table) -> list[str]:
    def line(cells: Sequence[str]) -> str:
        return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"

    aligns = ["---:" if table.numeric_from <= i else "---" for i in range(len(table.headers))]
    return [
        f"## {table.title}",
        "",
        line(table.headers),
        line(aligns),
        *(line(row) for row in table.rows),
        "",
    ]


def _markdown(
    title: str, command: str, summary: Sequence[str], tables: Sequence[_Table], extra: list[str]
) -> str:
    lines = [f"# {title}", "", "```", command, "```", ""]
    lines += [f"- {line}" for line in summary] + [""]
    for table in tables:
        lines += _markdown_table(table)
    return "\n".join(lines + extra).rstrip() + "\n"


def write_retrieval_report(result: RetrievalEvaluation, out_dir: Path, *, command: str) -> None:
    """Write ``report.md`` and ``results.json`` for a retrieval evaluation into ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    text = _markdown(
        f"Retrieval evaluation: {Path(result.dataset).name}",
        command,
        _retrieval_summary(result),
        [_retrieval_table(result)],
        [],
    )
    (out_dir / REPORT_MD).write_text(text, encoding="utf-8")
    (out_dir / RESULTS_JSON).write_text(_dumps(retrieval_json(result)), encoding="utf-8")


def _questions_jsonl(result: QAEvaluation) -> str:
    rows = [
        {
            "id": r.id,
            "question": r.question,
            "answers": list(r.answers),
            "prediction": r.prediction,
            "answerable_probability": r.probability,
            "answered": r.answered,
            "seconds": _number(r.seconds),
            "cited": [list(ref) for ref in r.cited],
        }
        for r in result.records
    ]
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)


def write_qa_report(result: QAEvaluation, out_dir: Path, *, command: str) -> list[str]:
    """Write ``report.md``, ``results.json``, ``questions.jsonl`` and the PNG plots.

    Returns warnings for the caller to show (plots skipped when matplotlib is missing).
    """
    from ragkit.eval.plots import save_qa_plots

    out_dir.mkdir(parents=True, exist_ok=True)
    warnings: list[str] = []
    try:
        plots = save_qa_plots(result, out_dir)
    except ImportError:
        plots = []
        warnings.append("matplotlib is not installed: the report has no plots")
    extra = ["## Plots", ""] + [f"![{path.stem}]({path.name})" for path in plots] if plots else []
    text = _markdown(
        f"QA evaluation: {Path(result.source).name}",
        command,
        _qa_summary(result),
        _qa_tables(result),
        extra,
    )
    (out_dir / REPORT_MD).write_text(text, encoding="utf-8")
    (out_dir / RESULTS_JSON).write_text(_dumps(qa_json(result)), encoding="utf-8")
    (out_dir / QUESTIONS_JSONL).write_text(_questions_jsonl(result), encoding="utf-8")
    return warnings
