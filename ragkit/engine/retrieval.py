"""Hybrid retrieval for corpora:query, documents:query and generateAnswer's retriever.

BM25 over the corpus's FTS5 table and cosine over its vector index, each to a depth
of :data:`DEPTH`, fused into one relevance score in [0, 1] by
``ragkit.engine.search.fusion``. Only ACTIVE chunks that pass the metadata filters
are ranked. Two plans, chosen per query:

* *pre-filter*: when the filters (or the document scope, or pending chunks) leave
  at most :data:`SMALL_SET` chunks, enumerate them from the metadata indexes and
  search only among them (exact);
* *post-filter*: otherwise rank the whole corpus, keep the candidates that pass the
  filters, and widen the search (x4) until each ranker has :data:`DEPTH` survivors
  or is exhausted. Selective filters take the first plan, permissive ones the
  second, so neither enumerates a million ids.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ragkit.engine.engine import Engine
from ragkit.engine.search.vectors import VectorIndex
from ragkit.engine.store import chunks, filters, fulltext
from ragkit.engine.store.records import ChunkRecord, CorpusRecord, DocumentRecord

DEPTH = 100  # candidates per ranker handed to fusion
SMALL_SET = 20_000  # at most this many allowed chunks: pre-filter (search among them)
WIDEN = 4

Ranking = list[tuple[int, float]]


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
    from ragkit.engine.search import fts, fusion  # type: ignore[attr-defined]  # fusion.py: pending (search helper)

    now = engine.clock.now()
    depth = max(DEPTH, k)
    document_rowid = document.rowid if document is not None else None
    match = fts.match_expression(query)
    index = engine.search.index(conn, corpus)
    restricted = (
        bool(metadata_filters)
        or document is not None
        or filters.has_pending(conn, corpus.rowid, now=now)
    )
    allowed: list[int] | None = None
    if restricted:
        probe = filters.matching_chunks(
            conn,
            corpus.rowid,
            metadata_filters,
            now=now,
            document_rowid=document_rowid,
            limit=SMALL_SET + 1,
        )
        if len(probe) <= SMALL_SET:
            allowed = probe
            if not allowed:
                return []
    if not restricted or allowed is not None:
        lexical = (
            fulltext.search(conn, corpus.rowid, match, depth, allowed=allowed) if match else []
        )
        dense = index.search(query_vector, depth, allowed_ids=allowed)
    else:
        lexical, dense = _post_filtered(
            conn,
            corpus,
            index,
            match,
            query_vector,
            depth,
            metadata_filters,
            now,
            document_rowid,
        )
    fused = fusion.fuse(lexical, dense)[:k]
    records = chunks.get_many(conn, [chunk_id for chunk_id, _ in fused])
    return [Hit(records[i], float(score)) for i, score in fused if i in records]


def _post_filtered(
    conn: sqlite3.Connection,
    corpus: CorpusRecord,
    index: VectorIndex,
    match: str | None,
    query_vector: npt.NDArray[np.float32],
    depth: int,
    metadata_filters: Sequence[filters.Filter],
    now: int,
    document_rowid: int | None,
) -> tuple[Ranking, Ranking]:
    width = depth * WIDEN
    while True:
        lexical_raw = (
            fulltext.search(conn, corpus.rowid, match, width, document_rowid=document_rowid)
            if match
            else []
        )
        dense_raw = index.search(query_vector, width)
        keep = filters.keep_matching(
            conn,
            sorted({i for i, _ in lexical_raw} | {i for i, _ in dense_raw}),
            metadata_filters,
            now=now,
            document_rowid=document_rowid,
        )
        lexical = [hit for hit in lexical_raw if hit[0] in keep][:depth]
        dense = [hit for hit in dense_raw if hit[0] in keep][:depth]
        lexical_done = len(lexical) >= depth or len(lexical_raw) < width
        dense_done = len(dense) >= depth or len(dense_raw) < width
        if (lexical_done and dense_done) or width >= corpus.chunk_count:
            return lexical, dense
        width *= WIDEN
