"""``Ragkit``: one object for notebooks and scripts -- ingest a folder, ask, search, list.

It puts the pieces the CLI uses (settings, the client, ``ingest``, ``ragkit.qa`` and
``ragkit.render``) behind a few methods whose results display themselves: end a
Jupyter cell with an answer, search results, a listing or an ingest summary and it
renders as HTML; ``rich.print`` draws the same in a terminal.

Every sync method also works inside a running event loop (a Jupyter cell): queries go
through the sync client, whose in-process transport runs the engine on its own loop
thread, and ingest, which is async inside, moves to a worker thread with a loop of its
own (:func:`run_blocking`). The ``*_async`` twins can be awaited in a cell.

Example::

    from ragkit import Ragkit

    with Ragkit("papers") as rk:
        rk.ingest("docs/")
        answer = rk.ask("What are the three impact levels?")
        print(answer.text, [citation.location() for citation in answer.citations])
        hits = rk.search("impact levels", where="type=pdf", top_k=5)
"""

from __future__ import annotations

import textwrap
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, Self, TypeVar

from rich.console import Console, ConsoleOptions, RenderResult

from ingest.pipeline import IngestOptions, Progress
from ingest.pipeline import ingest as run_ingest
from ingest.plan import Chunking
from ingest.report import Report
from ragkit import docmeta
from ragkit.aio import run_blocking
from ragkit.client import AsyncClient, Client, NotFoundError
from ragkit.config import Settings, load_settings
from ragkit.qa.answer import Answer
from ragkit.qa.ask import History, Mode, Style, ask, ask_async, normalize_corpus
from ragkit.qa.ask import search as search_passages
from ragkit.qa.ask import search_async as search_passages_async
from ragkit.qa.rankers import (
    RETRIEVAL_HEADER,
    RankerEcho,
    RetrievalMode,
    UnsupportedRetrievalError,
    async_ranker_client,
    ranker_client,
)
from ragkit.qa.where import parse_where
from ragkit.render import Listing, SearchResults, corpora_listing
from ragkit.tokens import count_tokens
from ragkit.types import Chunk, Document, MetadataFilter
from ragkit.types.limits import (
    MAX_CHUNKS_PAGE_SIZE,
    MAX_CORPORA_PAGE_SIZE,
    MAX_DOCUMENTS_PAGE_SIZE,
)
from ragkit.types.names import is_valid_id

__all__ = [
    "RETRIEVAL_HEADER",
    "IngestSummary",
    "Ragkit",
    "RetrievalMode",
    "UnsupportedRetrievalError",
    "Where",
    "run_blocking",
]

T = TypeVar("T")


Where = str | MetadataFilter | Iterable[str | MetadataFilter]
"""Metadata filters: ``"type=pdf"``, a list of such expressions (AND), or wire filters."""

_SNIPPET_CHARS = 100


@dataclass(frozen=True)
class IngestSummary:
    """What :meth:`Ragkit.ingest` did: per-file outcomes and totals; displays as a table.

    ``report`` is the full :class:`ingest.report.Report` (``report.to_json()`` is the
    ``ragkit ingest --json`` output).
    """

    report: Report

    @property
    def counts(self) -> dict[str, int]:
        """Files per outcome: ``new``, ``replaced``, ``unchanged``, ``removed``, ``failed``."""
        return self.report.counts()

    @property
    def failed(self) -> bool:
        """Whether any file did not go in (see the ``reason`` column)."""
        return bool(self.report.failed)

    def listing(self) -> Listing:
        """One row per file: outcome, chunks, tokens and, for a failure, the reason."""
        report = self.report
        counts = " · ".join(f"{count} {outcome}" for outcome, count in self.counts.items())
        after = f"{report.documents_after} documents, {report.chunks_after} chunks"
        dry = " (dry run: nothing was sent)" if report.dry_run else ""
        rows = tuple(
            (result.path, str(result.outcome), result.chunks, result.tokens, result.reason)
            for result in sorted(report.files, key=lambda result: result.path)
        )
        return Listing(
            f"Ingest into {report.corpus}{dry}: {counts} — the corpus holds {after}",
            ("file", "outcome", "chunks", "tokens", "reason"),
            rows,
        )

    def __repr__(self) -> str:
        counts = ", ".join(f"{outcome}={count}" for outcome, count in self.counts.items())
        return f"IngestSummary(corpus={self.report.corpus!r}, {counts})"

    def _repr_html_(self) -> str:
        return self.listing()._repr_html_()

    def _repr_markdown_(self) -> str:
        return self.listing()._repr_markdown_()

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.listing()


