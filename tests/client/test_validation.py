"""Arguments are checked before anything is sent; errors name the argument and the rule."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from ragkit.client import Client
from ragkit.types import (
    Chunk,
    ChunkData,
    Content,
    EmbedContentRequest,
    GenerateContentRequest,
    GroundingPassage,
)
from tests.client.support import Recorder, refuse, sync_client

DOC = "corpora/c1/documents/d1"


@pytest.fixture
def client() -> Any:
    with sync_client(refuse) as client:
        yield client


BAD_NAMES: list[tuple[str, Callable[[Client], Any], str]] = [
    ("corpus get upper case", lambda c: c.corpora.get("My_Corpus"), "name"),
    ("corpus get empty", lambda c: c.corpora.get(""), "name"),
    ("corpus get document name", lambda c: c.corpora.get(DOC), "name"),
    ("corpus create dash edge", lambda c: c.corpora.create(name="-bad"), "name"),
    ("corpus create too long", lambda c: c.corpora.create(name="a" * 41), "name"),
    ("corpus delete", lambda c: c.corpora.delete("corpora/"), "name"),
    ("corpus update", lambda c: c.corpora.update("corpora/a/b", display_name="x"), "name"),
    ("corpus query", lambda c: c.corpora.query("corpora/A", query="q"), "name"),
    ("document get bare id", lambda c: c.corpora.documents.get("d1"), "name"),
    ("document create corpus", lambda c: c.corpora.documents.create("corpora/UP"), "corpus"),
    (
        "document create elsewhere",
        lambda c: c.corpora.documents.create("c1", name="corpora/c2/documents/d"),
        "name",
    ),
    ("document list", lambda c: c.corpora.documents.list("c 1"), "corpus"),
    ("document query", lambda c: c.corpora.documents.query("corpora/c1", query="q"), "name"),
    ("chunk get", lambda c: c.corpora.documents.chunks.get(f"{DOC}/chunks/"), "name"),
    (
        "chunk create document",
        lambda c: c.corpora.documents.chunks.create("c1", data="x"),
        "document",
    ),
    (
        "chunk create name",
        lambda c: c.corpora.documents.chunks.create(DOC, data="x", name="Bad"),
        "name",
    ),
    ("chunk list", lambda c: c.corpora.documents.chunks.list("corpora/c1"), "document"),
    ("chunk delete", lambda c: c.corpora.documents.chunks.delete(DOC), "name"),
    (
        "batch create elsewhere",
        lambda c: c.corpora.documents.chunks.batch_create(
            DOC,
            chunks=[
                Chunk(name="corpora/c1/documents/other/chunks/k", data=ChunkData(string_value="x"))
            ],
        ),
        "chunks[0].name",
    ),
    (
        "batch delete",
        lambda c: c.corpora.documents.chunks.batch_delete(DOC, names=["ok", "NOT OK"]),
        "names[1]",
    ),
    ("permission get", lambda c: c.corpora.permissions.get("corpora/c1/permissions"), "name"),
    ("permission create", lambda c: c.corpora.permissions.create("", role="READER"), "corpus"),
    ("operation get", lambda c: c.corpora.operations.get("operations/x"), "name"),
    ("model get", lambda c: c.models.get("models/a/b"), "name"),
    ("model embed", lambda c: c.models.embed_content("", content="x"), "model"),
    (
        "retriever source",
        lambda c: c.models.generate_answer(
            contents="q", answer_style="VERBOSE", semantic_retriever="corpora/c1/chunks/x"
        ),
        "semantic_retriever",
    ),
]  # fmt: skip


@pytest.mark.parametrize(
    ("call", "argument"), [case[1:] for case in BAD_NAMES], ids=[case[0] for case in BAD_NAMES]
)
def test_bad_resource_names_fail_before_sending(client: Client, call: Any, argument: str) -> None:
    with pytest.raises(ValueError) as raised:
        call(client)
    assert argument in str(raised.value)


LIMITS: list[tuple[str, Callable[[Client], Any], str]] = [
    (
        "results_count over 100",
        lambda c: c.corpora.query("c1", query="q", results_count=101),
        "resultsCount",
    ),
    ("negative page size", lambda c: c.corpora.list(page_size=-1), "page_size"),
    (
        "101 chunks in a batch",
        lambda c: c.corpora.documents.chunks.batch_create(DOC, chunks=["x"] * 101),
        "the limit is 100",
    ),
    (
        "empty batch",
        lambda c: c.corpora.documents.chunks.batch_create(DOC, chunks=[]),
        "must not be empty",
    ),
    (
        "chunk over 2043 tokens",
        lambda c: c.corpora.documents.chunks.create(DOC, data="word " * 2100),
        "the limit is 2043",
    ),
    (
        "21 metadata entries",
        lambda c: c.corpora.documents.create("c1", custom_metadata={f"k{i}": i for i in range(21)}),
        "the limit is 20",
    ),
    (
        "metadata string over 256",
        lambda c: c.corpora.documents.create("c1", custom_metadata={"k": "x" * 257}),
        "256",
    ),
    ("display name over 512", lambda c: c.corpora.create(display_name="x" * 513), "512"),
    ("update with no field", lambda c: c.corpora.update("c1"), "at least one field"),
    (
        "batch update sets nothing",
        lambda c: c.corpora.documents.chunks.batch_update(
            DOC, chunks=[Chunk(name=f"{DOC}/chunks/k")]
        ),
        "sets no field",
    ),
    (
        "two grounding sources",
        lambda c: c.models.generate_answer(
            contents="q", answer_style="VERBOSE", semantic_retriever="c1",
            inline_passages=[GroundingPassage(id="1", content=Content.from_text("p"))],
        ),
        "exactly one grounding source",
    ),
    (
        "no grounding source",
        lambda c: c.models.generate_answer(contents="q", answer_style="VERBOSE"),
        "exactly one grounding source",
    ),
    (
        "101 embeddings",
        lambda c: c.models.batch_embed_contents("m", requests=["x"] * 101),
        "at most 100 requests",
    ),
    (
        "embed request for another model",
        lambda c: c.models.batch_embed_contents(
            "m",
            requests=[EmbedContentRequest(model="models/other", content=Content.from_text("x"))],
        ),
        "this batch is for 'models/m'",
    ),
    (
        "count tokens both inputs",
        lambda c: c.models.count_tokens(
            "m", contents="x",
            generate_content_request=GenerateContentRequest(contents=[Content.from_text("x")]),
        ),
        "never both",
    ),
]  # fmt: skip


@pytest.mark.parametrize(
    ("call", "message"), [case[1:] for case in LIMITS], ids=[case[0] for case in LIMITS]
)
def test_limits_and_shapes_fail_before_sending(client: Client, call: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("[", r"\[").replace("]", r"\]")):
        call(client)


def test_limits_exactly_at_the_edge_are_sent() -> None:
    recorder = Recorder([{}])
    with sync_client(recorder) as client:
        client.corpora.query("c1", query="q", results_count=100)
        client.corpora.documents.chunks.batch_create(DOC, chunks=["x"] * 100)
        client.corpora.documents.create("c1", custom_metadata={f"k{i}": i for i in range(20)})
        client.corpora.create(name="a" * 40, display_name="x" * 512)
    assert len(recorder.requests) == 4
    assert len(recorder.requests[1].read()) > 0
