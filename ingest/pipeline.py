"""``ingest()``: scan, plan, prune, then load, chunk and upload file after file.

Streaming: files are loaded and chunked one at a time on a worker thread, at most
``lookahead`` documents ahead of the uploads, and at most ``documents_in_flight``
documents upload at once (the next one starts while the last batches of the
previous one are still being embedded). Memory therefore holds a few documents,
never the folder. The request window (:class:`~ingest.pacing.Pacer`) is shared by
everything the run sends.

A file that cannot be read, breaks a limit or meets an API error is reported with
the reason and the run goes on; what was stored for it before stays (see
:mod:`ingest.upload` for why an interruption never leaves duplicates).

Example::

    from ragkit.config import load_settings
    from ingest.pipeline import IngestOptions, ingest

    async with load_settings().async_client() as client:
        report = await ingest(client, ["docs/"], IngestOptions(corpus="papers"))
    print(report.counts())
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Protocol

from ingest.model import LoadError
from ingest.pacing import Pacer, caller_paced
from ingest.plan import (
    Action,
    Capacity,
    Chunking,
    Limits,
    PlannedFile,
    PreparedDocument,
    plan_file,
    prepare,
)
from ingest.report import FileResult, Outcome, RemovedResult, Report
from ingest.scan import SourceFile, scan
from ingest.sync import (
    RemoteDocument,
    corpus_name,
    ensure_corpus,
    find_corpus,
    list_documents,
)
from ingest.upload import DocumentUploader
from ragkit.client import AsyncClient, RagkitAPIError, RagkitError


class IngestError(RagkitError):
    """The run cannot start (nothing to do safely); the message says why."""


@dataclass(frozen=True)
class IngestOptions:
    """How to ingest: target corpus, chunking, filters and the run's shape."""

    corpus: str
    chunking: Chunking = field(default_factory=lambda: Chunking(300, 50))
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    prune: bool = False
    dry_run: bool = False
    concurrency: int = 4
    """Requests in flight at most (the pacer shrinks this on 429)."""
    corpus_display_name: str | None = None
    """Display name for a corpus ingest creates (default: the corpus argument)."""
    limits: Limits = field(default_factory=Limits)
    lookahead: int = 1
    """Documents loaded and chunked ahead of the uploads."""
    documents_in_flight: int = 2


class Progress(Protocol):
    """Told what the run is doing; the CLI draws bars from it."""

    def start(self, files: int) -> None:
        """The run will report on ``files`` files."""

    def add_chunks(self, count: int) -> None:
        """``count`` more chunks are planned."""

    def chunks_done(self, count: int) -> None:
        """``count`` planned chunks are stored (or found stored)."""

    def file_done(self, result: FileResult) -> None:
        """One file is finished."""


class NullProgress:
    """Progress that shows nothing."""

    def start(self, files: int) -> None:
        """Ignored."""

    def add_chunks(self, count: int) -> None:
        """Ignored."""

    def chunks_done(self, count: int) -> None:
        """Ignored."""

    def file_done(self, result: FileResult) -> None:
        """Ignored."""


def describe(error: BaseException) -> str:
    """A one-line reason for a failed file."""
    if isinstance(error, LoadError):
        return error.reason
    if isinstance(error, RagkitAPIError):
        return f"{error.status or error.status_code}: {error.message}"
    if isinstance(error, OSError):
        return f"cannot read: {error.strerror or error}"
    return str(error) or type(error).__name__


def _plan_all(
    files: Sequence[SourceFile], remote: dict[str, RemoteDocument], chunking: Chunking
) -> list[PlannedFile | FileResult]:
    planned: list[PlannedFile | FileResult] = []
    for file in files:
        try:
            planned.append(plan_file(file, remote, chunking))
        except OSError as error:
            planned.append(FileResult(file.relative, Outcome.FAILED, reason=describe(error)))
    return planned


def _prepare(
    planned: PlannedFile, chunking: Chunking, limits: Limits
) -> PreparedDocument | FileResult:
    try:
        return prepare(planned, chunking, limits)
    except (LoadError, OSError) as error:
        return FileResult(planned.file.relative, Outcome.FAILED, reason=describe(error))


