"""Hybrid retrieval for corpora:query, documents:query and generateAnswer's retriever.

BM25 over the corpus's FTS5 table and cosine over its vector index, each to the depth
``fusion.candidate_depth(k)`` (at least 100), fused into one relevance score in [0, 1]
by ``ragkit.engine.search.fusion``. Only ACTIVE chunks that pass the metadata filters
(and lie in the document, for a document query) are ranked.

Filters are planned per query (:func:`ragkit.engine.store.filters.plan`): narrow ones
become a set of allowed chunks that both rankers search exactly; broad ones are checked
on the rankers' top candidates, and the search widens (x4) until each ranker has
that depth in survivors or runs out. Neither path enumerates a million ids.

The two rankers run side by side: BM25 on a worker thread while this thread searches the
vectors. sqlite3 and numpy both release the GIL, so on two cores a query costs about the
slower of the two instead of their sum (at a million chunks each is tens of ms).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Literal, get_args

import numpy as np
import numpy.typing as npt

from ragkit.engine.engine import Engine
from ragkit.engine.search import fusion
from ragkit.engine.search.vectors import VectorIndex
from ragkit.engine.store import chunks, filters, fulltext
from ragkit.engine.store.records import ChunkRecord, CorpusRecord, DocumentRecord

NARROW = 50_000  # a filter passing at most this many chunks is enumerated (pre-filter)
WIDEN = 4
# BM25 searches of concurrent queries; each is one SQLite statement, so a few suffice.
_LEXICAL = ThreadPoolExecutor(max_workers=4, thread_name_prefix="ragkit-bm25")

Ranking = list[tuple[int, float]]

RetrievalMode = Literal["hybrid", "lexical", "dense"]
RETRIEVAL_MODES: tuple[str, ...] = get_args(RetrievalMode)
RETRIEVAL_HEADER = "x-ragkit-retrieval"
"""A ragkit extension (Google ignores unknown headers): rank by BM25 or cosine alone, to
compare the two rankers with their fusion (``ragkit eval retrieval``, the notebooks)."""
retrieval_mode: ContextVar[RetrievalMode] = ContextVar("retrieval_mode", default="hybrid")
"""The mode of the request being served; the app sets it from :data:`RETRIEVAL_HEADER`."""
_PARAMS = {
    "hybrid": fusion.DEFAULT_FUSION,
    "lexical": fusion.LEXICAL_ONLY,
    "dense": fusion.DENSE_ONLY,
}


@dataclass(frozen=True)
class Hit:
    chunk: ChunkRecord
    score: float  # relevance in [0, 1], higher is better


def retrieve(
    engine: Engine,
    conn: sqlite3.Connection,
    corpus: CorpusRecord,
    query: str,
    query_vector: npt.NDArray[np.float32],
    *,
    k: int,
    metadata_filters: Sequence[filters.Filter] = (),
    document: DocumentRecord | None = None,
) -> list[Hit]:
    """The ``k`` best ACTIVE chunks for ``query``, best first, within ``conn``'s snapshot."""
    now = engine.clock.now()
    depth = fusion.candidate_depth(k)
    plan = filters.plan(
        conn,
        corpus.rowid,
        metadata_filters,
        document_rowid=document.rowid if document is not None else None,
        narrow=NARROW,
    )
    if plan.allowed is not None and not len(plan.allowed):
        return []
    check = plan.needs_check or filters.has_pending(conn, corpus.rowid, now=now)
    match = engine.lexical.plan_match(conn, corpus, query)
    with engine.search.searching(conn, corpus) as index:
        lexical, dense = _rank(conn, corpus, index, match, query_vector, depth, plan, check, now)
        # Fusion wants a cosine for every lexical hit too, not only for the dense top hits.
        seen = {i for i, _ in dense}
        extra = [i for i, _ in lexical if i not in seen]
        if extra:
            cosines = index.scores(query_vector, extra)
            dense += [(i, float(c)) for i, c in zip(extra, cosines, strict=True) if c == c]
    mode = retrieval_mode.get()
    if mode == "lexical":
        dense = []  # rank the lexical hits only
    elif mode == "dense":
        lexical = []
    fused = fusion.fuse(lexical, dense, params=_PARAMS[mode], limit=k)
    records = chunks.get_many(conn, [chunk_id for chunk_id, _ in fused])
    return [Hit(records[i], float(score)) for i, score in fused if i in records]


def _rank(
    conn: sqlite3.Connection,
    corpus: CorpusRecord,
    index: VectorIndex,
    match: str | None,
    query_vector: npt.NDArray[np.float32],
    depth: int,
    plan: filters.Plan,
    check: bool,
    now: int,
) -> tuple[Ranking, Ranking]:
    """Each ranker's best ``depth`` chunks that pass every filter (best first)."""
    allowed = plan.allowed
    # The narrow filters bound the search; a larger set than the corpus is pointless.
    limit = corpus.chunk_count if allowed is None else min(len(allowed), corpus.chunk_count)
    width = depth if not check else depth * WIDEN
    passed: set[int] = set()
    checked: set[int] = set()
    while True:
        lexical_raw, dense_raw = _search_both(conn, corpus, index, match, query_vector, width, plan)
        if not check:
            return lexical_raw, dense_raw
        # Check each candidate once, however many times the search widens.
        fresh = sorted(({i for i, _ in lexical_raw} | {i for i, _ in dense_raw}) - checked)
        passed |= filters.keep_matching(
            conn, fresh, plan.residual, now=now, document_rowid=plan.document_rowid
        )
        checked.update(fresh)
        lexical = [hit for hit in lexical_raw if hit[0] in passed][:depth]
        dense = [hit for hit in dense_raw if hit[0] in passed][:depth]
        lexical_done = len(lexical) >= depth or len(lexical_raw) < width
        dense_done = len(dense) >= depth or len(dense_raw) < width
        if (lexical_done and dense_done) or width >= limit:
            return lexical, dense
        width *= WIDEN


def _search_both(
    conn: sqlite3.Connection,
    corpus: CorpusRecord,
    index: VectorIndex,
    match: str | None,
    query_vector: npt.NDArray[np.float32],
    width: int,
    plan: filters.Plan,
) -> tuple[Ranking, Ranking]:
    """Both rankers' raw best ``width``: BM25 on a worker thread, vectors on this one."""
    if not match:
        return [], index.search(query_vector, width, allowed_ids=plan.allowed)
    lexical = _LEXICAL.submit(
        fulltext.search, conn, corpus.rowid, match, width, allowed_json=plan.allowed_json
    )
    try:
        dense = index.search(query_vector, width, allowed_ids=plan.allowed)
    finally:
        # Never leave the worker using ``conn`` after this call returns, even on error.
        lexical_hits = lexical.result()
    return lexical_hits, dense
