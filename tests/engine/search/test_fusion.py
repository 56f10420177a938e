"""Fusion of BM25 and cosine: range, order, ties, gating and the hybrid helper."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ragkit.engine.search.fusion import (
    DENSE_ONLY,
    LEXICAL_ONLY,
    FusionParams,
    candidate_depth,
    fuse,
    hybrid_rank,
    reciprocal_rank_fusion,
)
from ragkit.engine.search.vectors import VectorIndex

ids = st.integers(min_value=0, max_value=50)
lexical_hits = st.lists(st.tuples(ids, st.floats(-50, 0, allow_nan=False)), max_size=30)
dense_hits = st.lists(st.tuples(ids, st.floats(-1, 1, allow_nan=False)), max_size=30)


@given(lexical_hits, dense_hits)
def test_scores_in_unit_range_sorted_and_complete(
    lexical: list[tuple[int, float]], dense: list[tuple[int, float]]
) -> None:
    fused = fuse(lexical, dense)
    scores = [s for _, s in fused]
    assert all(0.0 <= s <= 1.0 for s in scores)
    assert scores == sorted(scores, reverse=True)  # monotone in the fused rank
    assert {i for i, _ in fused} == {i for i, _ in lexical} | {i for i, _ in dense}
    assert len(fused) == len({i for i, _ in fused})
    assert fuse(lexical, dense) == fused  # deterministic


@given(lexical_hits, dense_hits, st.integers(0, 60))
def test_limit_is_a_prefix(
    lexical: list[tuple[int, float]], dense: list[tuple[int, float]], limit: int
) -> None:
    assert fuse(lexical, dense, limit=limit) == fuse(lexical, dense)[:limit]


def test_both_signals_beat_one() -> None:
    fused = fuse(lexical=[(1, -9.0), (2, -9.0)], dense=[(1, 0.7), (2, 0.3), (3, 0.7)])
    assert [i for i, _ in fused] == [1, 3, 2]


def test_more_cosine_or_more_bm25_never_lowers_the_score() -> None:
    base = dict(fuse([(1, -5.0), (2, -10.0)], [(1, 0.4), (2, 0.4)]))
    more_dense = dict(fuse([(1, -5.0), (2, -10.0)], [(1, 0.5), (2, 0.4)]))
    assert more_dense[1] > base[1]
    more_lexical = dict(fuse([(1, -8.0), (2, -10.0)], [(1, 0.4), (2, 0.4)]))
    assert more_lexical[1] > base[1]


def test_gate_silences_word_overlap_without_meaning() -> None:
    # Doc 9 is the best BM25 hit but unrelated in meaning (cosine 0.02).
    fused = dict(fuse([(9, -20.0), (1, -5.0)], [(1, 0.5), (9, 0.02)]))
    assert fused[9] < 0.1 < 0.5 < fused[1]
    ungated = dict(fuse([(9, -20.0)], [(9, 0.02)], params=FusionParams(lexical_gate=0.0)))
    assert ungated[9] > 0.3


def test_absolute_scale() -> None:
    assert fuse([], [(1, 0.8)]) == [(1, pytest.approx(0.7))]
    assert fuse([(1, -3.0)], [(1, 0.9)]) == [(1, pytest.approx(1.0))]
    assert fuse([], [(1, -0.5)]) == [(1, 0.0)]
    # A strong dense match stays "strong" whatever the other candidates are.
    alone = dict(fuse([], [(1, 0.72)]))[1]
    crowded = dict(fuse([(5, -30.0)], [(1, 0.72), (5, 0.9)]))[1]
    assert alone == crowded >= 0.6


def test_ties_break_by_best_rank_then_id() -> None:
    # Cosines above the ceiling saturate to the same score: the better cosine still leads.
    assert [i for i, _ in fuse([], [(7, 0.85), (4, 0.95)])] == [4, 7]
    assert [i for i, _ in fuse([], [(4, 0.85), (7, 0.95)])] == [7, 4]
    # Equal scores and equal best ranks (each first in one list): ascending id.
    only_dense = FusionParams(dense_weight=1.0)
    assert [i for i, _ in fuse([(7, -1.0)], [(4, 0.9)], params=only_dense)] == [4, 7]
    assert [i for i, _ in fuse([], [(9, 0.5), (2, 0.5), (5, 0.5)])] == [2, 5, 9]


def test_missing_dense_id_gets_the_lowest_listed_cosine() -> None:
    fused = dict(fuse([(1, -4.0)], [(2, 0.5), (3, 0.3)]))
    filled = dict(fuse([(1, -4.0)], [(2, 0.5), (3, 0.3), (1, 0.3)]))
    assert fused[1] == filled[1]


def test_inputs_are_tolerated() -> None:
    assert fuse([], []) == []
    fused = dict(fuse([(1, 2.0), (1, -3.0)], [(1, float("nan")), (1, 0.5)]))
    assert fused[1] == pytest.approx(0.7 * 0.625 + 0.3)  # best of duplicates, NaN ignored
    assert dict(fuse([(1, 0.0)], [(1, 0.4)]))[1] == pytest.approx(0.35)  # no lexical signal


@pytest.mark.parametrize(
    "bad",
    [
        {"dense_weight": 1.5},
        {"cosine_floor": 0.8, "cosine_ceiling": 0.8},
        {"lexical_gate": -0.1},
    ],
)
def test_params_validation(bad: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        FusionParams(**bad)


def test_candidate_depth() -> None:
    assert candidate_depth(10) == 100 and candidate_depth(100) == 200


def test_hybrid_rank_fills_in_cosines_and_respects_filters() -> None:
    rng = np.random.default_rng(3)
    vectors = rng.standard_normal((400, 32)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    index = VectorIndex(32)
    index.add(np.arange(400), vectors)
    query = vectors[0]
    # Doc 399 is only a lexical hit; its true cosine must be used, not a floor.
    hits = hybrid_rank(query, [(399, -10.0), (0, -2.0)], index, k=5)
    by_id = dict(hits)
    assert hits[0][0] == 0 and by_id[0] > 0.7
    expected = dict(fuse([(399, -10.0), (0, -2.0)], [(399, float(vectors[399] @ query))]))[399]
    assert 399 not in by_id or by_id[399] == pytest.approx(expected, abs=0.01)
    allowed = np.arange(200, 400)
    filtered = hybrid_rank(query, [(399, -10.0)], index, k=5, allowed_ids=allowed)
    assert all(200 <= i < 400 for i, _ in filtered) and len(filtered) == 5
    assert hybrid_rank(query, [], VectorIndex(32), k=3) == []
    precomputed = index.search(query, candidate_depth(5))
    assert hybrid_rank(query, [(399, -10.0)], index, k=5, dense=precomputed) == hybrid_rank(
        query, [(399, -10.0)], index, k=5
    )


def test_reciprocal_rank_fusion() -> None:
    fused = reciprocal_rank_fusion([1, 2, 3], [3, 1], k=60)
    assert [i for i, _ in fused] == [1, 3, 2]
    assert fused[0][1] == pytest.approx(1 / 61 + 1 / 62)


def test_single_ranker_presets() -> None:
    lexical = [(1, -2.0), (2, -8.0)]
    dense = [(1, 0.6), (2, 0.1), (3, 0.4)]
    by_bm25 = fuse(lexical, dense, params=LEXICAL_ONLY)
    assert [i for i, _ in by_bm25][:2] == [2, 1]
    assert dict(by_bm25)[2] == pytest.approx(1.0) and dict(by_bm25)[3] == 0.0
    by_cosine = fuse(lexical, dense, params=DENSE_ONLY)
    assert [i for i, _ in by_cosine] == [1, 3, 2]
    assert dict(by_cosine)[1] == pytest.approx(0.75)
