"""The reference's JSON examples (semantic-retriever-api.md §8-§14) survive parse -> to_wire.

Requests go through the engine's strict parser and back out unchanged; responses parse
leniently and serialise Google-style (``omit_defaults=True``) to the same JSON.
"""

from __future__ import annotations

from typing import Any

import pytest

from ragkit.types import (
    BatchCreateChunksRequest,
    BatchCreateChunksResponse,
    BatchDeleteChunksRequest,
    BatchUpdateChunksRequest,
    Corpus,
    Document,
    ErrorBody,
    GenerateAnswerRequest,
    GenerateAnswerResponse,
    Model,
    Permission,
    QueryCorpusRequest,
    QueryCorpusResponse,
    State,
    WireModel,
    parse_request,
    to_wire,
)

CHUNK_PARENT = "corpora/product-docs/documents/security-guide"
STAMP = "2024-05-02T10:11:12.123456Z"

REQUESTS: list[tuple[str, type[WireModel], str, dict[str, Any]]] = [
    ("8.1 corpora.create", Corpus, "corpus", {"displayName": "Google for Developers Blog"}),
    (
        "8.6 query, example 1",
        QueryCorpusRequest,
        "",
        {"query": "How do I rotate an API key?", "resultsCount": 3},
    ),
    (
        "8.6 query, example 2 (mixed filters)",
        QueryCorpusRequest,
        "",
        {
            "query": "films about resilience",
            "resultsCount": 10,
            "metadataFilters": [
                {
                    "key": "document.custom_metadata.genre",
                    "conditions": [
                        {"stringValue": "drama", "operation": "EQUAL"},
                        {"stringValue": "action", "operation": "EQUAL"},
                    ],
                },
                {
                    "key": "chunk.custom_metadata.year",
                    "conditions": [{"numericValue": 2015, "operation": "GREATER"}],
                },
                {
                    "key": "chunk.custom_metadata.year",
                    "conditions": [{"numericValue": 2020, "operation": "LESS_EQUAL"}],
                },
                {
                    "key": "chunk.custom_metadata.tags",
                    "conditions": [{"stringValue": "featured", "operation": "INCLUDES"}],
                },
            ],
        },
    ),
    (
        "9.1 documents.create",
        Document,
        "document",
        {
            "displayName": "Security guide",
            "customMetadata": [
                {"key": "url", "stringValue": "https://example.com/security"},
                {"key": "year", "numericValue": 2024},
            ],
        },
    ),
    (
        "10.2 batchCreate, example 1",
        BatchCreateChunksRequest,
        "",
        {
            "requests": [
                {
                    "parent": CHUNK_PARENT,
                    "chunk": {
                        "name": f"{CHUNK_PARENT}/chunks/intro",
                        "data": {"stringValue": "API keys identify a project."},
                        "customMetadata": [
                            {"key": "section", "stringValue": "keys"},
                            {"key": "tags", "stringListValue": {"values": ["basics", "auth"]}},
                            {"key": "page", "numericValue": 1},
                        ],
                    },
                },
                {
                    "parent": CHUNK_PARENT,
                    "chunk": {
                        "name": f"{CHUNK_PARENT}/chunks/rotation",
                        "data": {"stringValue": "Rotate keys every 90 days."},
                    },
                },
            ]
        },
    ),
    (
        "10.2 batchCreate, example 2 (server-named)",
        BatchCreateChunksRequest,
        "",
        {
            "requests": [
                {"parent": "corpora/c1/documents/d1", "chunk": {"data": {"stringValue": "First."}}},
                {"parent": "corpora/c1/documents/d1", "chunk": {"data": {"stringValue": "Next."}}},
            ]
        },
    ),
    (
        "10.6 batchUpdate",
        BatchUpdateChunksRequest,
        "",
        {
            "requests": [
                {
                    "chunk": {
                        "name": "corpora/c1/documents/d1/chunks/intro",
                        "customMetadata": [{"key": "reviewed", "stringValue": "yes"}],
                    },
                    "updateMask": "customMetadata",
                }
            ]
        },
    ),
    (
        "10.8 batchDelete",
        BatchDeleteChunksRequest,
        "",
        {"requests": [{"name": "corpora/c1/documents/d1/chunks/intro"}]},
    ),
    (
        "11 permissions.create (user)",
        Permission,
        "permission",
        {"granteeType": "USER", "emailAddress": "alice@example.com", "role": "READER"},
    ),
    ("11 permissions.patch", Permission, "permission", {"role": "WRITER"}),
    (
        "11 permissions.create (public)",
        Permission,
        "permission",
        {"granteeType": "EVERYONE", "role": "READER"},
    ),
    (
        "12.3 generateAnswer, example 1 (corpus)",
        GenerateAnswerRequest,
        "",
        {
            "contents": [
                {"role": "user", "parts": [{"text": "How often should API keys be rotated?"}]}
            ],
            "answerStyle": "ABSTRACTIVE",
            "temperature": 0.2,
            "semanticRetriever": {
                "source": "corpora/product-docs",
                "query": {"parts": [{"text": "How often should API keys be rotated?"}]},
                "metadataFilters": [
                    {
                        "key": "document.custom_metadata.year",
                        "conditions": [{"numericValue": 2023, "operation": "GREATER_EQUAL"}],
                    }
                ],
                "maxChunksCount": 5,
                "minimumRelevanceScore": 0.3,
            },
        },
    ),
    (
        "12.3 generateAnswer, example 2 (inline passages)",
        GenerateAnswerRequest,
        "",
        {
            "contents": [{"parts": [{"text": "What is AQA?"}]}],
            "answerStyle": "VERBOSE",
            "inlinePassages": {
                "passages": [
                    {"id": "001", "content": {"parts": [{"text": "AQA answers questions."}]}},
                    {"id": "002", "content": {"parts": [{"text": "LLMs may hallucinate."}]}},
                ]
            },
        },
    ),
    (
        "12.3 generateAnswer, example 4 (multi-turn, one document)",
        GenerateAnswerRequest,
        "",
        {
            "contents": [
                {"role": "user", "parts": [{"text": "What does the guide say about keys?"}]},
                {"role": "model", "parts": [{"text": "It covers creating and rotating keys."}]},
                {"role": "user", "parts": [{"text": "How often should they be rotated?"}]},
            ],
            "answerStyle": "EXTRACTIVE",
            "semanticRetriever": {
                "source": CHUNK_PARENT,
                "query": {"parts": [{"text": "How often should API keys be rotated?"}]},
                "metadataFilters": [
                    {
                        "key": "chunk.custom_metadata.section",
                        "conditions": [{"stringValue": "keys", "operation": "EQUAL"}],
                    }
                ],
            },
            "safetySettings": [
                {"category": "HARM_CATEGORY_DANGEROUS_CONTENT", "threshold": "BLOCK_ONLY_HIGH"}
            ],
        },
    ),
]

