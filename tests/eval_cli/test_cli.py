"""`ragkit eval retrieval` and `ragkit eval qa` run as a user runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from ragkit.cli import main
from ragkit.cli._common import ExitCode
from ragkit.eval.run_qa import QA_METRICS
from ragkit.eval.run_retrieval import RETRIEVAL_METRICS
from tests.conftest import REPO_ROOT

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"

RETRIEVAL_KEYS = [
    "schema",
    "measured_at",
    "backend",
    "dataset",
    "corpus",
    "queries",
    "depth",
    "ingest",
    "comparison",
    "metrics",
    "modes",
]
QA_KEYS = [
    "schema",
    "measured_at",
    "backend",
    "kind",
    "source",
    "corpus",
    "threshold",
    "questions",
    "answerable",
    "unanswerable",
    "metrics",
    "calibration",
]


def _run(*args: str | Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [str(arg) for arg in args])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def test_retrieval_json_is_stable(beir_dir: Path) -> None:
    code, out, _ = _run("eval", "retrieval", "--dataset", beir_dir, "--json", "--no-compare")
    assert code == ExitCode.OK
    data = json.loads(out)
    assert list(data) == RETRIEVAL_KEYS
    assert data["schema"] == "ragkit.eval.retrieval/1"
    assert list(data["metrics"]) == list(RETRIEVAL_METRICS)
    assert {"ndcg@10", "recall@10", "recall@100", "mrr@10"} <= set(data["metrics"])
    assert list(data["modes"]) == ["hybrid"]
    assert data["modes"]["hybrid"] == data["metrics"]
    assert list(data["ingest"]) == ["reused", "documents", "chunks", "created_documents", "seconds"]
    assert (data["queries"], data["corpus"]) == (4, "corpora/beir-minibeir")


def test_retrieval_table_and_report(beir_dir: Path, tmp_path: Path) -> None:
    out_dir = tmp_path / "report"
    code, out, err = _run(
        "eval", "retrieval", "--dataset", beir_dir, "--no-compare", "--limit", "3", "--out", out_dir
    )
    assert code == ExitCode.OK
    assert "nDCG@10" in out and "fused (hybrid)" in out and "Recall@100" in out
    assert f"report written to {out_dir}" in err
    report = (out_dir / "report.md").read_text(encoding="utf-8")
    assert f"ragkit eval retrieval --dataset {beir_dir} --limit 3 --no-compare" in report
    assert "| fused (hybrid) |" in report
    assert "local (in-process engine)" in report
    results = json.loads((out_dir / "results.json").read_text(encoding="utf-8"))
    assert results["queries"] == 3
    assert results["measured_at"][:4] in report


def test_retrieval_reuses_an_ingested_corpus(beir_dir: Path) -> None:
    args = ("eval", "retrieval", "--dataset", beir_dir, "--json", "--no-compare")
    first = json.loads(_run(*args)[1])
    second = json.loads(_run(*args)[1])
    assert first["ingest"]["reused"] is False
    assert second["ingest"]["reused"] is True
    assert second["metrics"]["recall@100"] == first["metrics"]["recall@100"]


def test_qa_dataset_json_is_stable(squad_dir: Path) -> None:
    code, out, _ = _run("eval", "qa", "--dataset", squad_dir, "--json", "--threshold", "0.3")
    assert code == ExitCode.OK
    data = json.loads(out)
    assert list(data) == QA_KEYS
    assert data["schema"] == "ragkit.eval.qa/1"
    assert list(data["metrics"]) == list(QA_METRICS)
    assert {"f1", "exact", "auroc", "best_threshold", "ece"} <= set(data["metrics"])
    assert (data["kind"], data["corpus"], data["threshold"]) == ("dataset", None, 0.3)
    assert (data["questions"], data["answerable"], data["unanswerable"]) == (3, 2, 1)
    assert data["calibration"]["outcome"] == "answer F1 >= 0.5"
    assert sum(b["count"] for b in data["calibration"]["bins"]) == 3


def test_qa_report_with_plots(squad_dir: Path, tmp_path: Path) -> None:
    out_dir = tmp_path / "qa-report"
    code, out, err = _run("eval", "qa", "--dataset", squad_dir, "--out", out_dir)
    assert code == ExitCode.OK
    assert "AUROC" in out and "Calibration" in out
    assert "warning" not in err
    for name in ("calibration.png", "score-distributions.png"):
        assert (out_dir / name).read_bytes().startswith(PNG_MAGIC), name
    report = (out_dir / "report.md").read_text(encoding="utf-8")
    assert "![calibration](calibration.png)" in report
    assert f"ragkit eval qa --dataset {squad_dir}" in report
    lines = (out_dir / "questions.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["id"] for line in lines] == ["s1", "s2", "s3"]


def test_qa_report_without_matplotlib(
    squad_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import now raises ImportError
    out_dir = tmp_path / "no-plots"
    code, _, err = _run("eval", "qa", "--dataset", squad_dir, "--out", out_dir)
    assert code == ExitCode.OK
    assert "matplotlib is not installed" in err
    assert sorted(p.name for p in out_dir.iterdir()) == [
        "questions.jsonl",
        "report.md",
        "results.json",
    ]
    assert "## Plots" not in (out_dir / "report.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "extra",
    [
        [],
        ["--questions", "QUESTIONS", "--dataset", "SQUAD"],
        ["--dataset", "SQUAD", "--corpus", "x"],
    ],
    ids=["neither", "both", "corpus-with-dataset"],
)
def test_qa_usage_errors(extra: list[str], squad_dir: Path, questions_file: Path) -> None:
    paths = {"QUESTIONS": str(questions_file), "SQUAD": str(squad_dir)}
    code, _, err = _run("eval", "qa", *(paths.get(arg, arg) for arg in extra))
    assert code == ExitCode.USAGE
    assert "Error" in err


def test_bad_data_is_a_one_line_error(beir_dir: Path) -> None:
    (beir_dir / "queries.jsonl").write_text("{not json\n", encoding="utf-8")
    code, out, err = _run("eval", "retrieval", "--dataset", beir_dir, "--json")
    assert code == ExitCode.ERROR
    assert out == ""
    flat = err.replace("\n", "")  # rich wraps long lines at the console width
    assert "error:" in flat and "queries.jsonl:1: invalid JSON" in flat


def test_qa_as_a_subprocess(squad_dir: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "ragkit", "eval", "qa", "--dataset", str(squad_dir), "--json"],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        env={**os.environ, "NO_COLOR": "1"},
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["questions"] == 3
    assert list(data["metrics"]) == list(QA_METRICS)


def test_eval_is_listed_in_help() -> None:
    code, out, _ = _run("eval", "--help")
    assert code == ExitCode.OK
    assert "retrieval" in out and "qa" in out
