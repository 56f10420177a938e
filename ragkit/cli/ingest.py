"""``ragkit ingest PATH...``: put a folder of documents into a corpus, idempotently.

Progress goes to stderr (bars on a terminal, one line per file otherwise); the
summary, or with ``--json`` the report of :mod:`ingest.report`, goes to stdout.
Exit codes: 0 when every file is in the corpus, 4 (``PARTIAL``) when some files
failed and the rest were stored, 1 when nothing could be stored.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ragkit.cli._common import (
    ExitCode,
    fail,
    handles_errors,
    settings_from,
    stderr_console,
    stdout_console,
)

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress as Bars

    from ingest.pipeline import IngestOptions, Progress
    from ingest.report import FileResult, Report
    from ragkit.config import Settings


class _BarProgress:
    """Two bars on stderr: files finished and chunks stored."""

    def __init__(self, bars: Bars) -> None:
        self._bars = bars
        self._files = bars.add_task("files", total=None)
        self._chunks = bars.add_task("chunks", total=0)

    def start(self, files: int) -> None:
        self._bars.update(self._files, total=files)

    def add_chunks(self, count: int) -> None:
        task = self._bars.tasks[self._chunks]
        self._bars.update(self._chunks, total=(task.total or 0) + count)

    def chunks_done(self, count: int) -> None:
        self._bars.advance(self._chunks, count)

    def file_done(self, result: FileResult) -> None:
        self._bars.advance(self._files)
        if result.reason:
            self._bars.console.print(f"[red]failed[/] {result.path}: {result.reason}")


class _LineProgress:
    """One line per finished file on stderr, for logs and pipes."""

    def __init__(self, console: Console) -> None:
        self._console = console

    def start(self, files: int) -> None:
        self._console.print(f"ingesting {files} file(s)", markup=False)

    def add_chunks(self, count: int) -> None:
        """Not shown line by line."""

    def chunks_done(self, count: int) -> None:
        """Not shown line by line."""

    def file_done(self, result: FileResult) -> None:
        detail = f": {result.reason}" if result.reason else f" ({result.chunks} chunks)"
        self._console.print(f"{result.outcome:<9} {result.path}{detail}", markup=False)


@contextmanager
def _progress(console: Console) -> Iterator[Progress]:
    if not console.is_terminal:
        yield _LineProgress(console)
        return
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    columns = (
        TextColumn("{task.description:>6}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console) as bars:
        yield _BarProgress(bars)


async def _ingest(
    settings: Settings, paths: Sequence[Path], options: IngestOptions, progress: Progress
) -> Report:
    from ingest.pipeline import ingest as run

    async with settings.async_client() as client:
        return await run(client, paths, options, progress)


def _summary(report: Report, console: Console) -> None:
    from rich.table import Table

    counts = report.counts()
    verb = "would be " if report.dry_run else ""
    title = f"{report.corpus}{' (dry run: nothing was sent)' if report.dry_run else ''}"
    table = Table(title=title, title_justify="left")
    for key in ("new", "replaced", "unchanged", "removed", "failed"):
        table.add_column(key, justify="right")
    table.add_row(
        *(str(counts[key]) for key in ("new", "replaced", "unchanged", "removed", "failed"))
    )
    console.print(table)
    if report.dry_run:
        files = Table(title="files", title_justify="left")
        for column in ("path", "action", "chunks", "tokens"):
            files.add_column(column, justify="right" if column in ("chunks", "tokens") else "left")
        for result in sorted(report.files, key=lambda r: r.path):
            action = "changed" if str(result.outcome) == "replaced" else str(result.outcome)
            files.add_row(result.path, action, str(result.chunks), str(result.tokens))
        console.print(files)
    for result in report.failed:
        console.print(f"failed    {result.path}: {result.reason}", markup=False)
    for removed in report.removed:
        state = f"{verb}deleted" if removed.deleted else "kept (pass --prune to delete)"
        console.print(f"removed   {removed.path}: {state}", markup=False)
    for problem in report.problems:
        console.print(f"limit     {problem}", markup=False)
    console.print(
        f"corpus after: {report.documents_after:,} documents, {report.chunks_after:,} chunks",
        markup=False,
    )


def _exit_code(report: Report) -> ExitCode:
    if not report.failed:
        return ExitCode.OK
    return ExitCode.PARTIAL if report.stored else ExitCode.ERROR


def _options(
    settings: Settings,
    corpus: str | None,
    include: tuple[str, ...],
    exclude: tuple[str, ...],
    *,
    prune: bool,
    dry_run: bool,
) -> IngestOptions:
    from ingest.pipeline import IngestOptions
    from ingest.plan import Chunking

    try:
        chunking = Chunking(settings.chunk_tokens, settings.overlap_tokens)
    except ValueError as error:
        raise click.UsageError(str(error)) from None
    return IngestOptions(
        corpus=settings.corpus,
        chunking=chunking,
        include=include,
        exclude=exclude,
        prune=prune,
        dry_run=dry_run,
        concurrency=settings.concurrency,
        corpus_display_name=(corpus or settings.corpus).removeprefix("corpora/"),
    )


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--corpus", default=None, help="Corpus name or ID (default: settings); created if missing."
)
@click.option(
    "--dry-run", is_flag=True, help="Print the plan and the limits it breaks; send nothing."
)
@click.option("--prune", is_flag=True, help="Delete documents whose files are gone.")
@click.option("--chunk-tokens", type=int, default=None, help="Tokens per chunk (default 300).")
@click.option(
    "--overlap", type=int, default=None, help="Tokens shared by neighbouring chunks (default 50)."
)
@click.option("--include", multiple=True, metavar="GLOB", help="Only files matching; repeatable.")
@click.option("--exclude", multiple=True, metavar="GLOB", help="Skip files matching; repeatable.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON on stdout.")
@click.pass_context
@handles_errors
def ingest(
    ctx: click.Context,
    paths: tuple[Path, ...],
    corpus: str | None,
    dry_run: bool,
    prune: bool,
    chunk_tokens: int | None,
    overlap: int | None,
    include: tuple[str, ...],
    exclude: tuple[str, ...],
    as_json: bool,
) -> None:
    """Load, chunk and upload the documents under PATH... into a corpus.

    Unchanged files are skipped, changed ones replaced, and an interrupted run
    picks up where it stopped. Globs match the path relative to the folder given,
    the file name, or a folder on the way (case-insensitive). Exit status: 0 when
    every file is in the corpus, 4 when some failed and the rest were stored, 1
    when none could be.

    \b
    Examples:
      ragkit ingest docs/
      ragkit ingest docs/ --corpus papers --exclude 'drafts/*' --prune
      ragkit ingest docs/ --dry-run --chunk-tokens 500
    """
    settings = settings_from(ctx, corpus=corpus, chunk_tokens=chunk_tokens, overlap_tokens=overlap)
    options = _options(settings, corpus, include, exclude, prune=prune, dry_run=dry_run)
    err = stderr_console()
    with _progress(err) as progress:
        report = asyncio.run(_ingest(settings, paths, options, progress))
    if not report.files:
        from ingest.loaders import supported_suffixes

        fail(f"no files to ingest (supported: {' '.join(sorted(supported_suffixes()))})")
    if as_json:
        click.echo(json.dumps(report.to_json(), indent=2, ensure_ascii=False))
    else:
        _summary(report, stdout_console())
    ctx.exit(_exit_code(report))