RESPONSES: list[tuple[str, type[WireModel], dict[str, Any]]] = [
    (
        "8.1 corpora.create",
        Corpus,
        {
            "name": "corpora/google-for-developers-blog-dqrtz8rs0jg",
            "displayName": "Google for Developers Blog",
            "createTime": "2024-04-19T03:32:13.587977Z",
            "updateTime": "2024-04-19T03:32:13.587977Z",
        },
    ),
    (
        "8.6 query, example 1",
        QueryCorpusResponse,
        {
            "relevantChunks": [
                {
                    "chunkRelevanceScore": 0.7134521,
                    "chunk": {
                        "name": f"{CHUNK_PARENT}/chunks/k3j9x0p2m1qa",
                        "data": {"stringValue": "To rotate a key, create a new key..."},
                        "customMetadata": [{"key": "section", "stringValue": "keys"}],
                        "createTime": STAMP,
                        "updateTime": STAMP,
                        "state": "STATE_ACTIVE",
                    },
                    "document": {"name": CHUNK_PARENT, "displayName": "Security guide"},
                }
            ]
        },
    ),
    ("8.6 query, nothing matches", QueryCorpusResponse, {}),
    (
        "9.1 documents.create",
        Document,
        {
            "name": "corpora/product-docs/documents/security-guide-8hq2m0xkz1ab",
            "displayName": "Security guide",
            "customMetadata": [
                {"key": "url", "stringValue": "https://example.com/security"},
                {"key": "year", "numericValue": 2024},
            ],
            "updateTime": "2024-05-02T10:00:00.000000Z",
            "createTime": "2024-05-02T10:00:00.000000Z",
        },
    ),
    (
        "10.2 batchCreate, example 1",
        BatchCreateChunksResponse,
        {
            "chunks": [
                {
                    "name": f"{CHUNK_PARENT}/chunks/intro",
                    "data": {"stringValue": "API keys identify a project."},
                    "customMetadata": [
                        {"key": "section", "stringValue": "keys"},
                        {"key": "tags", "stringListValue": {"values": ["basics", "auth"]}},
                        {"key": "page", "numericValue": 1},
                    ],
                    "createTime": STAMP,
                    "updateTime": STAMP,
                    "state": "STATE_PENDING_PROCESSING",
                },
                {
                    "name": f"{CHUNK_PARENT}/chunks/rotation",
                    "data": {"stringValue": "Rotate keys every 90 days."},
                    "createTime": STAMP,
                    "updateTime": STAMP,
                    "state": "STATE_PENDING_PROCESSING",
                },
            ]
        },
    ),
    (
        "11 permissions.create",
        Permission,
        {
            "name": "corpora/product-docs/permissions/104823571930226513",
            "granteeType": "USER",
            "emailAddress": "alice@example.com",
            "role": "READER",
        },
    ),
    (
        "12.3 generateAnswer, example 1 (corpus)",
        GenerateAnswerResponse,
        {
            "answer": {
                "content": {"parts": [{"text": "Keys should be rotated every 90 days."}]},
                "finishReason": "STOP",
                "groundingAttributions": [
                    {
                        "sourceId": {
                            "semanticRetrieverChunk": {
                                "source": "corpora/product-docs",
                                "chunk": f"{CHUNK_PARENT}/chunks/rotation",
                            }
                        },
                        "content": {"parts": [{"text": "Rotate keys every 90 days."}]},
                    }
                ],
            },
            "answerableProbability": 0.9432,
        },
    ),
    (
        "12.3 generateAnswer, example 3 (unanswerable)",
        GenerateAnswerResponse,
        {
            "answer": {"content": {"parts": [{"text": "2"}]}, "finishReason": "STOP"},
            "answerableProbability": 0.02,
        },
    ),
    (
        "12.3 generateAnswer, example 3 (blocked)",
        GenerateAnswerResponse,
        {
            "inputFeedback": {
                "blockReason": "SAFETY",
                "safetyRatings": [
                    {"category": "HARM_CATEGORY_DANGEROUS_CONTENT", "probability": "HIGH"}
                ],
            }
        },
    ),
    (
        "12.3 generateAnswer, example 5 (part index)",
        GenerateAnswerResponse,
        {
            "answer": {
                "content": {"parts": [{"text": "1932"}]},
                "finishReason": "STOP",
                "groundingAttributions": [
                    {
                        "sourceId": {"groundingPassage": {"passageId": "p1", "partIndex": 1}},
                        "content": {"parts": [{"text": "It opened to traffic in 1932."}]},
                    }
                ],
            },
            "answerableProbability": 0.91,
        },
    ),
    (
        "13.1 the AQA model",
        Model,
        {
            "name": "models/aqa",
            "version": "001",
            "displayName": "Model that performs Attributed Question Answering.",
            "description": "Model trained to return answers to questions that are grounded.",
            "inputTokenLimit": 7168,
            "outputTokenLimit": 1024,
            "supportedGenerationMethods": ["generateAnswer"],
            "temperature": 0.2,
            "topP": 1,
            "topK": 40,
        },
    ),
    (
        "14 error body",
        ErrorBody,
        {
            "error": {
                "code": 400,
                "message": "human-readable, English, developer-facing text",
                "status": "INVALID_ARGUMENT",
                "details": [
                    {
                        "@type": "type.googleapis.com/google.rpc.BadRequest",
                        "fieldViolations": [{"field": "requests[100]", "description": "..."}],
                    }
                ],
            }
        },
    ),
]