class Ragkit:
    """ragkit for notebooks and scripts: one corpus, one backend, results that display.

    ``corpus`` is a corpus ID or name (default: the configured one); every other keyword
    is a setting as in ``ragkit.toml`` (``backend``, ``home``, ``top_k``, ``threshold``,
    ``chunk_tokens`` ...), layered over the environment and config files like a
    command-line flag (see :mod:`ragkit.config`).

    >>> rk = Ragkit("papers", backend="local", threshold=0.6)
    >>> rk
    Ragkit(corpus='corpora/papers', backend='local')
    >>> rk.close()

    Use it as a context manager (``with``/``async with``) or call :meth:`close`.
    """

    def __init__(self, corpus: str | None = None, **settings: Any) -> None:
        self.settings: Settings = load_settings(corpus=corpus, **settings)
        self.corpus: str = normalize_corpus(self.settings.corpus)
        self._client: Client | None = None
        self._rankers: dict[RetrievalMode, tuple[Client, RankerEcho]] = {}

    def __repr__(self) -> str:
        return f"Ragkit(corpus={self.corpus!r}, backend={self.settings.backend!r})"

    @property
    def client(self) -> Client:
        """The sync client (made on first use), for what the methods here do not cover."""
        if self._client is None:
            self._client = self.settings.client()
        return self._client

    # --- ingest ---------------------------------------------------------------------------

    def ingest(
        self,
        paths: str | Path | Sequence[str | Path],
        *,
        include: Sequence[str] = (),
        exclude: Sequence[str] = (),
        prune: bool = False,
        dry_run: bool = False,
        chunk_tokens: int | None = None,
        overlap_tokens: int | None = None,
        progress: Progress | None = None,
    ) -> IngestSummary:
        """Put the documents under ``paths`` into the corpus, like ``ragkit ingest``.

        Unchanged files are skipped and changed ones replaced, so running it again is
        cheap. ``include``/``exclude`` are globs, ``prune`` deletes documents whose files
        are gone, ``dry_run`` only reports what would happen, and the chunk sizes
        default to the settings. Works inside a running event loop.

        >>> summary = rk.ingest("docs/", exclude=["drafts/*"])  # doctest: +SKIP
        >>> summary.counts["failed"]  # doctest: +SKIP
        0
        """
        options = self._ingest_options(
            include, exclude, prune, dry_run, chunk_tokens, overlap_tokens
        )
        return run_blocking(lambda: self._ingest(paths, options, progress))

    async def ingest_async(
        self,
        paths: str | Path | Sequence[str | Path],
        *,
        include: Sequence[str] = (),
        exclude: Sequence[str] = (),
        prune: bool = False,
        dry_run: bool = False,
        chunk_tokens: int | None = None,
        overlap_tokens: int | None = None,
        progress: Progress | None = None,
    ) -> IngestSummary:
        """The async twin of :meth:`ingest`: ``await rk.ingest_async("docs/")``."""
        options = self._ingest_options(
            include, exclude, prune, dry_run, chunk_tokens, overlap_tokens
        )
        return await self._ingest(paths, options, progress)

    def _ingest_options(
        self,
        include: Sequence[str],
        exclude: Sequence[str],
        prune: bool,
        dry_run: bool,
        chunk_tokens: int | None,
        overlap_tokens: int | None,
    ) -> IngestOptions:
        chunking = Chunking(
            chunk_tokens if chunk_tokens is not None else self.settings.chunk_tokens,
            overlap_tokens if overlap_tokens is not None else self.settings.overlap_tokens,
        )
        return IngestOptions(
            corpus=self.corpus,
            chunking=chunking,
            include=tuple(include),
            exclude=tuple(exclude),
            prune=prune,
            dry_run=dry_run,
            concurrency=self.settings.concurrency,
            corpus_display_name=self.corpus.removeprefix("corpora/"),
        )

    async def _ingest(
        self,
        paths: str | Path | Sequence[str | Path],
        options: IngestOptions,
        progress: Progress | None,
    ) -> IngestSummary:
        listed = [paths] if isinstance(paths, str | Path) else list(paths)
        # A client per run: an async client's connections belong to the loop that
        # opened them, and run_blocking may give every call a different loop.
        async with self.settings.async_client() as client:
            report = await run_ingest(client, listed, options, progress)
        return IngestSummary(report)

    # --- questions --------------------------------------------------------------------------

    def ask(
        self,
        question: str,
        *,
        where: Where = (),
        top_k: int | None = None,
        mode: Mode | None = None,
        style: Style | None = None,
        min_score: float | None = None,
        threshold: float | None = None,
        temperature: float | None = None,
        history: History = (),
    ) -> Answer:
        """Answer ``question`` from the corpus with citations, or refuse.

        Options left as ``None`` come from the settings; ``where`` filters on
        metadata like ``ragkit ask --where`` (``"type=pdf"``, ``["page>=3", "page<=5"]``);
        ``history`` holds earlier ``(role, text)`` turns. In a notebook the answer shows
        its text with citation markers, the answerability gauge and the sources.

        >>> answer = rk.ask("What are the three impact levels?", where="type=pdf")  # doctest: +SKIP
        >>> answer.verdict, answer.citations[0].location()  # doctest: +SKIP
        ('answered', 'nist_fips199.pdf p.6')
        """
        options = self._ask_options(where, top_k, mode, style, min_score, threshold, temperature)
        return ask(question, self.corpus, client=self.client, history=history, **options)

    async def ask_async(
        self,
        question: str,
        *,
        where: Where = (),
        top_k: int | None = None,
        mode: Mode | None = None,
        style: Style | None = None,
        min_score: float | None = None,
        threshold: float | None = None,
        temperature: float | None = None,
        history: History = (),
    ) -> Answer:
        """The async twin of :meth:`ask`: ``answer = await rk.ask_async("...")``."""
        options = self._ask_options(where, top_k, mode, style, min_score, threshold, temperature)
        async with self.settings.async_client() as client:
            return await ask_async(question, self.corpus, client=client, history=history, **options)

    def _ask_options(
        self,
        where: Where,
        top_k: int | None,
        mode: Mode | None,
        style: Style | None,
        min_score: float | None,
        threshold: float | None,
        temperature: float | None,
    ) -> dict[str, Any]:
        settings = self.settings
        return {
            "where": _filters(where),
            "top_k": top_k if top_k is not None else settings.top_k,
            "mode": mode or settings.mode,
            "style": style or settings.style,
            "min_score": min_score if min_score is not None else settings.min_score,
            "threshold": threshold if threshold is not None else settings.threshold,
            "temperature": temperature if temperature is not None else settings.temperature,
        }

    def search(
        self,
        query: str,
        *,
        where: Where = (),
        top_k: int | None = None,
        retrieval: RetrievalMode | None = None,
    ) -> SearchResults:
        """The passages ``corpora:query`` finds for ``query``, best first, with scores.

        ``retrieval`` asks ragkit's engine for one ranker: ``"lexical"`` (BM25),
        ``"dense"`` (embeddings) or ``"hybrid"`` (the fused default); a backend that
        cannot choose raises :class:`UnsupportedRetrievalError` rather than return
        fused scores under another name.

        >>> rk.search("impact levels", where="type=pdf", top_k=3)  # doctest: +SKIP
        SearchResults(query='impact levels', hits=3)
        """
        count = top_k if top_k is not None else self.settings.top_k
        if retrieval is None:
            client = self.client
        else:
            if retrieval not in self._rankers:
                self._rankers[retrieval] = ranker_client(self.settings, retrieval)
            client = self._rankers[retrieval][0]
        hits = search_passages(
            query, self.corpus, client=client, where=_filters(where), top_k=count
        )
        if retrieval is not None:
            self._rankers[retrieval][1].check(self.settings.backend)
        return SearchResults(query, hits)

    async def search_async(
        self,
        query: str,
        *,
        where: Where = (),
        top_k: int | None = None,
        retrieval: RetrievalMode | None = None,
    ) -> SearchResults:
        """The async twin of :meth:`search`."""
        count = top_k if top_k is not None else self.settings.top_k
        async with _async_client(self.settings, retrieval) as (client, echo):
            hits = await search_passages_async(
                query, self.corpus, client=client, where=_filters(where), top_k=count
            )
        if echo is not None:
            echo.check(self.settings.backend)
        return SearchResults(query, hits)

    # --- listings ---------------------------------------------------------------------------

    def corpora(self) -> Listing:
        """Every corpus on the backend, with display names and times."""
        return corpora_listing(self.client.corpora.list(page_size=MAX_CORPORA_PAGE_SIZE))

    def documents(self) -> Listing:
        """The corpus's documents: file, title, type, pages, chunks, tokens, last update."""
        documents = self.client.corpora.documents.list(
            self.corpus, page_size=MAX_DOCUMENTS_PAGE_SIZE
        )
        return Listing(
            f"Documents in {self.corpus}",
            ("document", "file", "title", "type", "pages", "chunks", "tokens", "updated"),
            tuple(_document_row(document) for document in documents),
        )

    def chunks(self, document: str) -> Listing:
        """One document's chunks in order: index, pages, section, tokens and text.

        ``document`` is a document ID, a full document name, or the file's path as
        ingest recorded it (``"nist_fips199.pdf"``, the ``file`` column of
        :meth:`documents`).
        """
        name = self._document_name(document)
        chunks = self.client.corpora.documents.chunks.list(name, page_size=MAX_CHUNKS_PAGE_SIZE)
        rows = tuple(sorted((_chunk_row(chunk) for chunk in chunks), key=_index_order))
        return Listing(
            f"Chunks of {name}",
            ("index", "pages", "section", "tokens", "text", "chunk"),
            rows,
        )

    def _document_name(self, document: str) -> str:
        if document.startswith("corpora/"):
            return document
        name = f"{self.corpus}/documents/{document}"
        if is_valid_id(document):
            try:
                return self.client.corpora.documents.get(name).name or name
            except NotFoundError:
                pass  # an ID-shaped file name ("notes"): look it up by source below
        listed = self.client.corpora.documents.list(self.corpus, page_size=MAX_DOCUMENTS_PAGE_SIZE)
        for candidate in listed:
            if candidate.name and docmeta.document_info(candidate).source == document:
                return candidate.name
        raise LookupError(f"{self.corpus} has no document with ID or file {document!r}")

    # --- lifetime ---------------------------------------------------------------------------

    def close(self) -> None:
        """Close the clients this object opened; using it again opens new ones."""
        if self._client is not None:
            self._client.close()
            self._client = None
        rankers, self._rankers = self._rankers, {}
        for client, _ in rankers.values():
            client.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


