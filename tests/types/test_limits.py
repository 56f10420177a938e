"""Every per-message limit: exactly at the edge accepted, one over rejected, with a message
naming the field and the number."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from pydantic import ValidationError

from ragkit.tokens import count_tokens
from ragkit.types import (
    BatchCreateChunksRequest,
    BatchDeleteChunksRequest,
    BatchEmbedContentsRequest,
    BatchUpdateChunksRequest,
    Chunk,
    ChunkData,
    Content,
    Corpus,
    CreateChunkRequest,
    CustomMetadata,
    DeleteChunkRequest,
    Document,
    EmbedContentRequest,
    ListChunksRequest,
    QueryCorpusRequest,
    QueryDocumentRequest,
    StringList,
    UpdateChunkRequest,
    limits,
)

PARENT = "corpora/c/documents/d"


def _metadata(count: int) -> list[CustomMetadata]:
    return [CustomMetadata(key=f"k{i}", numeric_value=i) for i in range(count)]


def _create(text: str = "x") -> CreateChunkRequest:
    return CreateChunkRequest(parent=PARENT, chunk=Chunk(data=ChunkData(string_value=text)))


def _update(text: str = "x", index: int = 0) -> UpdateChunkRequest:
    chunk = Chunk(name=f"{PARENT}/chunks/c{index}", data=ChunkData(string_value=text))
    return UpdateChunkRequest(chunk=chunk, update_mask=["data"])


def _text_with_tokens(count: int) -> str:
    text = "x" + " x" * (count - 1)
    assert count_tokens(text) == count  # the precondition the edge tests rely on
    return text


EdgeCase = tuple[str, Callable[[int], Any], int, str]

EDGES: list[EdgeCase] = [
    (
        "document metadata",
        lambda n: Document(custom_metadata=_metadata(n)),
        20,
        "customMetadata has {n} entries; the limit is 20",
    ),
    (
        "chunk metadata",
        lambda n: Chunk(custom_metadata=_metadata(n)),
        20,
        "customMetadata has {n} entries; the limit is 20",
    ),
    (
        "string list values",
        lambda n: StringList(values=["v"] * n),
        10,
        "stringListValue.values has {n} entries; the limit is 10",
    ),
    (
        "string value chars",
        lambda n: CustomMetadata(key="k", string_value="s" * n),
        256,
        "string_value cannot be more than 256 characters long.",
    ),
    (
        "corpus display name",
        lambda n: Corpus(display_name="d" * n),
        512,
        "displayName is {n} characters long; the limit is 512",
    ),
    (
        "document display name",
        lambda n: Document(display_name="d" * n),
        512,
        "displayName is {n} characters long; the limit is 512",
    ),
    (
        "batch create",
        lambda n: BatchCreateChunksRequest(requests=[_create()] * n),
        100,
        "requests has {n} entries; the limit is 100",
    ),
    (
        "batch update",
        lambda n: BatchUpdateChunksRequest(requests=[_update(index=i) for i in range(n)]),
        100,
        "requests has {n} entries; the limit is 100",
    ),
    (
        "embed batch",
        lambda n: BatchEmbedContentsRequest(
            requests=[EmbedContentRequest(content=Content.from_text("t"))] * n
        ),
        100,
        "at most 100 requests can be in one batch",
    ),
    (
        "corpus query results",
        lambda n: QueryCorpusRequest(query="q", results_count=n),
        100,
        "resultsCount must be between 1 and 100 (got {n})",
    ),
    (
        "document query results",
        lambda n: QueryDocumentRequest(query="q", results_count=n),
        100,
        "resultsCount must be between 1 and 100 (got {n})",
    ),
    (
        "chunk name id length",
        lambda n: Chunk(name=f"{PARENT}/chunks/{'a' * n}"),
        40,
        "is not a valid resource name",
    ),
]


@pytest.mark.parametrize(
    ("build", "limit", "message"),
    [pytest.param(build, limit, message, id=label) for label, build, limit, message in EDGES],
)
def test_limit_edge(build: Callable[[int], Any], limit: int, message: str) -> None:
    build(limit)  # exactly at the limit: accepted
    with pytest.raises(ValidationError) as caught:
        build(limit + 1)
    assert message.format(n=limit + 1) in str(caught.value)


def test_limit_constants_match_the_reference() -> None:
    assert (limits.MAX_CHUNK_TOKENS, limits.MAX_BATCH_REQUESTS, limits.MAX_CUSTOM_METADATA) == (
        2043,
        100,
        20,
    )
    assert (limits.MAX_STRING_LIST_VALUES, limits.MAX_STRING_VALUE_CHARS) == (10, 256)
    assert (limits.MAX_DISPLAY_NAME_CHARS, limits.MAX_ID_CHARS) == (512, 40)
    assert (limits.MAX_DOCUMENTS_PER_CORPUS, limits.MAX_CHUNKS_PER_CORPUS) == (10_000, 1_000_000)
    pages = (
        limits.DEFAULT_CORPORA_PAGE_SIZE,
        limits.MAX_CORPORA_PAGE_SIZE,
        limits.DEFAULT_DOCUMENTS_PAGE_SIZE,
        limits.MAX_DOCUMENTS_PAGE_SIZE,
        limits.DEFAULT_CHUNKS_PAGE_SIZE,
        limits.MAX_CHUNKS_PAGE_SIZE,
        limits.DEFAULT_PERMISSIONS_PAGE_SIZE,
        limits.MAX_PERMISSIONS_PAGE_SIZE,
    )
    assert pages == (10, 20, 10, 20, 10, 100, 10, 1000)
    assert (limits.DEFAULT_RESULTS_COUNT, limits.MAX_RESULTS_COUNT, limits.MAX_EMBED_BATCH) == (
        10,
        100,
        100,
    )


@pytest.mark.parametrize("build", [_create, _update])
def test_chunk_token_limit_on_create_and_update(build: Callable[[str], Any]) -> None:
    build(_text_with_tokens(2043))
    with pytest.raises(
        ValidationError, match=r"data\.stringValue has 2044 tokens; the limit is 2043"
    ):
        build(_text_with_tokens(2044))


def test_token_limit_counts_tokens_not_characters() -> None:
    # 1,000 characters but well over 2,043 tokens: the byte-length shortcut must not skip it.
    text = "\U0001f600\U0001f9e0" * 500
    assert len(text) < 2043 < count_tokens(text)
    with pytest.raises(ValidationError, match="tokens; the limit is 2043"):
        _create(text)


def test_token_limit_is_checked_inside_batches_with_the_path() -> None:
    texts = ["a", "b", _text_with_tokens(2044)]
    body = {"requests": [{"parent": PARENT, "chunk": {"data": {"stringValue": t}}} for t in texts]}
    with pytest.raises(ValidationError) as caught:
        BatchCreateChunksRequest.model_validate(body)
    [error] = caught.value.errors()
    assert error["loc"] == ("requests", 2, "chunk")
    assert "2044 tokens; the limit is 2043" in error["msg"]


def test_reading_a_long_chunk_is_not_a_request() -> None:
    # Responses stay cheap and lenient: a Chunk on its own is not token-checked.
    text = _text_with_tokens(2044)
    assert Chunk(data=ChunkData(string_value=text)).data is not None


def test_empty_batches_are_rejected() -> None:
    for build in (
        lambda: BatchCreateChunksRequest(requests=[]),
        lambda: BatchUpdateChunksRequest(requests=[]),
        lambda: BatchDeleteChunksRequest(requests=[]),
        lambda: BatchEmbedContentsRequest(requests=[]),
    ):
        with pytest.raises(ValidationError, match="requests must not be empty"):
            build()


def test_batch_delete_has_no_documented_maximum() -> None:
    names = [DeleteChunkRequest(name=f"{PARENT}/chunks/c{i}") for i in range(250)]
    assert len(BatchDeleteChunksRequest(requests=names).requests) == 250


def test_results_count_zero_means_default_and_negative_is_rejected() -> None:
    assert QueryCorpusRequest(query="q", results_count=0).results_count is None
    assert QueryCorpusRequest(query="q", results_count=1).results_count == 1
    with pytest.raises(ValidationError, match=r"resultsCount must be between 1 and 100 \(got -1\)"):
        QueryCorpusRequest(query="q", results_count=-1)


def test_page_size_may_exceed_the_maximum_but_not_be_negative() -> None:
    # Clamping a large page size is the server's decision, not the model's.
    assert ListChunksRequest(page_size=0).page_size == 0
    assert ListChunksRequest(page_size=5000).page_size == 5000
    with pytest.raises(ValidationError, match=r"pageSize must not be negative \(got -1\)"):
        ListChunksRequest(page_size=-1)


def test_create_chunk_requires_data() -> None:
    with pytest.raises(ValidationError, match="data is required to create a chunk"):
        CreateChunkRequest(parent=PARENT, chunk=Chunk())


def test_batch_update_requires_chunk_names() -> None:
    nameless = UpdateChunkRequest(
        chunk=Chunk(data=ChunkData(string_value="x")), update_mask=["data"]
    )
    with pytest.raises(ValidationError, match=r"requests\[1\]\.chunk\.name is required"):
        BatchUpdateChunksRequest(requests=[_update(), nameless])