@pytest.mark.parametrize(
    ("model_cls", "field", "body"),
    [pytest.param(cls, field, body, id=label) for label, cls, field, body in REQUESTS],
)
def test_request_examples_round_trip(
    model_cls: type[WireModel], field: str, body: dict[str, Any]
) -> None:
    parsed = parse_request(model_cls, body, field=field)
    assert to_wire(parsed, omit_defaults=True) == body
    # The client's form (no omission) re-parses to the same model.
    assert model_cls.model_validate(to_wire(parsed)) == parsed


@pytest.mark.parametrize(
    ("model_cls", "body"),
    [pytest.param(cls, body, id=label) for label, cls, body in RESPONSES],
)
def test_response_examples_round_trip(model_cls: type[WireModel], body: dict[str, Any]) -> None:
    parsed = model_cls.model_validate(body)
    assert to_wire(parsed, omit_defaults=True) == body


def test_inline_passage_part_index_zero_is_omitted_like_proto3() -> None:
    # The reference's example 2 shows "partIndex": 0; proto3 JSON omits a plain int32 at 0
    # and readers get 0 back either way.
    body = {"groundingPassage": {"passageId": "001", "partIndex": 0}}
    response = GenerateAnswerResponse.model_validate(
        {"answer": {"groundingAttributions": [{"sourceId": body}]}}
    )
    source = response.answer.grounding_attributions[0].source_id  # type: ignore[union-attr]
    assert source is not None and source.grounding_passage is not None
    assert source.grounding_passage.part_index == 0
    assert to_wire(source, omit_defaults=True) == {"groundingPassage": {"passageId": "001"}}


def test_parsed_example_values_are_python_types() -> None:
    response = QueryCorpusResponse.model_validate(RESPONSES[1][2])
    hit = response.relevant_chunks[0]
    assert hit.chunk is not None and hit.chunk.state is State.STATE_ACTIVE
    assert hit.chunk.create_time is not None and hit.chunk.create_time.microsecond == 123456
    assert hit.chunk.custom_metadata[0].value == "keys"
    assert hit.document is not None and hit.document.display_name == "Security guide"
