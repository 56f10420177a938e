"""``ragkit eval retrieval`` and ``ragkit eval qa``: measure the backend on labelled data.

Progress goes to stderr, results to stdout: a table, or with ``--json`` the stable
JSON only. ``--out DIR`` also writes a Markdown report (with the command, the date
and the backend) and, for QA, the calibration and score-distribution plots.
"""

from __future__ import annotations

import json
import shlex
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TimeElapsedColumn

from ragkit.cli._common import handles_errors, settings_from, stderr_console, stdout_console

F = TypeVar("F", bound=Callable[..., Any])
_STYLES = click.Choice(["ABSTRACTIVE", "EXTRACTIVE", "VERBOSE"], case_sensitive=False)


class _RichProgress:
    """A :data:`ragkit.eval._run.ProgressCallback` drawing one bar per stage on stderr."""

    def __init__(self, progress: Progress) -> None:
        self._progress = progress
        self._tasks: dict[str, TaskID] = {}

    def __call__(self, stage: str, done: int, total: int | None) -> None:
        task = self._tasks.get(stage)
        if task is None:
            task = self._tasks[stage] = self._progress.add_task(stage, total=total)
            if self._progress.disable:
                # No bars in a log or a pipe: one line per stage says what is running.
                _note(f"{stage} ({total:,})" if total is not None else stage)
        self._progress.update(task, completed=done, total=total)


@contextmanager
def _progress() -> Iterator[_RichProgress]:
    columns = (
        "{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    console = stderr_console()
    # Bars only on a terminal: in a log or a pipe they would be noise.
    with Progress(
        *columns, console=console, transient=True, disable=not console.is_terminal
    ) as progress:
        yield _RichProgress(progress)


def _note(message: str) -> None:
    stderr_console().print(message, markup=False, soft_wrap=True)


def _command(ctx: click.Context, name: str, options: dict[str, Any]) -> str:
    """The command line that reproduces this run, for the report."""
    words = ["ragkit"]
    for root_option in ("preset", "base_url"):
        value = ctx.find_root().params.get(root_option)
        if value is not None:
            words += [f"--{root_option.replace('_', '-')}", str(value)]
    words += ["eval", name]
    for option, value in options.items():
        if value is None or value is False:
            continue
        flag = f"--{option.replace('_', '-')}"
        words += [flag] if value is True else [flag, str(value)]
    return shlex.join(words)


def _output_options(written: str) -> Callable[[F], F]:
    """``--json`` and ``--out DIR``, shared by both commands."""

    def decorate(command: F) -> F:
        command = click.option(
            "--out",
            type=click.Path(file_okay=False, path_type=Path),
            default=None,
            help=f"Write {written} into this folder.",
        )(command)
        return click.option("--json", "as_json", is_flag=True, help="Print the stable JSON only.")(
            command
        )

    return decorate


@click.group("eval")
def eval_group() -> None:
    """Measure retrieval and answers on labelled data (BEIR, SQuAD 2.0, your questions)."""


@eval_group.command("retrieval")
@click.option(
    "--dataset",
    required=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="BEIR folder: corpus.jsonl[.gz], queries.jsonl and a qrels TSV.",
)
@click.option(
    "--corpus", default=None, help="Corpus to ingest into or reuse (default corpora/beir-<folder>)."
)
@click.option("--limit", type=click.IntRange(min=1), default=None, help="First N judged queries.")
@click.option(
    "--compare/--no-compare",
    default=True,
    help="Also run lexical-only and dense-only where the backend offers them (default on).",
)
@_output_options("report.md and results.json")
@click.pass_context
@handles_errors
def retrieval(
    ctx: click.Context,
    dataset: Path,
    corpus: str | None,
    limit: int | None,
    compare: bool,
    as_json: bool,
    out: Path | None,
) -> None:
    """Ingest a BEIR data set (once) and report nDCG@10, Recall@10/@100, MRR@10, latency."""
    from ragkit.eval.report import retrieval_json, retrieval_renderable, write_retrieval_report
    from ragkit.eval.run_retrieval import evaluate_retrieval

    settings = settings_from(ctx)
    with _progress() as progress:
        result = evaluate_retrieval(
            dataset, settings=settings, corpus=corpus, compare=compare, limit=limit,
            progress=progress,
        )  # fmt: skip
    if out is not None:
        options = {"dataset": dataset, "corpus": corpus, "limit": limit, "no_compare": not compare}
        write_retrieval_report(result, out, command=_command(ctx, "retrieval", options))
        _note(f"report written to {out}")
    if as_json:
        click.echo(json.dumps(retrieval_json(result), indent=2))
    else:
        stdout_console().print(retrieval_renderable(result))


@eval_group.command("qa")
@click.option(
    "--questions",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="JSONL, one question a line: question, answers, optional answerable and source.",
)
@click.option(
    "--dataset",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="squad2-500 folder: each question is answered over its own context.",
)
@click.option("--corpus", default=None, help="Corpus to ask (--questions; default: settings).")
@click.option(
    "--threshold",
    type=click.FloatRange(0.0, 1.0),
    default=None,
    help="Refuse at or below this answerable probability (default 0.5).",
)
@click.option("--limit", type=click.IntRange(min=1), default=None, help="First N questions.")
@click.option("--style", type=_STYLES, default=None, help="Answer style (--questions).")
@click.option("--top-k", type=int, default=None, help="Passages per question (--questions).")
@_output_options("report.md, results.json, questions.jsonl and PNG plots")
@click.pass_context
@handles_errors
def qa(
    ctx: click.Context,
    questions: Path | None,
    dataset: Path | None,
    corpus: str | None,
    threshold: float | None,
    limit: int | None,
    style: str | None,
    top_k: int | None,
    as_json: bool,
    out: Path | None,
) -> None:
    """Report EM/F1 with abstention, refusals, AUROC, calibration, citations and latency."""
    from ragkit.eval.report import qa_json, qa_renderable, write_qa_report
    from ragkit.eval.run_qa import evaluate_questions, evaluate_squad

    if (questions is None) == (dataset is None):
        raise click.UsageError("give exactly one of --questions FILE and --dataset DIR")
    if dataset is not None and (corpus or style or top_k):
        raise click.UsageError("--corpus, --style and --top-k apply to --questions only")
    settings = settings_from(
        ctx, corpus=corpus, threshold=threshold, style=style.upper() if style else None, top_k=top_k
    )
    with _progress() as progress:
        if dataset is not None:
            result = evaluate_squad(dataset, settings=settings, limit=limit, progress=progress)
        else:
            assert questions is not None
            result = evaluate_questions(
                questions, settings=settings, limit=limit, progress=progress
            )
    if out is not None:
        options = {
            "questions": questions,
            "dataset": dataset,
            "corpus": corpus,
            "threshold": threshold,
            "limit": limit,
            "style": style,
            "top_k": top_k,
        }
        for warning in write_qa_report(result, out, command=_command(ctx, "qa", options)):
            _note(f"warning: {warning}")
        _note(f"report written to {out}")
    if as_json:
        click.echo(json.dumps(qa_json(result), indent=2))
    else:
        stdout_console().print(qa_renderable(result))
