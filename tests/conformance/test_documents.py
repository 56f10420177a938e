"""corpora.documents: create, get, list, update, delete (force), query (section 9)."""

from __future__ import annotations

import pytest

from ragkit.client import AlreadyExistsError, Client, FailedPreconditionError, NotFoundError
from ragkit.types import CustomMetadata


def test_document_round_trip_with_metadata(client: Client, corpus: str) -> None:
    created = client.corpora.documents.create(
        corpus,
        name="security-guide",
        display_name="Security guide",
        custom_metadata={"url": "https://example.com/security", "year": 2024, "tags": ["a", "b"]},
    )
    name = f"{corpus}/documents/security-guide"
    assert created.name == name
    got = client.corpora.documents.get(name)
    assert {m.key: m.value for m in got.custom_metadata} == {
        "url": "https://example.com/security",
        "year": 2024.0,
        "tags": ["a", "b"],
    }
    renamed = client.corpora.documents.update(name, display_name="Guide")
    assert renamed.display_name == "Guide"
    assert len(renamed.custom_metadata) == 3  # not in the mask: untouched
    replaced = client.corpora.documents.update(
        name, custom_metadata=[CustomMetadata.of("year", 2025)]
    )
    assert [(m.key, m.value) for m in replaced.custom_metadata] == [("year", 2025.0)]
    assert replaced.display_name == "Guide"
    client.corpora.documents.delete(name)
    with pytest.raises(NotFoundError):
        client.corpora.documents.get(name)


def test_generated_document_name(client: Client, corpus: str) -> None:
    doc = client.corpora.documents.create(corpus, display_name="Release Notes 2024")
    assert doc.name is not None
    doc_id = doc.name.removeprefix(f"{corpus}/documents/")
    assert doc_id.startswith("release-notes-2024-")
    assert len(doc_id) <= 40


def test_duplicate_document_is_already_exists(client: Client, document: str) -> None:
    corpus = document.split("/documents/")[0]
    with pytest.raises(AlreadyExistsError):
        client.corpora.documents.create(corpus, name=document)


def test_list_documents_in_creation_order(client: Client, corpus: str) -> None:
    for doc_id in ("d-1", "d-2", "d-3"):
        client.corpora.documents.create(corpus, name=doc_id)
    names = [d.name for d in client.corpora.documents.list(corpus)]
    assert names == [f"{corpus}/documents/d-{i}" for i in (1, 2, 3)]


def test_delete_document_with_chunks_needs_force(client: Client, document: str) -> None:
    client.corpora.documents.chunks.create(document, data="A passage.")
    with pytest.raises(FailedPreconditionError):
        client.corpora.documents.delete(document)
    client.corpora.documents.delete(document, force=True)
    with pytest.raises(NotFoundError):
        client.corpora.documents.get(document)


def test_document_query_searches_only_that_document(client: Client, corpus: str) -> None:
    a = client.corpora.documents.create(corpus, name="a").name
    b = client.corpora.documents.create(corpus, name="b").name
    assert a is not None and b is not None
    client.corpora.documents.chunks.create(a, data="Bridges are built from steel and concrete.")
    client.corpora.documents.chunks.create(b, data="Steel bridges need regular painting.")
    hits = client.corpora.documents.query(b, query="steel bridges", results_count=100)
    names = [hit.chunk.name for hit in hits.relevant_chunks if hit.chunk is not None]
    assert names and all(name is not None and name.startswith(f"{b}/chunks/") for name in names)
