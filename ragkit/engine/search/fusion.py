"""Hybrid ranking: fuse BM25 (FTS5) and dense cosine into one relevance score in [0, 1].

For each candidate passage (the union of the lexical and dense top hits):

* **dense evidence** ``d = clip((cosine - 0.0) / (0.8 - 0.0), 0, 1)`` — absolute: a cosine
  of 0.8 or more is full evidence, 0 or less none;
* **lexical evidence** ``l = bm25 / max bm25`` over the query's lexical hits — relative,
  because BM25 values have no fixed scale (they grow with query length and corpus size);
* **gate** ``g = min(1, d / 0.2)`` — word overlap only counts fully for passages that are at
  least loosely related in meaning (cosine >= 0.16), so a lone shared word in an unrelated
  passage cannot lift it;
* **relevance** ``0.7 * d + 0.3 * l * g``.

The four constants (:class:`FusionParams`) were tuned on half of the SciFact test queries
and checked on the other half (benchmarks/scifact_primitives.py; figures in
benchmarks/README.md): nDCG@10 0.744 / 0.735 and Recall@100 0.967 / 0.967 on the tuning /
held-out halves with :func:`candidate_depth` candidates from each retriever, against
reciprocal rank fusion's 0.718 / 0.955 on all queries.

What a score means (measured on SciFact with MiniLM; off-topic = SQuAD questions asked of
the SciFact corpus):

========  ===========================================================================
score     meaning
========  ===========================================================================
>= 0.7    strong match: 79% of relevant passages in a top 10 score this high, while
          only 2% of off-topic questions get any passage this high
>= 0.5    on topic: keeps 98% of relevant passages; 72% of off-topic questions have
          no passage this high — a sensible default for ``minimumRelevanceScore``
>= 0.3    weakly related at best: nearly everything that shares words or a theme
< 0.3     unrelated
========  ===========================================================================

Results are sorted by descending score, so the score is monotone in the fused rank; equal
scores are ordered by the better of the two original ranks, then by ascending id.

>>> hits = fuse(lexical=[(1, -7.5), (2, -3.0)], dense=[(2, 0.62), (3, 0.55), (1, 0.20)])
>>> [(i, round(s, 3)) for i, s in hits]
[(2, 0.662), (3, 0.481), (1, 0.475)]
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ragkit.engine.search.vectors import VectorIndex

__all__ = [
    "DEFAULT_FUSION",
    "DENSE_ONLY",
    "LEXICAL_ONLY",
    "FusionParams",
    "candidate_depth",
    "fuse",
    "hybrid_rank",
    "reciprocal_rank_fusion",
]

Hits = Iterable[tuple[int, float]]


@dataclass(frozen=True, slots=True)
class FusionParams:
    """The constants of :func:`fuse` (the defaults are the tuned ones)."""

    dense_weight: float = 0.7
    """Share of the score from dense evidence; the rest is gated lexical evidence."""
    cosine_floor: float = 0.0
    """Cosine that counts as no dense evidence."""
    cosine_ceiling: float = 0.8
    """Cosine that counts as full dense evidence."""
    lexical_gate: float = 0.2
    """Dense evidence at which lexical evidence starts to count in full."""

    def __post_init__(self) -> None:
        if not 0.0 <= self.dense_weight <= 1.0:
            raise ValueError("dense_weight must be in [0, 1]")
        if not self.cosine_floor < self.cosine_ceiling:
            raise ValueError("cosine_floor must be below cosine_ceiling")
        if not 0.0 <= self.lexical_gate <= 1.0:
            raise ValueError("lexical_gate must be in [0, 1]")


DEFAULT_FUSION = FusionParams()
LEXICAL_ONLY = FusionParams(dense_weight=0.0, lexical_gate=0.0)
"""BM25 alone, on the same [0, 1] scale: the best lexical hit of the query scores 1."""
DENSE_ONLY = FusionParams(dense_weight=1.0)
"""Cosine alone, on the same [0, 1] scale (cosine 0.8 or more scores 1)."""


def candidate_depth(results_count: int) -> int:
    """How many hits to ask each retriever for when ``results_count`` are wanted.

    Twice the results, at least 100: the fused top 100 draws on both top-200 lists, which
    raised SciFact Recall@100 from 0.958 to 0.967 at no cost in nDCG@10.
    """
    return max(100, 2 * results_count)


def fuse(
    lexical: Hits,
    dense: Hits,
    *,
    params: FusionParams = DEFAULT_FUSION,
    limit: int | None = None,
) -> list[tuple[int, float]]:
    """Fuse lexical and dense hits into ``(id, relevance)`` pairs, best first.

    ``lexical`` holds ``(id, bm25)`` exactly as SQLite's ``bm25()`` returns it (negative;
    more negative is better). ``dense`` holds ``(id, cosine)`` and should cover every
    lexical id too (:meth:`VectorIndex.scores` gives a lexical-only hit its cosine, which
    is worth about a point of recall); an id missing from ``dense`` is given the lowest
    cosine in ``dense``, an upper bound since it was not among the dense hits. Ids may
    repeat within a list: the best value wins.
    """
    lexical_best: dict[int, float] = {}
    for key, bm25 in lexical:
        strength = max(0.0, -float(bm25))
        lexical_best[int(key)] = max(strength, lexical_best.get(int(key), 0.0))
    dense_best: dict[int, float] = {}
    for key, cosine in dense:
        if math.isfinite(cosine):
            dense_best[int(key)] = max(float(cosine), dense_best.get(int(key), -math.inf))
    ids = np.array(sorted(lexical_best.keys() | dense_best.keys()), dtype=np.int64)
    if not len(ids):
        return []
    missing_cosine = min(dense_best.values(), default=params.cosine_floor)
    cosines = np.array([dense_best.get(i, missing_cosine) for i in ids.tolist()])
    strengths = np.array([lexical_best.get(i, 0.0) for i in ids.tolist()])
    scores = _relevance(cosines, strengths, params)
    # Tie-break: the better of the two input ranks, then the id.
    best_rank = np.minimum(_ranks(ids, strengths, lexical_best), _ranks(ids, cosines, dense_best))
    order = np.lexsort((ids, best_rank, -scores))
    if limit is not None:
        order = order[: max(0, limit)]
    return [(int(ids[j]), float(scores[j])) for j in order]


def _relevance(
    cosines: npt.NDArray[np.float64], strengths: npt.NDArray[np.float64], params: FusionParams
) -> npt.NDArray[np.float64]:
    span = params.cosine_ceiling - params.cosine_floor
    dense = np.clip((cosines - params.cosine_floor) / span, 0.0, 1.0)
    top = strengths.max()
    lexical = strengths / top if top > 0 else np.zeros_like(strengths)
    gate = (
        np.minimum(1.0, dense / params.lexical_gate)
        if params.lexical_gate > 0
        else np.ones_like(dense)
    )
    weight = params.dense_weight
    fused: npt.NDArray[np.float64] = np.clip(
        weight * dense + (1.0 - weight) * lexical * gate, 0.0, 1.0
    )
    return fused


def _ranks(
    ids: npt.NDArray[np.int64], values: npt.NDArray[np.float64], present: dict[int, float]
) -> npt.NDArray[np.float64]:
    """1-based rank of each id by descending value among the ids in ``present``; inf if
    absent."""
    inside = np.array([i in present for i in ids.tolist()], dtype=bool)
    ranks = np.full(len(ids), np.inf)
    positions = np.flatnonzero(inside)
    order = positions[np.lexsort((ids[positions], -values[positions]))]
    ranks[order] = np.arange(1, len(order) + 1)
    return ranks


def hybrid_rank(
    query_vector: npt.ArrayLike,
    lexical: Sequence[tuple[int, float]],
    index: VectorIndex,
    k: int,
    *,
    allowed_ids: npt.ArrayLike | None = None,
    dense: Sequence[tuple[int, float]] | None = None,
    params: FusionParams = DEFAULT_FUSION,
) -> list[tuple[int, float]]:
    """The whole hybrid step for one query: dense search, cosine fill-in, fusion, top ``k``.

    ``lexical`` are the FTS5 hits (``(rowid, bm25())``, at most :func:`candidate_depth`
    of them, already restricted by the same filters as ``allowed_ids``). Pass ``dense``
    (``index.search(query_vector, candidate_depth(k), allowed_ids)``) if it was already
    computed, e.g. while FTS5 ran on another thread.

    >>> index = VectorIndex(2)
    >>> index.add([1, 2], [[1.0, 0.0], [0.6, 0.8]])
    >>> [(i, round(s, 2)) for i, s in hybrid_rank([1.0, 0.0], [(2, -4.0)], index, k=2)]
    [(2, 0.82), (1, 0.7)]
    """
    if dense is None:
        dense = index.search(query_vector, candidate_depth(k), allowed_ids=allowed_ids)
    seen = {key for key, _ in dense}
    extra = np.array([key for key, _ in lexical if key not in seen], dtype=np.int64)
    filled = index.scores(query_vector, extra) if len(extra) else np.zeros(0)
    # NaN (not in the index) is dropped: fuse() then bounds that id's cosine.
    fill_in = [(int(i), float(c)) for i, c in zip(extra, filled, strict=True) if c == c]
    return fuse(lexical, [*dense, *fill_in], params=params, limit=k)


def reciprocal_rank_fusion(*rankings: Sequence[int], k: int = 60) -> list[tuple[int, float]]:
    """Classic RRF (Cormack et al. 2009): ``sum(1 / (k + rank))``; a baseline, not [0, 1].

    >>> reciprocal_rank_fusion([1, 2], [2, 3])
    [(2, 0.03252247488101534), (1, 0.01639344262295082), (3, 0.016129032258064516)]
    """
    totals: dict[int, float] = {}
    for ranking in rankings:
        for rank, key in enumerate(ranking, start=1):
            totals[key] = totals.get(key, 0.0) + 1.0 / (k + rank)
    return sorted(totals.items(), key=lambda item: (-item[1], item[0]))