class _Run:
    """One ingest run's state: report, capacity, pacer and uploader."""

    def __init__(
        self,
        client: AsyncClient,
        corpus: str,
        options: IngestOptions,
        progress: Progress,
        capacity: Capacity,
    ) -> None:
        self.client = client
        self.corpus = corpus
        self.options = options
        self.progress = progress
        self.capacity = capacity
        self.report = Report(corpus=corpus, dry_run=options.dry_run)
        paced = client.with_options(retry_policy=caller_paced(client.retry_policy))
        self.pacer = Pacer(options.concurrency, policy=client.retry_policy)
        self.uploader = DocumentUploader(paced, corpus, self.pacer, on_chunks=progress.chunks_done)

    def finish(self, result: FileResult) -> None:
        self.report.add(result)
        self.progress.file_done(result)

    async def prune(self, gone: list[RemoteDocument]) -> None:
        for remote in gone:
            path = remote.source or remote.name
            if self.options.prune and not self.options.dry_run:
                delete = self.client.corpora.documents.delete
                await self.pacer.run(partial(delete, remote.name, force=True))
                self.capacity.release(remote)
            self.report.removed.append(RemovedResult(path, remote.name, self.options.prune))

    async def process(self, todo: list[PlannedFile]) -> None:
        """Prepare ``todo`` on a worker thread and store each as it comes."""
        options = self.options
        queue: asyncio.Queue[PreparedDocument | FileResult | None] = asyncio.Queue(
            maxsize=max(1, options.lookahead)
        )

        async def produce() -> None:
            for planned in todo:
                prepared = await asyncio.to_thread(
                    _prepare, planned, options.chunking, options.limits
                )
                await queue.put(prepared)
            await queue.put(None)

        slots = asyncio.Semaphore(max(1, options.documents_in_flight))
        try:
            async with asyncio.TaskGroup() as group:
                group.create_task(produce())
                while (item := await queue.get()) is not None:
                    if isinstance(item, FileResult):
                        self.finish(item)
                        continue
                    await slots.acquire()
                    group.create_task(self._store(item, slots))
        except ExceptionGroup as failures:  # an unexpected error: raise it as itself
            raise failures.exceptions[0] from None

    async def _store(self, prepared: PreparedDocument, slots: asyncio.Semaphore) -> None:
        try:
            self.finish(await self._outcome(prepared))
        finally:
            slots.release()

    async def _outcome(self, prepared: PreparedDocument) -> FileResult:
        planned = prepared.planned
        relative = planned.file.relative
        refusal = self.capacity.refusal(prepared)
        errors = [*prepared.errors, *([refusal] if refusal else [])]
        if errors:
            self.report.problems.extend(f"{relative}: {error}" for error in errors)
            return FileResult(
                relative,
                Outcome.FAILED,
                reason="; ".join(errors),
                chunks=prepared.facts.chunks,
                tokens=prepared.tokens,
                warnings=prepared.warnings,
            )
        outcome = Outcome.REPLACED if planned.action is Action.CHANGED else Outcome.NEW
        name = f"{self.corpus}/documents/{planned.document_id}"
        self.capacity.take(prepared)
        self.progress.add_chunks(prepared.facts.chunks)
        uploaded = 0
        if not self.options.dry_run:
            try:
                stored = await self.uploader.store(prepared)
            except (RagkitError, ValueError) as error:
                return FileResult(
                    relative,
                    Outcome.FAILED,
                    document=name,
                    reason=describe(error),
                    warnings=prepared.warnings,
                )
            uploaded = stored.uploaded
            self.report.reused += stored.reused
            self.report.deleted_chunks += stored.deleted
        else:
            self.progress.chunks_done(prepared.facts.chunks)
        return FileResult(
            relative,
            outcome,
            document=name,
            chunks=prepared.facts.chunks,
            tokens=prepared.tokens,
            uploaded=uploaded,
            resumed=planned.action is Action.RESUME,
            warnings=prepared.warnings,
        )


async def ingest(
    client: AsyncClient,
    paths: Sequence[Path | str],
    options: IngestOptions,
    progress: Progress | None = None,
) -> Report:
    """Sync the files under ``paths`` into ``options.corpus``; see the module docstring.

    With ``options.dry_run`` nothing is written: the report says what would happen
    (the corpus is only read, and may not exist). Raises :class:`IngestError` when
    ``--prune`` is asked for but no file was found (that would empty the corpus), and
    client errors when the corpus cannot be read or created.
    """
    shown = progress or NullProgress()
    found = scan(paths, include=options.include, exclude=options.exclude)
    if options.prune and not found.files:
        raise IngestError("no files found: refusing to --prune (that would empty the corpus)")
    name = corpus_name(options.corpus)
    if options.dry_run:
        corpus = await find_corpus(client, name)
    else:
        display = options.corpus_display_name or options.corpus
        corpus = await ensure_corpus(client, name, display)
    name = corpus.name if corpus is not None and corpus.name else name
    remote = await list_documents(client, name) if corpus is not None else {}
    capacity = Capacity(
        options.limits, documents=len(remote), chunks=sum(r.chunks for r in remote.values())
    )
    run = _Run(client, name, options, shown, capacity)
    shown.start(len(found.files) + len(found.problems))
    for problem in found.problems:
        run.finish(FileResult(problem.path, Outcome.FAILED, reason=problem.reason))
    planned = await asyncio.to_thread(_plan_all, found.files, remote, options.chunking)
    seen = {item.document_id for item in planned if isinstance(item, PlannedFile)}
    await run.prune([r for key, r in sorted(remote.items()) if r.ingested and key not in seen])
    todo: list[PlannedFile] = []
    for item in planned:
        if isinstance(item, FileResult):
            run.finish(item)
        elif item.action is Action.UNCHANGED and item.remote is not None:
            kept = item.remote
            run.finish(
                FileResult(
                    item.file.relative, Outcome.UNCHANGED, kept.name, kept.chunks, kept.tokens
                )
            )
        else:
            todo.append(item)
    await run.process(todo)
    run.report.documents_after = capacity.documents
    run.report.chunks_after = capacity.chunks
    run.report.rate_limited = run.pacer.rate_limited
    return run.report
