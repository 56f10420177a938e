from __future__ import annotations

import re

import httpx
import pytest

from ragkit.engine.settings import EngineSettings
from tests.engine.conftest import (
    V,
    add_chunks,
    engine_client,
    error,
    make_corpus,
    make_document,
    ok,
)

META = [
    {"key": "url", "stringValue": "https://example.com/security"},
    {"key": "year", "numericValue": 2024},
    {"key": "tags", "stringListValue": {"values": ["a", "b"]}},
]


@pytest.fixture(autouse=True)
def _corpus(client: httpx.Client) -> None:
    make_corpus(client)


def test_create_get_round_trip_with_metadata(client: httpx.Client) -> None:
    created = ok(
        client.post(
            f"{V}/corpora/c1/documents",
            json={"displayName": "Security guide", "customMetadata": META},
        )
    )
    assert re.fullmatch(r"corpora/c1/documents/security-guide-[a-z0-9]{12}", created["name"])
    assert created["customMetadata"] == META
    assert ok(client.get(f"{V}/{created['name']}")) == created


def test_float32_metadata_values(client: httpx.Client) -> None:
    meta = [
        {"key": "a", "numericValue": 0.1},
        {"key": "b", "numericValue": 16777217},
        {"key": "c", "numericValue": 0},
    ]
    created = make_document(client, customMetadata=meta)
    assert [m["numericValue"] for m in created["customMetadata"]] == [0.1, 16777216, 0]
    error(
        client.post(
            f"{V}/corpora/c1/documents",
            json={"customMetadata": [{"key": "x", "numericValue": 1e39}]},
        ),
        400,
        "INVALID_ARGUMENT",
    )


def test_name_must_be_under_the_url_parent(client: httpx.Client) -> None:
    make_corpus(client, "c2")
    error(
        client.post(f"{V}/corpora/c1/documents", json={"name": "corpora/c2/documents/d"}),
        400,
        "INVALID_ARGUMENT",
    )


def test_missing_document_is_404(client: httpx.Client) -> None:
    error(client.get(f"{V}/corpora/c1/documents/nope"), 404, "NOT_FOUND")


def test_duplicate_document_is_409(client: httpx.Client) -> None:
    make_document(client)
    error(
        client.post(f"{V}/corpora/c1/documents", json={"name": "corpora/c1/documents/d1"}),
        409,
        "ALREADY_EXISTS",
    )


@pytest.mark.parametrize(
    ("meta", "fragment"),
    [
        ([{"key": f"k{i}", "stringValue": "v"} for i in range(21)], "20"),
        ([{"key": "k", "stringValue": "x" * 257}], "256"),
        ([{"key": "k", "stringListValue": {"values": ["v"] * 11}}], "10"),
        ([{"key": "k"}], "exactly one"),
        ([{"key": "k", "stringValue": "a", "numericValue": 1}], "exactly one"),
    ],
)
def test_metadata_limits_over_the_edge(
    client: httpx.Client, meta: list[object], fragment: str
) -> None:
    body = error(
        client.post(f"{V}/corpora/c1/documents", json={"customMetadata": meta}),
        400,
        "INVALID_ARGUMENT",
    )
    assert fragment in body["message"]


def test_metadata_limits_at_the_edge(client: httpx.Client) -> None:
    meta = [{"key": f"k{i}", "stringValue": "x" * 256} for i in range(19)]
    meta.append({"key": "list", "stringListValue": {"values": ["v"] * 10}})
    assert len(make_document(client, customMetadata=meta)["customMetadata"]) == 20


def test_patch_replaces_metadata_and_display_name(client: httpx.Client) -> None:
    make_document(client, displayName="old", customMetadata=META)
    updated = ok(
        client.patch(
            f"{V}/corpora/c1/documents/d1",
            params={"updateMask": "customMetadata"},
            json={"displayName": "ignored", "customMetadata": [{"key": "new", "stringValue": "v"}]},
        )
    )
    assert updated["displayName"] == "old"
    assert updated["customMetadata"] == [{"key": "new", "stringValue": "v"}]
    both = ok(
        client.patch(
            f"{V}/corpora/c1/documents/d1",
            params={"updateMask": "displayName,customMetadata"},
            json={"displayName": "new"},
        )
    )
    assert both["displayName"] == "new" and "customMetadata" not in both
    error(
        client.patch(f"{V}/corpora/c1/documents/d1", params={"updateMask": "name"}, json={}),
        400,
        "INVALID_ARGUMENT",
    )


def test_delete_needs_force_when_it_has_chunks(client: httpx.Client) -> None:
    make_document(client)
    add_chunks(client, "corpora/c1/documents/d1", "some text")
    error(client.delete(f"{V}/corpora/c1/documents/d1"), 400, "FAILED_PRECONDITION")
    assert ok(client.delete(f"{V}/corpora/c1/documents/d1?force=true")) == {}
    error(client.get(f"{V}/corpora/c1/documents/d1"), 404, "NOT_FOUND")
    make_document(client, document_id="empty")
    assert ok(client.delete(f"{V}/corpora/c1/documents/empty")) == {}


def test_list_documents_default_and_max_page_size(client: httpx.Client) -> None:
    names = [make_document(client, document_id=f"d{i:02d}")["name"] for i in range(25)]
    assert [d["name"] for d in ok(client.get(f"{V}/corpora/c1/documents"))["documents"]] == (
        names[:10]
    )
    clamped = ok(client.get(f"{V}/corpora/c1/documents", params={"pageSize": 1000}))
    assert len(clamped["documents"]) == 20  # above the maximum: clamped, not rejected
    rest = ok(
        client.get(
            f"{V}/corpora/c1/documents",
            params={"pageSize": 20, "pageToken": clamped["nextPageToken"]},
        )
    )
    assert [d["name"] for d in rest["documents"]] == names[20:]
    assert "nextPageToken" not in rest


def test_document_count_limit(engine_settings: EngineSettings) -> None:
    with engine_client(engine_settings, max_documents_per_corpus=3) as http:
        make_corpus(http)
        for i in range(3):  # exactly at the limit: accepted
            make_document(http, document_id=f"d{i}")
        error(http.post(f"{V}/corpora/c1/documents", json={}), 429, "RESOURCE_EXHAUSTED")
