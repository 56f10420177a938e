"""Every limit of reference section 5, exactly at the edge (accepted) and one over.

Over the edge, the typed client refuses before sending (tests/client), so these
tests send the over-limit body with plain httpx and expect the server's 400.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from ragkit.client import Client, RateLimitError
from ragkit.engine.inprocess import INPROCESS_BASE_URL, sync_transport
from ragkit.engine.settings import EngineSettings
from ragkit.tokens import count_tokens
from ragkit.types import Chunk, ChunkData, CustomMetadata
from tests.conformance.conftest import new_id

V = "/v1beta"


def _tokens(n: int) -> str:
    text = " word" * n  # one cl100k token per " word"
    assert count_tokens(text) == n
    return text


def _status(response: httpx.Response) -> tuple[int, str]:
    return response.status_code, response.json().get("error", {}).get("status", "")


BAD = (400, "INVALID_ARGUMENT")


def test_resource_id_length_and_charset(
    client: Client, raw: httpx.Client, make_corpus: Callable[..., str]
) -> None:
    assert make_corpus(name="a" * 40) == "corpora/" + "a" * 40
    assert make_corpus(name="7") == "corpora/7"  # one character, all digits
    for bad in ("a" * 41, "Upper", "-lead", "trail-", "under_score"):
        assert _status(raw.post(f"{V}/corpora", json={"name": f"corpora/{bad}"})) == BAD, bad


def test_display_name_512(
    client: Client, raw: httpx.Client, make_corpus: Callable[..., str]
) -> None:
    name = make_corpus(display_name="x" * 512)
    assert client.corpora.get(name).display_name == "x" * 512
    assert _status(raw.post(f"{V}/corpora", json={"displayName": "x" * 513})) == BAD
    doc = {"displayName": "x" * 513}
    assert _status(raw.post(f"{V}/{name}/documents", json=doc)) == BAD


def test_twenty_metadata_entries(client: Client, raw: httpx.Client, corpus: str) -> None:
    at_limit = {f"k{i}": i for i in range(20)}
    doc = client.corpora.documents.create(corpus, custom_metadata=at_limit)
    assert len(doc.custom_metadata) == 20
    over = [{"key": f"k{i}", "numericValue": i} for i in range(21)]
    assert _status(raw.post(f"{V}/{corpus}/documents", json={"customMetadata": over})) == BAD
    assert doc.name is not None
    chunk = {"data": {"stringValue": "x"}, "customMetadata": over}
    assert _status(raw.post(f"{V}/{doc.name}/chunks", json=chunk)) == BAD


def test_string_value_256_and_list_of_10(client: Client, raw: httpx.Client, corpus: str) -> None:
    doc = client.corpora.documents.create(
        corpus, custom_metadata={"s": "x" * 256, "l": [str(i) for i in range(10)]}
    )
    assert {m.key: m.value for m in doc.custom_metadata}["s"] == "x" * 256
    too_long = raw.post(
        f"{V}/{corpus}/documents",
        json={"customMetadata": [{"key": "s", "stringValue": "x" * 257}]},
    )
    assert _status(too_long) == BAD
    assert "256" in too_long.json()["error"]["message"]
    eleven = {"values": [str(i) for i in range(11)]}
    body = {"customMetadata": [{"key": "l", "stringListValue": eleven}]}
    assert _status(raw.post(f"{V}/{corpus}/documents", json=body)) == BAD


def test_chunk_of_2043_tokens(client: Client, raw: httpx.Client, document: str) -> None:
    chunk = client.corpora.documents.chunks.create(document, data=_tokens(2043))
    assert chunk.data is not None and count_tokens(chunk.data.string_value) == 2043
    over = {"data": {"stringValue": _tokens(2044)}}
    assert _status(raw.post(f"{V}/{document}/chunks", json=over)) == BAD


def test_batches_of_100(client: Client, raw: httpx.Client, document: str) -> None:
    created = client.corpora.documents.chunks.batch_create(
        document,
        chunks=[
            Chunk(name=f"{document}/chunks/c{i}", data=ChunkData(string_value=f"Passage {i}."))
            for i in range(100)
        ],
    )
    assert len(created.chunks) == 100
    updates = [
        Chunk(name=f"{document}/chunks/c{i}", custom_metadata=[CustomMetadata.of("i", i)])
        for i in range(100)
    ]
    assert len(client.corpora.documents.chunks.batch_update(document, chunks=updates).chunks) == 100
    make = [{"parent": document, "chunk": {"data": {"stringValue": "x"}}}] * 101
    assert _status(raw.post(f"{V}/{document}/chunks:batchCreate", json={"requests": make})) == BAD
    change = [
        {
            "chunk": {"name": f"{document}/chunks/c{i % 100}", "customMetadata": []},
            "updateMask": "customMetadata",
        }
        for i in range(101)
    ]
    assert _status(raw.post(f"{V}/{document}/chunks:batchUpdate", json={"requests": change})) == BAD
    assert len(list(client.corpora.documents.chunks.list(document, page_size=100))) == 100


def test_results_count_1_to_100(client: Client, raw: httpx.Client, document: str) -> None:
    client.corpora.documents.chunks.batch_create(document, chunks=[f"Fact {i}." for i in range(12)])
    corpus = document.split("/documents/")[0]
    assert len(client.corpora.query(corpus, query="fact", results_count=100).relevant_chunks) == 12
    assert len(client.corpora.query(corpus, query="fact").relevant_chunks) == 10  # default
    assert len(client.corpora.query(corpus, query="fact", results_count=3).relevant_chunks) == 3
    over = {"query": "fact", "resultsCount": 101}
    assert _status(raw.post(f"{V}/{corpus}:query", json=over)) == BAD
    assert _status(raw.post(f"{V}/{document}:query", json=over)) == BAD


def test_embedding_batches_of_100(client: Client, raw: httpx.Client) -> None:
    model = next(
        m.name for m in client.models.list() if "embedContent" in m.supported_generation_methods
    )
    assert len(client.models.batch_embed_contents(model, requests=["x"] * 100).embeddings) == 100
    over = [{"model": model, "content": {"parts": [{"text": "x"}]}}] * 101
    response = raw.post(f"{V}/{model}:batchEmbedContents", json={"requests": over})
    assert _status(response) == BAD


# --- count limits: engine-only, with small limits so the test stays fast ------------------


@pytest.fixture
def small_engine(tmp_path: Path) -> Any:
    settings = EngineSettings(
        home=tmp_path / "small", max_corpora=2, max_documents_per_corpus=3, max_chunks_per_corpus=5
    )
    with Client(base_url=INPROCESS_BASE_URL, transport=sync_transport(settings=settings)) as client:
        yield client


def test_corpora_documents_and_chunks_per_corpus_limits(small_engine: Client) -> None:
    client = small_engine
    first = client.corpora.create(name=new_id()).name
    client.corpora.create(name=new_id())
    with pytest.raises(RateLimitError) as raised:  # a hard quota: not retried
        client.corpora.create(name=new_id())
    assert raised.value.retries_taken == 0
    assert first is not None
    docs = [client.corpora.documents.create(first, name=f"d{i}").name for i in range(3)]
    with pytest.raises(RateLimitError):
        client.corpora.documents.create(first, name="d3")
    assert docs[0] is not None and docs[1] is not None
    client.corpora.documents.chunks.batch_create(docs[0], chunks=["a", "b", "c", "d"])
    with pytest.raises(RateLimitError):  # crossing the limit rejects the whole batch
        client.corpora.documents.chunks.batch_create(docs[1], chunks=["e", "f"])
    assert list(client.corpora.documents.chunks.list(docs[1])) == []
    client.corpora.documents.chunks.create(docs[1], data="e")  # exactly at the limit
