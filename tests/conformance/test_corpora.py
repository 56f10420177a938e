"""corpora: create, get, list, update, delete (force), query (reference section 8)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from ragkit.client import AlreadyExistsError, Client, FailedPreconditionError
from tests.conformance.conftest import MISSING_CORPUS, new_id


def test_create_get_update_delete_round_trip(
    client: Client, make_corpus: Callable[..., str]
) -> None:
    corpus_id = new_id()
    name = make_corpus(name=corpus_id, display_name="First")
    assert name == f"corpora/{corpus_id}"
    got = client.corpora.get(corpus_id)  # a bare ID works too
    assert got.display_name == "First"
    assert got.create_time is not None and got.update_time is not None
    updated = client.corpora.update(name, display_name="Second")
    assert updated.display_name == "Second"
    assert updated.update_time is not None and updated.update_time >= got.update_time
    assert updated.create_time == got.create_time
    assert client.corpora.get(name).display_name == "Second"
    client.corpora.delete(name)
    with pytest.raises(MISSING_CORPUS):
        client.corpora.get(name)


def test_generated_name_comes_from_the_display_name(
    client: Client, make_corpus: Callable[..., str]
) -> None:
    name = make_corpus(name=None, display_name="Google for Developers Blog")
    corpus_id = name.removeprefix("corpora/")
    assert corpus_id.startswith("google-for-developers-blog-")
    assert len(corpus_id) <= 40


def test_a_duplicate_name_is_already_exists(client: Client, corpus: str) -> None:
    with pytest.raises(AlreadyExistsError) as raised:
        client.corpora.create(name=corpus)
    assert raised.value.status_code == 409
    assert raised.value.status == "ALREADY_EXISTS"


def test_an_unknown_corpus_is_403_or_404(client: Client) -> None:
    with pytest.raises(MISSING_CORPUS):
        client.corpora.get(new_id("missing"))


def test_list_shows_created_corpora_oldest_first(
    client: Client, make_corpus: Callable[..., str]
) -> None:
    made = [make_corpus(display_name=f"List {i}") for i in range(3)]
    listed = [c.name for c in client.corpora.list()]
    assert [n for n in listed if n in made] == made


def test_delete_without_force_refuses_a_non_empty_corpus(client: Client, corpus: str) -> None:
    client.corpora.documents.create(corpus, name="doc")
    with pytest.raises(FailedPreconditionError) as raised:
        client.corpora.delete(corpus)
    assert raised.value.status_code == 400
    client.corpora.get(corpus)  # still there
    client.corpora.delete(corpus, force=True)
    with pytest.raises(MISSING_CORPUS):
        client.corpora.get(corpus)


def test_query_returns_active_chunks_best_first(client: Client, corpus: str) -> None:
    doc = client.corpora.documents.create(corpus, name="keys", display_name="Keys").name
    assert doc is not None
    client.corpora.documents.chunks.batch_create(
        doc,
        chunks=[
            "Rotate API keys every 90 days and delete the old key.",
            "The cafeteria serves soup on Fridays.",
            "Never commit an API key to a public repository.",
        ],
    )
    result = client.corpora.query(corpus, query="How often should API keys be rotated?")
    hits = result.relevant_chunks
    assert 1 <= len(hits) <= 3
    scores = [hit.chunk_relevance_score for hit in hits]
    assert scores == sorted(scores, reverse=True)
    assert hits[0].chunk is not None and hits[0].chunk.data is not None
    assert "Rotate" in hits[0].chunk.data.string_value
    assert hits[0].chunk.name is not None and hits[0].chunk.name.startswith(f"{doc}/chunks/")


def test_query_with_no_chunks_is_empty(client: Client, corpus: str) -> None:
    assert client.corpora.query(corpus, query="anything").relevant_chunks == []


def test_operations_get_of_an_unknown_operation_is_not_found(client: Client, corpus: str) -> None:
    # The binding exists (2025 proto) but no documented method creates operations.
    with pytest.raises(MISSING_CORPUS):
        client.corpora.operations.get(f"{corpus}/operations/{new_id('op')}")
