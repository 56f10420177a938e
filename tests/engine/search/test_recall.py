"""VectorIndex against exact float32 search on real MiniLM vectors of the fixture documents."""

from __future__ import annotations

import re

import numpy as np
import numpy.typing as npt
import pytest

from ragkit.engine.search import VectorIndex, get_embedder
from tests.conftest import SAMPLE_DOCS

TEXT_FIXTURES = ("pep0257.rst", "pypdf_extract_text.md", "v8_blog_wasm_standalone.html")


@pytest.fixture(scope="module")
def sentence_vectors() -> npt.NDArray[np.float32]:
    text = " ".join((SAMPLE_DOCS / name).read_text(encoding="utf-8") for name in TEXT_FIXTURES)
    text = re.sub(r"<[^>]+>", " ", text)  # crude tag removal is enough to get prose
    sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+|\n\s*\n", text) if len(s.strip()) > 30]
    assert len(sentences) > 250
    return get_embedder("minilm").embed_documents(sentences)


def test_prefiltered_top10_matches_exact_search(sentence_vectors: npt.NDArray[np.float32]) -> None:
    vectors = sentence_vectors
    # 40 candidates out of ~300 rows: the sign-code prefilter really has to choose.
    index = VectorIndex(vectors.shape[1], candidates=40)
    index.add(np.arange(len(vectors)), vectors)
    recalls = []
    for row in range(0, len(vectors), 3):
        exact = set(np.argsort(-(vectors @ vectors[row]), kind="stable")[:10].tolist())
        found = {i for i, _ in index.search(vectors[row], k=10)}
        recalls.append(len(exact & found) / 10)
    assert float(np.mean(recalls)) >= 0.98


def test_filtered_search_is_exact_on_small_sets(
    sentence_vectors: npt.NDArray[np.float32],
) -> None:
    vectors = sentence_vectors
    index = VectorIndex(vectors.shape[1], candidates=40)
    index.add(np.arange(len(vectors)), vectors)
    allowed = np.arange(0, len(vectors), 2)
    for row in range(0, len(vectors), 17):
        scores = vectors[allowed] @ vectors[row]
        exact = allowed[np.argsort(-scores, kind="stable")[:5]]
        found = [i for i, _ in index.search(vectors[row], k=5, allowed_ids=allowed)]
        # Same set up to int8 rounding of near-equal cosines.
        assert len(set(found) & set(exact.tolist())) >= 4
