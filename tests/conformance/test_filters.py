"""Metadata filters on corpora:query and documents:query (reference section 7).

One corpus, three documents and six chunks; each case names the chunks it must
return. Every operator appears, with AND across filters, OR within one, numeric
ranges on one key, document- and chunk-level keys, and type mismatches (empty).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import httpx
import pytest

from ragkit.client import Client, InvalidArgumentError
from ragkit.types import Chunk, ChunkData, Condition, CustomMetadata, MetadataFilter, Operator
from tests.conformance.conftest import Backend

DOCS = {
    "drama": {"genre": "drama", "year": 2018},
    "action": {"genre": "action", "year": 2021},
    "comedy": {"genre": "comedy"},
}
CHUNKS = {
    "c1": ("drama", {"year": 2016, "tags": ["featured", "classic"], "lang": "en"}),
    "c2": ("drama", {"year": 2019, "tags": ["new"]}),
    "c3": ("action", {"year": 2020, "tags": ["featured"]}),
    "c4": ("action", {"year": 2022, "lang": "fr"}),
    "c5": ("comedy", {"year": 2015, "tags": ["old"]}),
    "c6": ("comedy", {}),
}
ALL = set(CHUNKS)


def chunk_key(key: str) -> str:
    return f"chunk.custom_metadata.{key}"


def doc_key(key: str) -> str:
    return f"document.custom_metadata.{key}"


def cond(op: str, value: str | float) -> Condition:
    if isinstance(value, str):
        return Condition(operation=Operator(op), string_value=value)
    return Condition(operation=Operator(op), numeric_value=value)


def where(key: str, *conditions: Condition) -> MetadataFilter:
    return MetadataFilter(key=key, conditions=list(conditions))


def on_chunk(key: str, op: str, value: str | float) -> MetadataFilter:
    return where(chunk_key(key), cond(op, value))


def on_document(key: str, op: str, value: str | float) -> MetadataFilter:
    return where(doc_key(key), cond(op, value))


@dataclass
class Case:
    id: str
    filters: Sequence[MetadataFilter]
    expected: set[str]


CASES = [
    Case("LESS", [on_chunk("year", "LESS", 2019)], {"c1", "c5"}),
    Case("LESS_EQUAL", [on_chunk("year", "LESS_EQUAL", 2019)], {"c1", "c2", "c5"}),
    Case("EQUAL number", [on_chunk("year", "EQUAL", 2020)], {"c3"}),
    Case("GREATER_EQUAL", [on_chunk("year", "GREATER_EQUAL", 2020)], {"c3", "c4"}),
    Case("GREATER", [on_chunk("year", "GREATER", 2020)], {"c4"}),
    # A chunk without the key never matches, not even NOT_EQUAL (c6).
    Case("NOT_EQUAL number", [on_chunk("year", "NOT_EQUAL", 2020)], {"c1", "c2", "c4", "c5"}),
    Case("EQUAL string", [on_chunk("lang", "EQUAL", "en")], {"c1"}),
    Case("NOT_EQUAL string", [on_chunk("lang", "NOT_EQUAL", "en")], {"c4"}),
    Case("INCLUDES", [on_chunk("tags", "INCLUDES", "featured")], {"c1", "c3"}),
    Case("EXCLUDES", [on_chunk("tags", "EXCLUDES", "featured")], {"c2", "c5"}),
    Case(
        "OR within one filter",
        [where(doc_key("genre"), cond("EQUAL", "drama"), cond("EQUAL", "action"))],
        {"c1", "c2", "c3", "c4"},
    ),
    Case(
        "AND across filters",
        [on_document("genre", "EQUAL", "drama"), on_chunk("year", "GREATER", 2017)],
        {"c2"},
    ),
    Case(
        "numeric range as two filters on one key",
        [on_chunk("year", "GREATER", 2015), on_chunk("year", "LESS_EQUAL", 2020)],
        {"c1", "c2", "c3"},
    ),
    Case("document-level number", [on_document("year", "GREATER_EQUAL", 2020)], {"c3", "c4"}),
    Case(
        "document, chunk and list together",
        [
            where(doc_key("genre"), cond("EQUAL", "drama"), cond("EQUAL", "action")),
            on_chunk("year", "GREATER", 2015),
            on_chunk("year", "LESS_EQUAL", 2020),
            on_chunk("tags", "INCLUDES", "featured"),
        ],
        {"c1", "c3"},
    ),
    Case("number against a string entry", [on_chunk("lang", "EQUAL", 1)], set()),
    Case("string against a number entry", [on_chunk("year", "EQUAL", "2020")], set()),
    Case("EQUAL against a list entry", [on_chunk("tags", "EQUAL", "featured")], set()),
    Case("INCLUDES against a string entry", [on_chunk("lang", "INCLUDES", "en")], set()),
    Case("a key nobody has", [on_chunk("nope", "EQUAL", "x")], set()),
]


@pytest.fixture
def filter_corpus(client: Client, corpus: str) -> str:
    for doc_id, metadata in DOCS.items():
        client.corpora.documents.create(corpus, name=doc_id, custom_metadata=metadata)
    for doc_id in DOCS:
        parent = f"{corpus}/documents/{doc_id}"
        chunks = [
            Chunk(
                name=f"{parent}/chunks/{chunk_id}",
                data=ChunkData(string_value=f"A {doc_id} story, part {chunk_id}."),
                custom_metadata=[CustomMetadata.of(k, v) for k, v in metadata.items()],
            )
            for chunk_id, (owner, metadata) in CHUNKS.items()
            if owner == doc_id
        ]
        client.corpora.documents.chunks.batch_create(parent, chunks=chunks)
    return corpus


def _ids(client: Client, corpus: str, filters: Sequence[MetadataFilter]) -> set[str]:
    result = client.corpora.query(
        corpus, query="a story", metadata_filters=filters, results_count=100
    )
    return {
        hit.chunk.name.rsplit("/", 1)[1]
        for hit in result.relevant_chunks
        if hit.chunk is not None and hit.chunk.name is not None
    }


def test_without_filters_every_chunk_is_found(client: Client, filter_corpus: str) -> None:
    assert _ids(client, filter_corpus, []) == ALL


def test_every_operator_and_the_and_or_rules(client: Client, filter_corpus: str) -> None:
    wrong = {}
    for case in CASES:
        got = _ids(client, filter_corpus, case.filters)
        if got != case.expected:
            wrong[case.id] = (sorted(got), sorted(case.expected))
    assert not wrong, wrong


def test_document_query_takes_chunk_filters(client: Client, filter_corpus: str) -> None:
    result = client.corpora.documents.query(
        f"{filter_corpus}/documents/drama",
        query="a story",
        metadata_filters=[on_chunk("year", "GREATER", 2017)],
        results_count=100,
    )
    names = [hit.chunk.name for hit in result.relevant_chunks if hit.chunk is not None]
    assert names == [f"{filter_corpus}/documents/drama/chunks/c2"]


def test_document_query_refuses_document_filters(
    local_backend: Backend, client: Client, filter_corpus: str
) -> None:
    with pytest.raises(InvalidArgumentError):
        client.corpora.documents.query(
            f"{filter_corpus}/documents/drama",
            query="a story",
            metadata_filters=[on_document("genre", "EQUAL", "drama")],
        )


def test_string_and_on_one_key_is_refused(
    local_backend: Backend, client: Client, filter_corpus: str
) -> None:
    # The reference: AND on the same key is supported for numbers only.
    with pytest.raises(InvalidArgumentError):
        _ids(
            client,
            filter_corpus,
            [
                where(chunk_key("lang"), cond("EQUAL", "en")),
                where(chunk_key("lang"), cond("EQUAL", "fr")),
            ],
        )


def test_malformed_conditions_are_400(raw: httpx.Client, corpus: str) -> None:
    for condition in (
        {"operation": "OPERATOR_UNSPECIFIED", "numericValue": 1},
        {"operation": "EQUAL"},
        {"operation": "EQUAL", "numericValue": 1, "stringValue": "x"},
    ):
        body = {
            "query": "q",
            "metadataFilters": [{"key": chunk_key("year"), "conditions": [condition]}],
        }
        response = raw.post(f"/v1beta/{corpus}:query", json=body)
        assert response.status_code == 400, condition