# --- helpers ----------------------------------------------------------------------------------


def _filters(where: Where) -> list[MetadataFilter]:
    items = [where] if isinstance(where, str | MetadataFilter) else list(where)
    # Expressions are parsed together so the same-key rules of parse_where see them all.
    expressions = [item for item in items if isinstance(item, str)]
    given = [item for item in items if isinstance(item, MetadataFilter)]
    return [*parse_where(expressions), *given]


def _metadata(entries: Iterable[Any]) -> dict[str, Any]:
    return {entry.key: entry.value for entry in entries}


def _number(value: object) -> int | None:
    # The API stores numbers as floats; counts and pages read better as integers.
    return int(value) if isinstance(value, float) else None


def _document_row(document: Document) -> tuple[object, ...]:
    info = docmeta.document_info(document)
    values = _metadata(document.custom_metadata)
    name = document.name or ""
    return (
        name.rsplit("/documents/", 1)[-1],
        info.source,
        info.title,
        values.get(docmeta.TYPE),
        info.page_count,
        _number(values.get(docmeta.CHUNKS)),
        _number(values.get(docmeta.TOKENS)),
        document.update_time,
    )


def _chunk_row(chunk: Chunk) -> tuple[object, ...]:
    where = docmeta.chunk_info(chunk)
    text = chunk.data.string_value if chunk.data is not None else ""
    pages = None
    if where.pages is not None:
        first, last = where.pages
        pages = str(first) if first == last else f"{first}-{last}"
    return (
        where.index,
        pages,
        where.section,
        count_tokens(text),
        textwrap.shorten(text, _SNIPPET_CHARS, placeholder=" …"),
        (chunk.name or "").rsplit("/chunks/", 1)[-1],
    )


def _index_order(row: tuple[object, ...]) -> tuple[bool, int]:
    index = row[0]
    return (not isinstance(index, int), index if isinstance(index, int) else 0)


# --- choosing the engine's ranker -------------------------------------------------------------


@asynccontextmanager
async def _async_client(
    settings: Settings, mode: RetrievalMode | None
) -> AsyncIterator[tuple[AsyncClient, RankerEcho | None]]:
    # A client per call: an async client's connections belong to the loop that opened
    # them, and this object may be used from several loops (asyncio.run twice).
    if mode is None:
        async with settings.async_client() as client:
            yield client, None
        return
    ranked, echo = async_ranker_client(settings, mode)
    async with ranked:
        yield ranked, echo
