"""The x-ragkit-retrieval extension: rank by BM25 or cosine alone, or fused (default)."""

from __future__ import annotations

import httpx

from ragkit.engine.retrieval import RETRIEVAL_HEADER
from tests.engine.conftest import V, add_chunks, error, make_corpus, make_document, ok

DOC = "corpora/c1/documents/d1"
QUERY = {"query": "rotate keys", "resultsCount": 10}


def _fill(client: httpx.Client) -> None:
    make_corpus(client)
    make_document(client)
    add_chunks(
        client,
        DOC,
        "Rotate API keys every 90 days.",
        "Keys, keys and more keys: rotate them, rotate them often.",
        "Ducks are waterfowl.",
    )


def _ranking(response: httpx.Response) -> list[tuple[str, float]]:
    body = ok(response)
    return [
        (hit["chunk"]["data"]["stringValue"], hit.get("chunkRelevanceScore", 0.0))
        for hit in body.get("relevantChunks", [])
    ]


def test_each_mode_is_echoed_and_scores_stay_in_zero_one(client: httpx.Client) -> None:
    _fill(client)
    for mode in ("lexical", "dense", "hybrid"):
        response = client.post(
            f"{V}/corpora/c1:query", json=QUERY, headers={RETRIEVAL_HEADER: mode}
        )
        assert response.headers[RETRIEVAL_HEADER] == mode
        ranking = _ranking(response)
        assert ranking
        assert all(0.0 <= score <= 1.0 for _, score in ranking)
        assert [score for _, score in ranking] == sorted((s for _, s in ranking), reverse=True)


def test_lexical_mode_returns_only_passages_that_share_words(client: httpx.Client) -> None:
    _fill(client)
    response = client.post(
        f"{V}/corpora/c1:query", json=QUERY, headers={RETRIEVAL_HEADER: "lexical"}
    )
    texts = [text for text, _ in _ranking(response)]
    assert "Ducks are waterfowl." not in texts
    assert len(texts) == 2
    assert _ranking(response)[0][1] == 1.0  # the best BM25 hit defines the top of the scale


def test_without_the_header_nothing_is_echoed(client: httpx.Client) -> None:
    _fill(client)
    response = client.post(f"{V}/corpora/c1:query", json=QUERY)
    assert RETRIEVAL_HEADER not in response.headers
    assert _ranking(response)


def test_an_unknown_mode_is_a_google_style_400(client: httpx.Client) -> None:
    _fill(client)
    response = client.post(f"{V}/corpora/c1:query", json=QUERY, headers={RETRIEVAL_HEADER: "magic"})
    body = error(response, 400, "INVALID_ARGUMENT")
    assert "lexical" in body["message"]
