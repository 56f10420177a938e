"""VectorIndex: writes, reads, filters, serialisation and recall against exact search."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pytest

from ragkit.engine.search.vectors import VectorIndex, decode, encode


def unit_rows(rng: np.random.Generator, n: int, d: int = 384) -> npt.NDArray[np.float32]:
    x = rng.standard_normal((n, d)).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def exact_top(
    vectors: npt.NDArray[np.float32],
    ids: npt.NDArray[np.int64],
    query: npt.NDArray[np.float32],
    k: int,
) -> list[int]:
    scores = vectors @ query
    order = np.lexsort((ids, -scores))[:k]
    return [int(i) for i in ids[order]]


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(7)


def test_add_search_returns_self_first(rng: np.random.Generator) -> None:
    vectors = unit_rows(rng, 300)
    ids = np.arange(1000, 1300)
    index = VectorIndex(384)
    index.add(ids, vectors)
    assert len(index) == 300
    hits = index.search(vectors[17], k=5)
    assert hits[0][0] == 1017
    assert hits[0][1] == pytest.approx(1.0, abs=0.01)
    assert [s for _, s in hits] == sorted((s for _, s in hits), reverse=True)
    assert all(-1.0 <= s <= 1.01 for _, s in hits)
    assert 1017 in index and 5 not in index and "1017" not in index


def test_scores_are_cosines(rng: np.random.Generator) -> None:
    vectors = unit_rows(rng, 50)
    index = VectorIndex(384)
    index.add(np.arange(50), vectors)
    query = unit_rows(rng, 1)[0]
    hits = index.search(query, k=50)
    exact = vectors @ query
    for i, score in hits:
        assert score == pytest.approx(float(exact[i]), abs=0.01)


def test_replace_and_remove(rng: np.random.Generator) -> None:
    a, b = unit_rows(rng, 2)
    index = VectorIndex(384)
    index.add([1, 2], np.stack([a, b]))
    index.add([1], b[None, :])  # id 1 now points at b
    assert len(index) == 2
    assert {i for i, _ in index.search(b, k=2)} == {1, 2}
    assert index.search(a, k=1)[0][1] < 0.5
    assert index.remove([1, 99]) == 1
    assert len(index) == 1 and 1 not in index
    assert [i for i, _ in index.search(b, k=5)] == [2]
    assert index.remove([1]) == 0


def test_duplicate_ids_in_one_add_keep_the_last(rng: np.random.Generator) -> None:
    a, b = unit_rows(rng, 2)
    index = VectorIndex(384)
    index.add([5, 5], np.stack([a, b]))
    assert len(index) == 1
    assert index.search(b, k=1)[0] == (5, pytest.approx(1.0, abs=0.01))


def test_allowed_ids(rng: np.random.Generator) -> None:
    vectors = unit_rows(rng, 500)
    ids = np.arange(500) * 3  # sparse ids
    index = VectorIndex(384)
    index.add(ids, vectors)
    allowed = ids[::7]
    hits = index.search(vectors[0], k=10, allowed_ids=np.concatenate([allowed, [-5, 10**12]]))
    assert {i for i, _ in hits} <= set(allowed.tolist())
    # Exact over the allowed rows, up to int8 rounding of near-equal cosines.
    exact = dict(zip(allowed.tolist(), (vectors[::7] @ vectors[0]).tolist(), strict=True))
    tenth = sorted(exact.values(), reverse=True)[9]
    assert len(hits) == 10
    assert all(exact[i] >= tenth - 0.01 for i, _ in hits)
    assert index.search(vectors[0], k=10, allowed_ids=np.array([], dtype=np.int64)) == []
    assert index.search(vectors[0], k=10, allowed_ids=[9999]) == []


@pytest.mark.parametrize("step", [2, 10])  # full scan with a mask / gathered codes
def test_large_allowed_set_goes_through_the_prefilter(rng: np.random.Generator, step: int) -> None:
    vectors = unit_rows(rng, 3000)
    index = VectorIndex(384, candidates=64)
    index.add(np.arange(3000), vectors)
    allowed = np.arange(0, 3000, step)
    # Force the approximate path: an allowed set bigger than the exact threshold.
    import ragkit.engine.search.vectors as module

    old = module.EXACT_BELOW
    module.EXACT_BELOW = 100
    try:
        hits = index.search(vectors[10], k=5, allowed_ids=allowed)
    finally:
        module.EXACT_BELOW = old
    assert hits[0][0] == 10
    assert len(hits) == 5 and all(i % step == 0 for i, _ in hits)


def test_k_edges_and_empty_index(rng: np.random.Generator) -> None:
    index = VectorIndex(384)
    query = unit_rows(rng, 1)[0]
    assert index.search(query, k=10) == []
    index.add([1, 2, 3], unit_rows(rng, 3))
    assert index.search(query, k=0) == []
    assert len(index.search(query, k=100)) == 3


def test_shape_errors(rng: np.random.Generator) -> None:
    index = VectorIndex(384)
    with pytest.raises(ValueError, match="shape"):
        index.add([1, 2], unit_rows(rng, 3))
    with pytest.raises(ValueError, match="shape"):
        index.add([1], unit_rows(rng, 1, d=100))
    with pytest.raises(ValueError, match="384"):
        index.search(np.zeros(10, dtype=np.float32), k=1)
    with pytest.raises(ValueError, match="finite"):
        index.add([1], np.full((1, 384), np.nan, dtype=np.float32))
    with pytest.raises(ValueError, match="positive"):
        VectorIndex(0)


def test_ties_break_by_ascending_id() -> None:
    index = VectorIndex(4)
    same = np.tile(np.array([[0.5, 0.5, 0.5, 0.5]], dtype=np.float32), (5, 1))
    index.add([40, 10, 30, 20, 50], same)
    assert [i for i, _ in index.search(same[0], k=3)] == [10, 20, 30]


def test_unsorted_ids_and_compaction(rng: np.random.Generator) -> None:
    vectors = unit_rows(rng, 5000)
    ids = rng.permutation(5000).astype(np.int64) + 10_000
    index = VectorIndex(384)
    index.add(ids, vectors)
    removed = ids[:2000]  # more than a quarter: triggers compaction
    assert index.remove(removed) == 2000
    assert len(index) == 3000
    live = ~np.isin(ids, removed)
    for row in (2500, 4999):
        hits = index.search(vectors[row], k=3)
        assert hits[0][0] == ids[row]
        assert set(i for i, _ in hits) <= set(ids[live].tolist())
    assert index.search(vectors[0], k=1)[0][0] != ids[0]
    np.testing.assert_allclose(
        index.scores(vectors[4000], ids[[4000, 0]]), [1.0, np.nan], atol=0.01
    )


def test_growth_is_amortised(rng: np.random.Generator) -> None:
    index = VectorIndex(16)
    capacities = set()
    for start in range(0, 20_000, 100):
        index.add(np.arange(start, start + 100), unit_rows(rng, 100, d=16))
        capacities.add(len(index._ids))
    assert len(index) == 20_000
    assert len(capacities) < 15  # geometric growth, not one copy per add


def test_encode_decode_roundtrip(rng: np.random.Generator) -> None:
    vector = unit_rows(rng, 1)[0]
    blob = encode(vector)
    assert isinstance(blob, bytes) and len(blob) == 4 + 384
    back = decode(blob)
    assert back.dtype == np.float32 and back.shape == (384,)
    assert float(back @ vector) == pytest.approx(1.0, abs=0.005)
    assert np.abs(back - vector).max() <= np.abs(vector).max() / 127
    assert np.all(decode(encode(np.zeros(8, dtype=np.float32))) == 0)
    with pytest.raises(ValueError, match="short"):
        decode(b"abc")


def test_bulk_load_equals_add(rng: np.random.Generator) -> None:
    vectors = unit_rows(rng, 200)
    ids = np.arange(200) + 1
    added = VectorIndex(384)
    added.add(ids, vectors)
    loaded = VectorIndex(384)
    loaded.bulk_load(ids.tolist(), (encode(v) for v in vectors))
    for row in (0, 50, 199):
        assert loaded.search(vectors[row], k=10) == added.search(vectors[row], k=10)
    with pytest.raises(ValueError, match="BLOB"):
        loaded.bulk_load([1, 2], [encode(vectors[0])])


def test_nbytes_is_compact(rng: np.random.Generator) -> None:
    index = VectorIndex(384)
    index.reserve(10_000)
    index.add(np.arange(10_000), unit_rows(rng, 10_000))
    # int8 + scale + 48-byte code + id + alive flag, plus the id lookup.
    assert index.nbytes < 10_000 * (384 + 4 + 48 + 8 + 1 + 16) * 1.01
