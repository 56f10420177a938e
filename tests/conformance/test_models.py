"""models: get, list, generateAnswer, embeddings, countTokens, generateContent (12, 13)."""

from __future__ import annotations

import os

import pytest

from ragkit.client import Client, InvalidArgumentError, NotFoundError
from ragkit.types import Content, GroundingPassage, SemanticRetrieverConfig, TaskType
from tests.conformance.conftest import Backend

PASSAGES = [
    GroundingPassage(id="p1", content=Content.from_text("The bridge opened to traffic in 1932.")),
    GroundingPassage(id="p2", content=Content.from_text("Plain LLMs may hallucinate.")),
]


def _embedding_model(client: Client) -> str:
    for model in client.models.list():
        if "embedContent" in model.supported_generation_methods:
            return model.name
    pytest.fail("the backend lists no model that supports embedContent")


def test_get_and_list_models(client: Client) -> None:
    aqa = client.models.get("aqa")
    assert aqa.name == "models/aqa"
    assert (aqa.input_token_limit, aqa.output_token_limit) == (7168, 1024)
    assert "generateAnswer" in aqa.supported_generation_methods
    assert "models/aqa" in [m.name for m in client.models.list()]


def test_an_unknown_model_is_not_found(client: Client) -> None:
    with pytest.raises(NotFoundError):
        client.models.get("no-such-model-xyz")


def test_generate_answer_from_inline_passages(client: Client) -> None:
    answer = client.models.generate_answer(
        contents="When did the bridge open to traffic?",
        answer_style="EXTRACTIVE",
        inline_passages=PASSAGES,
        temperature=0.0,
    )
    assert answer.answer is not None and answer.answer.content is not None
    assert "1932" in answer.answer.content.text
    assert answer.answerable_probability is not None
    assert 0.0 <= answer.answerable_probability <= 1.0
    source = answer.answer.grounding_attributions[0].source_id
    assert source is not None and source.grounding_passage is not None
    assert source.grounding_passage.passage_id == "p1"


def test_generate_answer_from_a_corpus(client: Client, corpus: str) -> None:
    doc = client.corpora.documents.create(corpus, name="bridge", custom_metadata={"year": 1932})
    assert doc.name is not None
    client.corpora.documents.chunks.batch_create(
        doc.name,
        chunks=["The bridge opened to traffic in 1932.", "It was painted orange in 1933."],
    )
    answer = client.models.generate_answer(
        contents="When did the bridge open to traffic?",
        answer_style="ABSTRACTIVE",
        semantic_retriever=SemanticRetrieverConfig(
            source=corpus,
            query=Content.from_text("When did the bridge open to traffic?"),
            max_chunks_count=5,
        ),
    )
    assert answer.answer is not None
    chunk_source = answer.answer.grounding_attributions[0].source_id
    assert chunk_source is not None and chunk_source.semantic_retriever_chunk is not None
    assert chunk_source.semantic_retriever_chunk.source == corpus
    assert (chunk_source.semantic_retriever_chunk.chunk or "").startswith(f"{doc.name}/chunks/")


def test_generate_answer_only_with_aqa(client: Client) -> None:
    with pytest.raises(InvalidArgumentError, match="unexpected model name format"):
        client.models.generate_answer(
            "models/gemini-1.5-flash",  # the model of the observed report (§12)
            contents="q",
            answer_style="VERBOSE",
            inline_passages=PASSAGES,
        )


def test_embed_content_and_batch(client: Client) -> None:
    model = _embedding_model(client)
    one = client.models.embed_content(
        model, content="Rotate keys.", task_type=TaskType.RETRIEVAL_QUERY
    )
    assert one.embedding is not None and len(one.embedding.values) > 8
    short = client.models.embed_content(model, content="Rotate keys.", output_dimensionality=8)
    assert short.embedding is not None and len(short.embedding.values) == 8
    batch = client.models.batch_embed_contents(model, requests=["a", "b", "c"])
    assert len(batch.embeddings) == 3
    assert all(len(e.values) == len(one.embedding.values) for e in batch.embeddings)


def test_count_tokens(client: Client) -> None:
    model = _embedding_model(client)
    counted = client.models.count_tokens(model, contents="Rotate keys every 90 days.")
    assert 3 <= counted.total_tokens <= 20


def test_generate_content_and_its_stream(backend: Backend, client: Client) -> None:
    model = os.environ.get("RAGKIT_TEST_GENERATE_MODEL", "gemini-2.0-flash")
    if backend.is_local:
        # The engine serves no generator by default (docs/engine-choices.md): 404.
        with pytest.raises(NotFoundError):
            client.models.generate_content(model, contents="Say hi")
        with pytest.raises(NotFoundError):
            client.models.stream_generate_content(model, contents="Say hi")
        return
    reply = client.models.generate_content(model, contents="Say hi in one word.")
    assert reply.candidates and reply.candidates[0].content is not None
    with client.models.stream_generate_content(model, contents="Count to three.") as stream:
        parts = [
            r.candidates[0].content.text for r in stream if r.candidates and r.candidates[0].content
        ]
    assert "".join(parts)
