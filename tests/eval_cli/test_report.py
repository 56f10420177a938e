"""Report rendering on hand-built results: three rankers, empty metrics, JSON nulls."""

from __future__ import annotations

import io
import json
from pathlib import Path

from rich.console import Console

from ragkit.eval.beir_corpus import IngestSummary
from ragkit.eval.metrics import LatencySummary, RetrievalReport
from ragkit.eval.report import (
    qa_json,
    qa_renderable,
    retrieval_json,
    retrieval_renderable,
    write_retrieval_report,
)
from ragkit.eval.run_qa import QA_METRICS, QAEvaluation, QARecord
from ragkit.eval.run_retrieval import RETRIEVAL_METRICS, ModeResult, RetrievalEvaluation


def _mode(mode: str, ndcg: float) -> ModeResult:
    metrics = dict.fromkeys(RETRIEVAL_METRICS, 0.5) | {"ndcg@10": ndcg, "latency_p50_ms": 12.34}
    report = RetrievalReport(per_query={}, mean={}, missing=())
    latency = LatencySummary(count=1, mean=0.01, p50=0.01, p95=0.01, max=0.01)
    return ModeResult(mode, metrics, report, latency)  # type: ignore[arg-type]


RETRIEVAL = RetrievalEvaluation(
    dataset="data/scifact",
    corpus="corpora/beir-scifact",
    backend="local (in-process engine)",
    measured_at="2025-01-02T03:04:05+00:00",
    queries=300,
    depth=100,
    ingest=IngestSummary("corpora/beir-scifact", 5183, 5183, 0, True, 0.1, "v1-t2043-abc"),
    modes=(_mode("hybrid", 0.71849), _mode("lexical", 0.6823), _mode("dense", 0.6451)),
    comparison="lexical-only, dense-only and fused",
)


def _text(renderable: object) -> str:
    console = Console(file=io.StringIO(), width=120, force_terminal=False)
    console.print(renderable)
    return console.file.getvalue()  # type: ignore[attr-defined,no-any-return]


def test_retrieval_rows_for_each_ranker(tmp_path: Path) -> None:
    text = _text(retrieval_renderable(RETRIEVAL))
    for label, value in (
        ("fused (hybrid)", "0.718"),
        ("lexical only", "0.682"),
        ("dense only", "0.645"),
    ):
        line = next(line for line in text.splitlines() if label in line)
        assert value in line and "12.3" in line
    assert "reused (already complete)" in text
    write_retrieval_report(RETRIEVAL, tmp_path, command="ragkit eval retrieval --dataset x")
    report = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert "| lexical only | 0.682 | 0.500 | 0.500 | 0.500 | 12.3 | 0.5 |" in report
    assert "measured 2025-01-02T03:04:05+00:00" in report


def test_retrieval_json_rounds_and_keeps_every_mode() -> None:
    data = retrieval_json(RETRIEVAL)
    assert data["metrics"]["ndcg@10"] == 0.71849
    assert list(data["modes"]) == ["hybrid", "lexical", "dense"]
    assert data["modes"]["dense"]["ndcg@10"] == 0.6451


def _qa(metrics: dict[str, float | None]) -> QAEvaluation:
    record = QARecord("q", "Q?", (), "x", None, True, 0.1)
    return QAEvaluation(
        "questions", "q.jsonl", "corpora/c", "local", "2025-01-02T03:04:05+00:00", 0.5, 1, 0,
        metrics, None, (record,),
    )  # fmt: skip


def test_empty_metrics_are_null_in_json_and_a_dash_on_screen() -> None:
    metrics: dict[str, float | None] = dict.fromkeys(QA_METRICS, None)
    metrics |= {"f1": 0.123456789, "latency_p50_ms": 5.0}
    result = _qa(metrics)
    data = json.loads(json.dumps(qa_json(result)))
    assert data["metrics"]["auroc"] is None
    assert data["metrics"]["f1"] == 0.123457
    assert data["calibration"] is None
    text = _text(qa_renderable(result))
    auroc_line = next(line for line in text.splitlines() if "auroc" in line)
    assert auroc_line.rstrip().endswith("–")
    threshold_line = next(line for line in text.splitlines() if "best_threshold" in line)
    assert threshold_line.rstrip().endswith("never answer")
    assert "Questions q.jsonl asked of corpora/c" in text
