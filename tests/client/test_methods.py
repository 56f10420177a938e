"""Every client method, sync and async, against a MockTransport.

Each case states the exact HTTP method, path, query string and camelCase body the
client must send, replies with a realistic body (shapes from the reference's
examples) and checks the parsed result.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from ragkit.client import Operation
from ragkit.types import (
    AnswerStyle,
    Chunk,
    ChunkData,
    Condition,
    Content,
    CustomMetadata,
    GenerationConfig,
    GroundingPassage,
    MetadataFilter,
    Operator,
    Role,
    SafetySetting,
    SemanticRetrieverConfig,
    State,
    TaskType,
)
from tests.client.support import Recorder, body_of, public_methods, query_of, run, sse

TS = "2024-05-02T10:11:12.123456Z"
CORPUS = {
    "name": "corpora/product-docs",
    "displayName": "Product docs",
    "createTime": TS,
    "updateTime": TS,
}
DOC = "corpora/product-docs/documents/security-guide"
DOCUMENT = {
    "name": DOC,
    "displayName": "Security guide",
    "customMetadata": [
        {"key": "url", "stringValue": "https://example.com/security"},
        {"key": "year", "numericValue": 2024},
    ],
    "createTime": TS,
    "updateTime": TS,
}
CHUNK = {
    "name": f"{DOC}/chunks/intro",
    "data": {"stringValue": "API keys identify a project."},
    "customMetadata": [{"key": "tags", "stringListValue": {"values": ["basics", "auth"]}}],
    "createTime": TS,
    "updateTime": TS,
    "state": "STATE_ACTIVE",
}
PERMISSION = {
    "name": "corpora/product-docs/permissions/104823571930226513",
    "granteeType": "USER",
    "emailAddress": "alice@example.com",
    "role": "READER",
}
RELEVANT = {
    "relevantChunks": [
        {
            "chunkRelevanceScore": 0.7134521,
            "chunk": CHUNK,
            "document": {"name": DOC, "displayName": "Security guide"},
        }
    ]
}
FILTERS = [
    MetadataFilter(
        key="document.custom_metadata.genre",
        conditions=[
            Condition(string_value="drama", operation=Operator.EQUAL),
            Condition(string_value="action", operation=Operator.EQUAL),
        ],
    ),
    MetadataFilter(
        key="chunk.custom_metadata.year",
        conditions=[Condition(numeric_value=2015, operation=Operator.GREATER)],
    ),
]
FILTERS_WIRE = [
    {
        "key": "document.custom_metadata.genre",
        "conditions": [
            {"stringValue": "drama", "operation": "EQUAL"},
            {"stringValue": "action", "operation": "EQUAL"},
        ],
    },
    {
        "key": "chunk.custom_metadata.year",
        "conditions": [{"numericValue": 2015.0, "operation": "GREATER"}],
    },
]
AQA_MODEL = {
    "name": "models/aqa",
    "version": "001",
    "displayName": "Model that performs Attributed Question Answering.",
    "inputTokenLimit": 7168,
    "outputTokenLimit": 1024,
    "supportedGenerationMethods": ["generateAnswer"],
    "temperature": 0.2,
    "topP": 1,
    "topK": 40,
}
ANSWER = {
    "answer": {
        "content": {"parts": [{"text": "Keys should be rotated every 90 days."}]},
        "finishReason": "STOP",
        "groundingAttributions": [
            {
                "sourceId": {
                    "semanticRetrieverChunk": {
                        "source": "corpora/product-docs",
                        "chunk": f"{DOC}/chunks/rotation",
                    }
                },
                "content": {"parts": [{"text": "Rotate keys every 90 days."}]},
            }
        ],
    },
    "answerableProbability": 0.9432,
}
QUESTION = {"role": "user", "parts": [{"text": "How often should API keys be rotated?"}]}
GENERATED = {
    "candidates": [
        {"content": {"role": "model", "parts": [{"text": "Hello!"}]}, "finishReason": "STOP"}
    ],
    "usageMetadata": {"promptTokenCount": 2, "candidatesTokenCount": 2, "totalTokenCount": 4},
    "modelVersion": "gemini-2.0-flash",
}


@dataclass
class Case:
    id: str
    call: Callable[[Any], Any]
    method: str
    path: str
    response: Any
    check: Callable[[Any], bool]
    params: dict[str, str] = field(default_factory=dict)
    body: Any = None


def _is_none(result: Any) -> bool:
    return result is None


CASES = [
    # --- corpora (section 8) ---
    Case(
        "corpora.create named",
        lambda c: c.corpora.create(name="product-docs", display_name="Product docs"),
        "POST", "/v1beta/corpora", CORPUS,
        lambda r: (r.name == "corpora/product-docs" and r.create_time.year == 2024),
        body={"name": "corpora/product-docs", "displayName": "Product docs"},
    ),
    Case(
        "corpora.create generated name",
        lambda c: c.corpora.create(display_name="Google for Developers Blog"),
        "POST", "/v1beta/corpora",
        {
            "name": "corpora/google-for-developers-blog-dqrtz8rs0jg",
            "displayName": "Google for Developers Blog",
        },
        lambda r: r.name.startswith("corpora/google-for-developers-blog-"),
        body={"displayName": "Google for Developers Blog"},
    ),
    Case(
        "corpora.get bare id", lambda c: c.corpora.get("product-docs"),
        "GET", "/v1beta/corpora/product-docs", CORPUS,
        lambda r: r.display_name == "Product docs",
    ),
    Case(
        "corpora.list", lambda c: c.corpora.list(page_size=20),
        "GET", "/v1beta/corpora", {"corpora": [CORPUS]},
        lambda r: [x.name for x in r] == ["corpora/product-docs"],
        params={"pageSize": "20"},
    ),
    Case(
        "corpora.update", lambda c: c.corpora.update("corpora/product-docs", display_name="Docs"),
        "PATCH", "/v1beta/corpora/product-docs", {**CORPUS, "displayName": "Docs"},
        lambda r: r.display_name == "Docs",
        params={"updateMask": "displayName"}, body={"displayName": "Docs"},
    ),
    Case(
        "corpora.delete force", lambda c: c.corpora.delete("corpora/product-docs", force=True),
        "DELETE", "/v1beta/corpora/product-docs", {}, _is_none, params={"force": "true"},
    ),
    Case(
        "corpora.delete plain", lambda c: c.corpora.delete("product-docs"),
        "DELETE", "/v1beta/corpora/product-docs", {}, _is_none,
    ),
    Case(
        "corpora.query",
        lambda c: c.corpora.query(
            "corpora/product-docs", query="films about resilience", metadata_filters=FILTERS,
            results_count=10,
        ),
        "POST", "/v1beta/corpora/product-docs:query", RELEVANT,
        lambda r: (
            r.relevant_chunks[0].chunk.state is State.STATE_ACTIVE
            and r.relevant_chunks[0].document.display_name == "Security guide"
        ),
        body={
            "query": "films about resilience",
            "metadataFilters": FILTERS_WIRE,
            "resultsCount": 10,
        },
    ),
    Case(
        "corpora.query empty result", lambda c: c.corpora.query("product-docs", query="x"),
        "POST", "/v1beta/corpora/product-docs:query", {},
        lambda r: r.relevant_chunks == [],
        body={"query": "x"},
    ),
    # --- documents (section 9) ---
    Case(
        "corpora.documents.create",
        lambda c: c.corpora.documents.create(
            "product-docs", name="security-guide", display_name="Security guide",
            custom_metadata={"url": "https://example.com/security", "year": 2024},
        ),
        "POST", "/v1beta/corpora/product-docs/documents", DOCUMENT,
        lambda r: r.custom_metadata[1].value == 2024,
        body={
            "name": DOC, "displayName": "Security guide",
            "customMetadata": [
                {"key": "url", "stringValue": "https://example.com/security"},
                {"key": "year", "numericValue": 2024.0},
            ],
        },
    ),
    Case(
        "corpora.documents.get", lambda c: c.corpora.documents.get(DOC),
        "GET", f"/v1beta/{DOC}", DOCUMENT, lambda r: r.name == DOC,
    ),
    Case(
        "corpora.documents.list",
        lambda c: c.corpora.documents.list("corpora/product-docs", page_size=5),
        "GET", "/v1beta/corpora/product-docs/documents", {"documents": [DOCUMENT]},
        lambda r: [d.display_name for d in r] == ["Security guide"],
        params={"pageSize": "5"},
    ),
    Case(
        "corpora.documents.update",
        lambda c: c.corpora.documents.update(
            DOC, custom_metadata=[CustomMetadata.of("year", 2025)]
        ),
        "PATCH", f"/v1beta/{DOC}", DOCUMENT, lambda r: r.name == DOC,
        params={"updateMask": "customMetadata"},
        body={"customMetadata": [{"key": "year", "numericValue": 2025.0}]},
    ),
    Case(
        "corpora.documents.delete", lambda c: c.corpora.documents.delete(DOC, force=False),
        "DELETE", f"/v1beta/{DOC}", {}, _is_none, params={"force": "false"},
    ),
    Case(
        "corpora.documents.query",
        lambda c: c.corpora.documents.query(
            DOC, query="rotate", results_count=100, metadata_filters=FILTERS[1:]
        ),
        "POST", f"/v1beta/{DOC}:query", RELEVANT,
        lambda r: r.relevant_chunks[0].chunk_relevance_score == pytest.approx(0.7134521),
        body={"query": "rotate", "resultsCount": 100, "metadataFilters": FILTERS_WIRE[1:]},
    ),
    # --- chunks (section 10) ---
    Case(
        "corpora.documents.chunks.create",
        lambda c: c.corpora.documents.chunks.create(
            DOC, data="API keys identify a project.", name="intro",
            custom_metadata={"tags": ["basics", "auth"]},
        ),
        "POST", f"/v1beta/{DOC}/chunks", CHUNK,
        lambda r: r.data.string_value == "API keys identify a project.",
        body={
            "name": f"{DOC}/chunks/intro", "data": {"stringValue": "API keys identify a project."},
            "customMetadata": [{"key": "tags", "stringListValue": {"values": ["basics", "auth"]}}],
        },
    ),
    Case(
        "corpora.documents.chunks.get",
        lambda c: c.corpora.documents.chunks.get(f"{DOC}/chunks/intro"),
        "GET", f"/v1beta/{DOC}/chunks/intro", CHUNK,
        lambda r: r.custom_metadata[0].value == ["basics", "auth"],
    ),
    Case(
        "corpora.documents.chunks.list",
        lambda c: c.corpora.documents.chunks.list(DOC, page_size=100),
        "GET", f"/v1beta/{DOC}/chunks",
        {"chunks": [CHUNK, {**CHUNK, "name": f"{DOC}/chunks/b", "state": "STATE_FAILED"}]},
        lambda r: [x.state for x in r] == [State.STATE_ACTIVE, State.STATE_FAILED],
        params={"pageSize": "100"},
    ),
    Case(
        "corpora.documents.chunks.update",
        lambda c: c.corpora.documents.chunks.update(f"{DOC}/chunks/intro", data="New text."),
        "PATCH", f"/v1beta/{DOC}/chunks/intro",
        {**CHUNK, "data": {"stringValue": "New text."}, "state": "STATE_PENDING_PROCESSING"},
        lambda r: r.state is State.STATE_PENDING_PROCESSING,
        params={"updateMask": "data"}, body={"data": {"stringValue": "New text."}},
    ),
    Case(
        "corpora.documents.chunks.delete",
        lambda c: c.corpora.documents.chunks.delete(f"{DOC}/chunks/intro"),
        "DELETE", f"/v1beta/{DOC}/chunks/intro", {}, _is_none,
    ),
    Case(
        "corpora.documents.chunks.batch_create",
        lambda c: c.corpora.documents.chunks.batch_create(
            DOC,
            chunks=[
                Chunk(
                    name=f"{DOC}/chunks/intro",
                    data=ChunkData(string_value="API keys identify a project."),
                    custom_metadata=[CustomMetadata.of("page", 1)],
                ),
                "Rotate keys every 90 days.",
            ],
        ),
        "POST", f"/v1beta/{DOC}/chunks:batchCreate",
        {"chunks": [CHUNK, {**CHUNK, "name": f"{DOC}/chunks/0x7kq2m9w3zb"}]},
        lambda r: len(r.chunks) == 2,
        body={
            "requests": [
                {
                    "parent": DOC,
                    "chunk": {
                        "name": f"{DOC}/chunks/intro",
                        "data": {"stringValue": "API keys identify a project."},
                        "customMetadata": [{"key": "page", "numericValue": 1.0}],
                    },
                },
                {"parent": DOC, "chunk": {"data": {"stringValue": "Rotate keys every 90 days."}}},
            ]
        },
    ),
    Case(
        "corpora.documents.chunks.batch_update",
        lambda c: c.corpora.documents.chunks.batch_update(
            DOC,
            chunks=[
                Chunk(
                    name=f"{DOC}/chunks/intro",
                    custom_metadata=[CustomMetadata.of("reviewed", "yes")],
                )
            ],
        ),
        "POST", f"/v1beta/{DOC}/chunks:batchUpdate", {"chunks": [CHUNK]},
        lambda r: r.chunks[0].name.endswith("/intro"),
        body={
            "requests": [
                {
                    "chunk": {
                        "name": f"{DOC}/chunks/intro",
                        "customMetadata": [{"key": "reviewed", "stringValue": "yes"}],
                    },
                    "updateMask": "customMetadata",
                }
            ]
        },
    ),
    Case(
        "corpora.documents.chunks.batch_delete",
        lambda c: c.corpora.documents.chunks.batch_delete(DOC, names=["intro", f"{DOC}/chunks/b"]),
        "POST", f"/v1beta/{DOC}/chunks:batchDelete", {}, _is_none,
        body={"requests": [{"name": f"{DOC}/chunks/intro"}, {"name": f"{DOC}/chunks/b"}]},
    ),
    # --- permissions (section 11) ---
    Case(
        "corpora.permissions.create",
        lambda c: c.corpora.permissions.create(
            "product-docs", role="READER", grantee_type="USER", email_address="alice@example.com"
        ),
        "POST", "/v1beta/corpora/product-docs/permissions", PERMISSION,
        lambda r: r.name.endswith("/104823571930226513"),
        body={"role": "READER", "granteeType": "USER", "emailAddress": "alice@example.com"},
    ),
    Case(
        "corpora.permissions.get", lambda c: c.corpora.permissions.get(PERMISSION["name"]),
        "GET", f"/v1beta/{PERMISSION['name']}", PERMISSION,
        lambda r: r.role is Role.READER,
    ),
    Case(
        "corpora.permissions.list",
        lambda c: c.corpora.permissions.list("product-docs", page_size=1000),
        "GET", "/v1beta/corpora/product-docs/permissions",
        {"permissions": [{"name": "corpora/product-docs/permissions/1", "granteeType": "USER",
                          "emailAddress": "owner@example.com", "role": "OWNER"}, PERMISSION]},
        lambda r: [p.role for p in r] == [Role.OWNER, Role.READER],
        params={"pageSize": "1000"},
    ),
    Case(
        "corpora.permissions.update",
        lambda c: c.corpora.permissions.update(PERMISSION["name"], role=Role.WRITER),
        "PATCH", f"/v1beta/{PERMISSION['name']}", {**PERMISSION, "role": "WRITER"},
        lambda r: r.role is Role.WRITER,
        params={"updateMask": "role"}, body={"role": "WRITER"},
    ),
    Case(
        "corpora.permissions.delete", lambda c: c.corpora.permissions.delete(PERMISSION["name"]),
        "DELETE", f"/v1beta/{PERMISSION['name']}", {}, _is_none,
    ),
    Case(
        "corpora.operations.get",
        lambda c: c.corpora.operations.get("corpora/product-docs/operations/op1"),
        "GET", "/v1beta/corpora/product-docs/operations/op1",
        {"name": "corpora/product-docs/operations/op1", "done": True},
        lambda r: (isinstance(r, Operation) and r.done),
    ),
    # --- models (sections 12 and 13) ---
    Case(
        "models.get", lambda c: c.models.get("aqa"),
        "GET", "/v1beta/models/aqa", AQA_MODEL, lambda r: r.input_token_limit == 7168,
    ),
    Case(
        "models.list", lambda c: c.models.list(page_size=50),
        "GET", "/v1beta/models", {"models": [AQA_MODEL]},
        lambda r: [m.name for m in r] == ["models/aqa"],
        params={"pageSize": "50"},
    ),
    Case(
        "models.generate_answer semantic retriever",
        lambda c: c.models.generate_answer(
            contents="How often should API keys be rotated?",
            answer_style="ABSTRACTIVE",
            temperature=0.2,
            semantic_retriever=SemanticRetrieverConfig(
                source="corpora/product-docs",
                query=Content.from_text("How often should API keys be rotated?"),
                metadata_filters=FILTERS[1:],
                max_chunks_count=5,
                minimum_relevance_score=0.3,
            ),
        ),
        "POST", "/v1beta/models/aqa:generateAnswer", ANSWER,
        lambda r: (
            r.answerable_probability == pytest.approx(0.9432)
            and r.answer.grounding_attributions[0].source_id.semantic_retriever_chunk.chunk
            == f"{DOC}/chunks/rotation"
        ),
        body={
            "contents": [QUESTION],
            "answerStyle": "ABSTRACTIVE",
            "temperature": 0.2,
            "semanticRetriever": {
                "source": "corpora/product-docs",
                "query": {"parts": [{"text": "How often should API keys be rotated?"}]},
                "metadataFilters": FILTERS_WIRE[1:],
                "maxChunksCount": 5,
                "minimumRelevanceScore": 0.3,
            },
        },
    ),
    Case(
        "models.generate_answer source shorthand",
        lambda c: c.models.generate_answer(
            "models/aqa", contents="How often should API keys be rotated?",
            answer_style=AnswerStyle.EXTRACTIVE, semantic_retriever="product-docs", temperature=0.0,
        ),
        "POST", "/v1beta/models/aqa:generateAnswer", ANSWER,
        lambda r: r.answer.content.text.startswith("Keys"),
        body={
            "contents": [QUESTION],
            "answerStyle": "EXTRACTIVE",
            "temperature": 0.0,
            "semanticRetriever": {
                "source": "corpora/product-docs",
                "query": {"parts": [{"text": "How often should API keys be rotated?"}]},
            },
        },
    ),
    Case(
        "models.generate_answer inline passages",
        lambda c: c.models.generate_answer(
            contents=[Content.from_text("What is AQA?")],
            answer_style="VERBOSE",
            inline_passages=[GroundingPassage(id="001", content=Content.from_text("AQA answers."))],
            safety_settings=[
                SafetySetting(
                    category="HARM_CATEGORY_DANGEROUS_CONTENT", threshold="BLOCK_ONLY_HIGH"
                )
            ],
        ),
        "POST", "/v1beta/models/aqa:generateAnswer",
        {
            "answer": {
                "content": {"parts": [{"text": "AQA answers."}]},
                "finishReason": "STOP",
                "groundingAttributions": [
                    {"sourceId": {"groundingPassage": {"passageId": "001", "partIndex": 0}},
                     "content": {"parts": [{"text": "AQA answers."}]}}
                ],
            },
            "answerableProbability": 0.97,
        },
        lambda r: (
            r.answer.grounding_attributions[0].source_id.grounding_passage.passage_id == "001"
        ),
        body={
            "contents": [{"parts": [{"text": "What is AQA?"}]}],
            "answerStyle": "VERBOSE",
            "inlinePassages": {
                "passages": [{"id": "001", "content": {"parts": [{"text": "AQA answers."}]}}]
            },
            "safetySettings": [
                {"category": "HARM_CATEGORY_DANGEROUS_CONTENT", "threshold": "BLOCK_ONLY_HIGH"}
            ],
        },
    ),
    Case(
        "models.embed_content",
        lambda c: c.models.embed_content(
            "gemini-embedding-001", content="Rotate keys.", task_type=TaskType.RETRIEVAL_DOCUMENT,
            title="Security guide", output_dimensionality=3,
        ),
        "POST", "/v1beta/models/gemini-embedding-001:embedContent",
        {"embedding": {"values": [0.1, -0.2, 0.3]}},
        lambda r: r.embedding.values == [0.1, -0.2, 0.3],
        body={
            "content": {"parts": [{"text": "Rotate keys."}]},
            "taskType": "RETRIEVAL_DOCUMENT",
            "title": "Security guide",
            "outputDimensionality": 3,
        },
    ),
    Case(
        "models.batch_embed_contents",
        lambda c: c.models.batch_embed_contents(
            "gemini-embedding-001", requests=["a", Content.from_text("b")]
        ),
        "POST", "/v1beta/models/gemini-embedding-001:batchEmbedContents",
        {"embeddings": [{"values": [1.0, 0.0]}, {"values": [0.0, 1.0]}]},
        lambda r: [e.values for e in r.embeddings] == [[1.0, 0.0], [0.0, 1.0]],
        body={
            "requests": [
                {"model": "models/gemini-embedding-001", "content": {"parts": [{"text": "a"}]}},
                {"model": "models/gemini-embedding-001", "content": {"parts": [{"text": "b"}]}},
            ]
        },
    ),
    Case(
        "models.count_tokens",
        lambda c: c.models.count_tokens("gemini-2.0-flash", contents="Rotate keys every 90 days."),
        "POST", "/v1beta/models/gemini-2.0-flash:countTokens",
        {"totalTokens": 7, "promptTokensDetails": [{"modality": "TEXT", "tokenCount": 7}]},
        lambda r: r.total_tokens == 7,
        body={"contents": [{"role": "user", "parts": [{"text": "Rotate keys every 90 days."}]}]},
    ),
    Case(
        "models.generate_content",
        lambda c: c.models.generate_content(
            "gemini-2.0-flash", contents="Say hello", system_instruction="Be brief.",
            generation_config=GenerationConfig(temperature=0.0, max_output_tokens=16),
        ),
        "POST", "/v1beta/models/gemini-2.0-flash:generateContent", GENERATED,
        lambda r: (
            r.candidates[0].content.text == "Hello!" and r.usage_metadata.total_token_count == 4
        ),
        body={
            "contents": [{"role": "user", "parts": [{"text": "Say hello"}]}],
            "systemInstruction": {"parts": [{"text": "Be brief."}]},
            "generationConfig": {"temperature": 0.0, "maxOutputTokens": 16},
        },
    ),
    Case(
        "models.stream_generate_content",
        lambda c: c.models.stream_generate_content("models/gemini-2.0-flash", contents="Say hello"),
        "POST", "/v1beta/models/gemini-2.0-flash:streamGenerateContent",
        sse([
            {"candidates": [{"content": {"role": "model", "parts": [{"text": "Hel"}]}}]},
            {
                "candidates": [
                    {
                        "content": {"role": "model", "parts": [{"text": "lo!"}]},
                        "finishReason": "STOP",
                    }
                ]
            },
        ]),
        lambda r: "".join(x.candidates[0].content.text for x in r) == "Hello!",
        params={"alt": "sse"},
        body={"contents": [{"role": "user", "parts": [{"text": "Say hello"}]}]},
    ),
]  # fmt: skip


@pytest.mark.anyio
@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
async def test_method_sends_the_documented_request_and_parses_the_reply(
    case: Case, mode: str
) -> None:
    recorder = Recorder([case.response])
    result = await run(mode, recorder, case.call)
    assert len(recorder.requests) == 1
    request = recorder.last
    assert request.method == case.method
    assert request.url.path == case.path
    assert query_of(request) == case.params
    assert body_of(request) == case.body
    if case.body is not None:
        assert request.headers["content-type"] == "application/json"
    assert request.headers["x-goog-api-key"] == "test-key"
    assert case.check(result), result


def test_every_public_method_has_a_case() -> None:
    covered = {case.id.split(" ")[0] for case in CASES}
    assert covered == set(public_methods("sync"))
