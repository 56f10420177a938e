"""corpora:query, documents:query and generateAnswer's retriever, end to end."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from ragkit.engine import inprocess, retrieval
from ragkit.engine.search import EmbedderError, register_embedder
from ragkit.engine.settings import EngineSettings
from tests.engine.conftest import HashEmbedder, V, add_chunks, engine_client, error, make_corpus, ok

SECURITY = "corpora/c1/documents/security"
COOKING = "corpora/c1/documents/cooking"


def _doc(http: httpx.Client, name: str, meta: list[dict[str, Any]]) -> None:
    ok(http.post(f"{V}/corpora/c1/documents", json={"name": name, "customMetadata": meta}))


def _fill(http: httpx.Client) -> None:
    make_corpus(http)
    _doc(
        http,
        SECURITY,
        [{"key": "genre", "stringValue": "security"}, {"key": "year", "numericValue": 2024}],
    )
    _doc(
        http,
        COOKING,
        [{"key": "genre", "stringValue": "cooking"}, {"key": "year", "numericValue": 2019}],
    )
    add_chunks(
        http,
        SECURITY,
        "Rotate API keys every 90 days to limit the damage of a leaked key.",
        "API keys identify a project; OAuth tokens identify a user.",
        "Store keys in a secret manager, never in source control.",
        metadata=[
            [
                {"key": "page", "numericValue": 1},
                {"key": "tags", "stringListValue": {"values": ["rotation", "keys"]}},
            ],
            [{"key": "page", "numericValue": 2}],
            [
                {"key": "page", "numericValue": 3},
                {"key": "tags", "stringListValue": {"values": ["storage"]}},
            ],
        ],
    )
    add_chunks(
        http,
        COOKING,
        "Knead the bread dough for ten minutes, then let it rise.",
        "Bake the loaf at 220 degrees until the crust is golden.",
        metadata=[[{"key": "page", "numericValue": 1}], [{"key": "page", "numericValue": 2}]],
    )


@pytest.fixture
def corpus(client: httpx.Client) -> httpx.Client:
    _fill(client)
    return client


def _query(http: httpx.Client, text: str, **body: Any) -> list[dict[str, Any]]:
    found = ok(http.post(f"{V}/corpora/c1:query", json={"query": text, **body}))
    return list(found.get("relevantChunks", []))


def _texts(hits: list[dict[str, Any]]) -> list[str]:
    return [h["chunk"]["data"]["stringValue"] for h in hits]


def test_best_chunk_first_with_scores_and_documents(corpus: httpx.Client) -> None:
    hits = _query(corpus, "how often should I rotate API keys")
    assert _texts(hits)[0].startswith("Rotate API keys")
    # A score of exactly 0 is omitted, as proto3 JSON omits every default value.
    scores = [h.get("chunkRelevanceScore", 0.0) for h in hits]
    assert scores == sorted(scores, reverse=True)
    assert all(0.0 <= s <= 1.0 for s in scores)
    assert hits[0]["document"]["name"] == SECURITY
    assert hits[0]["document"]["customMetadata"][0] == {"key": "genre", "stringValue": "security"}
    assert hits[0]["chunk"]["state"] == "STATE_ACTIVE"


def test_results_count(corpus: httpx.Client) -> None:
    assert len(_query(corpus, "keys bread", resultsCount=2)) == 2
    assert len(_query(corpus, "keys bread", resultsCount=100)) <= 5
    assert len(_query(corpus, "keys bread", resultsCount=0)) <= 10
    error(
        corpus.post(f"{V}/corpora/c1:query", json={"query": "x", "resultsCount": 101}),
        400,
        "INVALID_ARGUMENT",
    )
    error(corpus.post(f"{V}/corpora/c1:query", json={"query": "  "}), 400, "INVALID_ARGUMENT")


def test_filters_end_to_end(corpus: httpx.Client) -> None:
    cooking = _query(
        corpus,
        "keys bread",
        metadataFilters=[
            {
                "key": "document.custom_metadata.genre",
                "conditions": [{"stringValue": "cooking", "operation": "EQUAL"}],
            }
        ],
    )
    assert {h["document"]["name"] for h in cooking} == {COOKING}
    tagged = _query(
        corpus,
        "keys",
        metadataFilters=[
            {
                "key": "chunk.custom_metadata.tags",
                "conditions": [{"stringValue": "storage", "operation": "INCLUDES"}],
            }
        ],
    )
    assert _texts(tagged) == ["Store keys in a secret manager, never in source control."]
    ranged = _query(
        corpus,
        "keys bread",
        metadataFilters=[
            {
                "key": "chunk.custom_metadata.page",
                "conditions": [{"numericValue": 1, "operation": "GREATER"}],
            },
            {
                "key": "chunk.custom_metadata.page",
                "conditions": [{"numericValue": 2, "operation": "LESS_EQUAL"}],
            },
            {
                "key": "document.custom_metadata.year",
                "conditions": [{"numericValue": 2020, "operation": "GREATER_EQUAL"}],
            },
        ],
    )
    assert _texts(ranged) == ["API keys identify a project; OAuth tokens identify a user."]


def test_type_mismatch_gives_an_empty_object(corpus: httpx.Client) -> None:
    body = ok(
        corpus.post(
            f"{V}/corpora/c1:query",
            json={
                "query": "keys",
                "metadataFilters": [
                    {
                        "key": "document.custom_metadata.genre",
                        "conditions": [{"numericValue": 1, "operation": "EQUAL"}],
                    }
                ],
            },
        )
    )
    assert body == {}


def test_filter_validation(corpus: httpx.Client) -> None:
    def bad(filters: list[dict[str, Any]]) -> None:
        error(
            corpus.post(f"{V}/corpora/c1:query", json={"query": "k", "metadataFilters": filters}),
            400,
            "INVALID_ARGUMENT",
        )

    bad(
        [
            {
                "key": "chunk.custom_metadata.s",
                "conditions": [{"stringValue": "a", "operation": "EQUAL"}],
            },
            {
                "key": "chunk.custom_metadata.s",
                "conditions": [{"stringValue": "b", "operation": "EQUAL"}],
            },
        ]
    )
    bad([{"key": "chunk.custom_metadata.s", "conditions": []}])
    bad([{"key": "chunk.custom_metadata.s", "conditions": [{"stringValue": "a"}]}])
    bad(
        [
            {
                "key": "chunk.custom_metadata.s",
                "conditions": [{"stringValue": "a", "operation": "OPERATOR_UNSPECIFIED"}],
            }
        ]
    )
    bad([{"key": "chunk.metadata.s", "conditions": [{"stringValue": "a", "operation": "EQUAL"}]}])


def test_unprefixed_keys_are_chunk_keys_unless_strict(
    corpus: httpx.Client, engine_settings: EngineSettings
) -> None:
    lenient = _query(
        corpus,
        "keys bread",
        metadataFilters=[
            {"key": "page", "conditions": [{"numericValue": 3, "operation": "EQUAL"}]}
        ],
    )
    assert _texts(lenient) == ["Store keys in a secret manager, never in source control."]
    with engine_client(engine_settings, strict_filter_keys=True) as strict:
        _fill(strict)
        error(
            strict.post(
                f"{V}/corpora/c1:query",
                json={
                    "query": "k",
                    "metadataFilters": [
                        {"key": "page", "conditions": [{"numericValue": 3, "operation": "EQUAL"}]}
                    ],
                },
            ),
            400,
            "INVALID_ARGUMENT",
        )


def test_document_query_is_scoped_and_chunk_filters_only(corpus: httpx.Client) -> None:
    found = ok(corpus.post(f"{V}/{COOKING}:query", json={"query": "keys bread"}))
    assert {h["document"]["name"] for h in found["relevantChunks"]} == {COOKING}
    paged = ok(
        corpus.post(
            f"{V}/{SECURITY}:query",
            json={
                "query": "keys",
                "metadataFilters": [
                    {
                        "key": "chunk.custom_metadata.page",
                        "conditions": [{"numericValue": 2, "operation": "EQUAL"}],
                    }
                ],
            },
        )
    )
    assert len(paged["relevantChunks"]) == 1
    error(
        corpus.post(
            f"{V}/{SECURITY}:query",
            json={
                "query": "keys",
                "metadataFilters": [
                    {
                        "key": "document.custom_metadata.genre",
                        "conditions": [{"stringValue": "x", "operation": "EQUAL"}],
                    }
                ],
            },
        ),
        400,
        "INVALID_ARGUMENT",
    )
    error(
        corpus.post(f"{V}/corpora/c1/documents/none:query", json={"query": "k"}), 404, "NOT_FOUND"
    )


@pytest.mark.parametrize("narrow", [0, retrieval.NARROW])
def test_pre_and_post_filter_plans_agree(
    corpus: httpx.Client, monkeypatch: pytest.MonkeyPatch, narrow: int
) -> None:
    monkeypatch.setattr(retrieval, "NARROW", narrow)
    hits = _query(
        corpus,
        "keys dough",
        metadataFilters=[
            {
                "key": "chunk.custom_metadata.page",
                "conditions": [{"numericValue": 1, "operation": "EQUAL"}],
            }
        ],
    )
    assert set(_texts(hits)) == {
        "Rotate API keys every 90 days to limit the damage of a leaked key.",
        "Knead the bread dough for ten minutes, then let it rise.",
    }


def test_index_follows_updates_and_deletes(corpus: httpx.Client) -> None:
    assert _texts(_query(corpus, "sourdough starter")) != []
    (chunk,) = add_chunks(corpus, COOKING, "Feed the sourdough starter daily.")
    assert _texts(_query(corpus, "sourdough starter", resultsCount=1)) == [
        "Feed the sourdough starter daily."
    ]
    ok(
        corpus.patch(
            f"{V}/{chunk['name']}?updateMask=data",
            json={"data": {"stringValue": "Sharpen the knives weekly."}},
        )
    )
    assert _texts(_query(corpus, "sharpen knives", resultsCount=1)) == [
        "Sharpen the knives weekly."
    ]
    ok(corpus.delete(f"{V}/{chunk['name']}"))
    assert "Sharpen the knives weekly." not in _texts(_query(corpus, "sharpen knives"))
    ok(corpus.delete(f"{V}/{COOKING}?force=true"))
    assert all(h["document"]["name"] == SECURITY for h in _query(corpus, "bread dough"))


def test_writes_by_another_engine_are_seen(
    corpus: httpx.Client, engine_settings: EngineSettings
) -> None:
    _query(corpus, "keys")  # loads the first engine's index
    other_settings = engine_settings.model_copy(update={"max_corpora": 9})  # a second engine
    with httpx.Client(
        transport=inprocess.sync_transport(settings=other_settings), base_url="http://x"
    ) as other:
        add_chunks(other, COOKING, "Foreign write about photosynthesis in leaves.")
    hits = _query(corpus, "photosynthesis leaves", resultsCount=1)
    assert _texts(hits) == ["Foreign write about photosynthesis in leaves."]


def test_pending_chunks_are_not_returned(engine_settings: EngineSettings) -> None:
    with engine_client(engine_settings, chunk_ready_delay=3600) as http:
        _fill(http)
        assert ok(http.post(f"{V}/corpora/c1:query", json={"query": "keys"})) == {}


def _retriever(**config: Any) -> dict[str, Any]:
    question = "How often should API keys be rotated?"
    return {
        "contents": [{"parts": [{"text": question}]}],
        "answerStyle": "EXTRACTIVE",
        "semanticRetriever": {
            "source": "corpora/c1",
            "query": {"parts": [{"text": question}]},
            **config,
        },
    }


def test_generate_answer_with_the_semantic_retriever(corpus: httpx.Client) -> None:
    body = ok(corpus.post(f"{V}/models/aqa:generateAnswer", json=_retriever(maxChunksCount=3)))
    assert "90 days" in body["answer"]["content"]["parts"][0]["text"]
    attribution = body["answer"]["groundingAttributions"][0]
    source = attribution["sourceId"]["semanticRetrieverChunk"]
    assert source["source"] == "corpora/c1"
    assert source["chunk"].startswith(SECURITY + "/chunks/")
    assert attribution["content"]["parts"][0]["text"].startswith("Rotate API keys")
    scoped = ok(
        corpus.post(
            f"{V}/models/aqa:generateAnswer",
            json=_retriever(
                source=SECURITY,
                metadataFilters=[
                    {
                        "key": "chunk.custom_metadata.page",
                        "conditions": [{"numericValue": 1, "operation": "EQUAL"}],
                    }
                ],
            ),
        )
    )
    assert (
        scoped["answer"]["groundingAttributions"][0]["sourceId"]["semanticRetrieverChunk"]["source"]
        == SECURITY
    )


def test_minimum_relevance_score_can_leave_nothing(corpus: httpx.Client) -> None:
    body = ok(
        corpus.post(f"{V}/models/aqa:generateAnswer", json=_retriever(minimumRelevanceScore=1.01))
    )
    assert "groundingAttributions" not in body["answer"]
    assert body["answerableProbability"] == 0


def test_default_embedder_finds_a_paraphrase(engine_settings: EngineSettings) -> None:
    with engine_client(engine_settings, embedder="minilm") as http:
        _fill(http)
        hits = _query(http, "When must credentials be replaced?", resultsCount=2)
        assert _texts(hits)[0].startswith("Rotate API keys")
        assert hits[0]["chunkRelevanceScore"] > hits[1].get("chunkRelevanceScore", 0.0)
        model = ok(http.get(f"{V}/models/all-minilm-l6-v2"))
        assert model["supportedGenerationMethods"] == [
            "embedContent",
            "batchEmbedContents",
            "countTokens",
        ]
        vector = ok(
            http.post(
                f"{V}/models/all-minilm-l6-v2:embedContent",
                json={"content": {"parts": [{"text": "keys"}]}},
            )
        )
        assert len(vector["embedding"]["values"]) == 384


def test_an_embedder_that_is_not_available_is_reported(
    engine_settings: EngineSettings,
) -> None:
    with engine_client(engine_settings, embedder="no-such-embedder") as http:
        body = error(http.post(f"{V}/corpora", json={}), 400, "FAILED_PRECONDITION")
        assert "no-such-embedder" in body["message"]
    register_embedder("flaky", lambda _argument: HashEmbedder())
    with engine_client(engine_settings, embedder="flaky") as http:
        make_corpus(http)
        ok(http.post(f"{V}/corpora/c1/documents", json={"name": SECURITY}))

        def unavailable(_argument: str) -> HashEmbedder:
            raise EmbedderError("its model files were removed")

        register_embedder("flaky", unavailable)
        body = error(
            http.post(f"{V}/{SECURITY}/chunks", json={"data": {"stringValue": "x"}}),
            400,
            "FAILED_PRECONDITION",
        )
        assert "'flaky'" in body["message"] and "model files were removed" in body["message"]
        assert ok(http.get(f"{V}/{SECURITY}/chunks")) == {}
