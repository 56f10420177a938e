"""``ragkit eval retrieval``: score ``corpora:query`` on a BEIR data set.

The corpus is ingested through the API (or reused, see :mod:`ragkit.eval.beir_corpus`),
then every judged query is sent once to ``corpora:query`` with ``resultsCount`` 100
(the API's maximum, so Recall@100 is measurable). Chunk hits map back to their BEIR
document, scored by the best chunk of that document. Reported: nDCG@10, Recall@10,
Recall@100, MRR@10 and the latency of the query call.

Where the backend offers it, the same queries also run lexical-only and dense-only:
ragkit's engine honours the request header ``x-ragkit-retrieval: lexical | dense |
hybrid`` on ``corpora:query`` and echoes it back. Google ignores the header, so on
Google (or an engine that does not echo it, or whose lexical ranking equals the
fused one for every query) only the fused row is shown.

Example::

    from ragkit.config import load_settings
    result = evaluate_retrieval("../shared/data/scifact", settings=load_settings())
    result.fused.metrics["ndcg@10"]
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from ragkit.aio import run_blocking
from ragkit.client import Client
from ragkit.config import Settings, load_settings
from ragkit.eval._run import ProgressCallback, backend_label, measured_at, no_progress
from ragkit.eval.beir_corpus import (
    IngestSummary,
    default_corpus_name,
    document_id_for,
    ingest_beir,
)
from ragkit.eval.datasets import BeirDataset, Query
from ragkit.eval.metrics import LatencySummary, RetrievalReport, evaluate_run, latency_summary
from ragkit.qa.rankers import RETRIEVAL_HEADER, RetrievalMode, ranker_client
from ragkit.types import limits
from ragkit.types.names import parse_chunk_name

__all__ = [
    "FUSED",
    "RETRIEVAL_HEADER",
    "RETRIEVAL_METRICS",
    "ModeResult",
    "RetrievalEvaluation",
    "RetrievalMode",
    "evaluate_retrieval",
    "run_queries",
]

FUSED: Final[RetrievalMode] = "hybrid"
_SINGLE_MODES: Final[tuple[RetrievalMode, ...]] = ("lexical", "dense")
RETRIEVAL_METRICS: Final[tuple[str, ...]] = (
    "ndcg@10",
    "recall@10",
    "recall@100",
    "mrr@10",
    "latency_p50_ms",
    "latency_p95_ms",
)
"""The keys of :attr:`ModeResult.metrics`, in display order."""

Run = dict[str, dict[str, float]]


@dataclass(frozen=True, slots=True)
class ModeResult:
    """The scores of one ranker over every judged query."""

    mode: RetrievalMode
    metrics: dict[str, float]
    """:data:`RETRIEVAL_METRICS` (scores in [0, 1], latencies in milliseconds)."""
    report: RetrievalReport
    """Per-query scores and the queries with no results."""
    latency: LatencySummary
    """Seconds per ``corpora:query`` call."""


@dataclass(frozen=True, slots=True)
class RetrievalEvaluation:
    """Everything one ``ragkit eval retrieval`` run measured."""

    dataset: str
    """The data set folder, as given."""
    corpus: str
    backend: str
    measured_at: str
    queries: int
    depth: int
    ingest: IngestSummary
    modes: tuple[ModeResult, ...]
    """The fused (hybrid) row first, then lexical and dense when compared."""
    comparison: str
    """Which rows are shown and, when only the fused one, why."""

    @property
    def fused(self) -> ModeResult:
        """The backend's default ranking (fused lexical + dense on ragkit's engine)."""
        return self.modes[0]


def _document_ids(dataset: BeirDataset) -> dict[str, str]:
    """Document ID in the corpus -> BEIR ``_id``."""
    return {document_id_for(doc.id): doc.id for doc in dataset.corpus()}


def run_queries(
    queries: Sequence[Query],
    corpus: str,
    *,
    client: Client,
    beir_ids: Mapping[str, str],
    depth: int = limits.MAX_RESULTS_COUNT,
    progress: ProgressCallback = no_progress,
    stage: str = "queries",
) -> tuple[Run, list[float]]:
    """Send each query to ``corpora:query``; the run ``{query: {beir_id: score}}`` and latencies.

    ``beir_ids`` maps a document ID in the corpus to its BEIR ``_id``; a document
    scores as its best chunk, and hits outside the data set are ignored. One untimed
    query goes first, so model loading is not counted as latency.
    """
    run: Run = {}
    latencies: list[float] = []
    progress(stage, 0, len(queries))
    if queries:
        # Untimed warm-up: the first query of a process loads the embedding model.
        client.corpora.query(corpus, query=queries[0].text, results_count=1)
    for done, query in enumerate(queries, start=1):
        started = time.perf_counter()
        response = client.corpora.query(corpus, query=query.text, results_count=depth)
        latencies.append(time.perf_counter() - started)
        scores: dict[str, float] = {}
        for item in response.relevant_chunks:
            if item.chunk is None or item.chunk.name is None:
                continue
            beir_id = beir_ids.get(parse_chunk_name(item.chunk.name).document_id)
            if beir_id is not None:
                scores[beir_id] = max(
                    scores.get(beir_id, item.chunk_relevance_score), item.chunk_relevance_score
                )
        run[query.id] = scores
        progress(stage, done, len(queries))
    return run, latencies


def _result(
    mode: RetrievalMode, run: Run, latencies: list[float], qrels: Mapping[str, Mapping[str, int]]
) -> ModeResult:
    report = evaluate_run(run, qrels, k_values=(10, 100))
    latency = latency_summary(latencies)
    metrics: dict[str, float] = {
        name: report.mean[name] for name in RETRIEVAL_METRICS if name in report.mean
    }
    metrics["latency_p50_ms"] = latency.p50 * 1000
    metrics["latency_p95_ms"] = latency.p95 * 1000
    return ModeResult(mode, metrics, report, latency)


def _ranking(scores: Mapping[str, float]) -> list[str]:
    return sorted(scores, key=lambda doc: (-scores[doc], doc))


def _same_rankings(left: Run, right: Run) -> bool:
    return all(
        _ranking(left.get(q, {})) == _ranking(right.get(q, {})) for q in left.keys() | right.keys()
    )


def _single_modes(
    settings: Settings,
    queries: Sequence[Query],
    corpus: str,
    beir_ids: Mapping[str, str],
    depth: int,
    progress: ProgressCallback,
) -> tuple[dict[RetrievalMode, tuple[Run, list[float]]], str | None]:
    """Lexical and dense runs, or none with the reason."""
    runs: dict[RetrievalMode, tuple[Run, list[float]]] = {}
    for mode in _SINGLE_MODES:
        if settings.backend == "google":
            return {}, f"{settings.backend} has no single-ranker mode"
        client, echo = ranker_client(settings, mode)
        with client:
            client.corpora.query(corpus, query=queries[0].text, results_count=1)
            if not echo.honoured:
                return {}, f"the backend does not honour the {RETRIEVAL_HEADER} header"
            runs[mode] = run_queries(
                queries, corpus, client=client, beir_ids=beir_ids, depth=depth,
                progress=progress, stage=f"queries ({mode})",
            )  # fmt: skip
    return runs, None


def evaluate_retrieval(
    dataset_dir: Path | str,
    *,
    settings: Settings | None = None,
    corpus: str | None = None,
    compare: bool = True,
    limit: int | None = None,
    depth: int = limits.MAX_RESULTS_COUNT,
    max_chunk_tokens: int | None = None,
    progress: ProgressCallback = no_progress,
) -> RetrievalEvaluation:
    """Ingest (or reuse) the BEIR data set in ``dataset_dir`` and score retrieval on it.

    ``corpus`` defaults to ``corpora/beir-<folder name>``; ``limit`` keeps the first
    N judged queries (a quick sample); ``compare`` also runs lexical-only and
    dense-only where the backend supports it. ``max_chunk_tokens`` defaults to the
    API limit, or 1,536 on Google whose tokenizer is not ours.
    """
    from ragkit.qa.ask import normalize_corpus

    settings = settings or load_settings()
    dataset = BeirDataset.open(dataset_dir)
    corpus = normalize_corpus(corpus or default_corpus_name(dataset_dir))
    if max_chunk_tokens is None:
        max_chunk_tokens = 1536 if settings.backend == "google" else limits.MAX_CHUNK_TOKENS
    tokens = max_chunk_tokens

    async def ingest() -> IngestSummary:
        async with settings.async_client() as client:
            return await ingest_beir(
                dataset, corpus, client=client, concurrency=settings.concurrency,
                max_chunk_tokens=tokens, progress=progress,
            )  # fmt: skip

    summary = run_blocking(ingest)
    qrels = dataset.qrels()
    queries = list(dataset.queries(judged_only=True))[:limit]
    if not queries:
        raise ValueError(f"{dataset.queries_path}: no query has relevance judgements")
    if limit is not None:
        kept = {query.id for query in queries}
        qrels = {query_id: judged for query_id, judged in qrels.items() if query_id in kept}
    beir_ids = _document_ids(dataset)
    with settings.client() as client:
        fused_run = run_queries(
            queries, corpus, client=client, beir_ids=beir_ids, depth=depth,
            progress=progress, stage="queries (fused)",
        )  # fmt: skip
    results = [_result(FUSED, *fused_run, qrels)]
    if not compare:
        comparison = "fused only (comparison not requested)"
    else:
        singles, reason = _single_modes(settings, queries, corpus, beir_ids, depth, progress)
        if reason is None and _same_rankings(singles["lexical"][0], fused_run[0]):
            reason = "the lexical-only ranking equals the fused one for every query"
        if reason is None:
            results += [_result(mode, *singles[mode], qrels) for mode in _SINGLE_MODES]
            comparison = "lexical-only, dense-only and fused"
        else:
            comparison = f"fused only: {reason}"
    return RetrievalEvaluation(
        dataset=str(dataset_dir),
        corpus=corpus,
        backend=backend_label(settings),
        measured_at=measured_at(),
        queries=len(queries),
        depth=depth,
        ingest=summary,
        modes=tuple(results),
        comparison=comparison,
    )
