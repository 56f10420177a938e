from __future__ import annotations

import re
from datetime import datetime

import httpx
import pytest

from ragkit.engine.settings import EngineSettings
from tests.engine.conftest import V, engine_client, error, make_corpus, make_document, ok

STAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")


def test_create_with_chosen_name_then_get(client: httpx.Client) -> None:
    created = make_corpus(client, "product-docs", displayName="Product docs")
    assert created["name"] == "corpora/product-docs"
    assert created["displayName"] == "Product docs"
    assert STAMP.match(created["createTime"]) and created["createTime"] == created["updateTime"]
    assert ok(client.get(f"{V}/corpora/product-docs")) == created


def test_generated_name_is_a_slug_of_the_display_name(client: httpx.Client) -> None:
    created = ok(client.post(f"{V}/corpora", json={"displayName": "Google for Developers Blog"}))
    assert re.fullmatch(r"corpora/google-for-developers-blog-[a-z0-9]{12}", created["name"])
    bare = ok(client.post(f"{V}/corpora", json={}))
    assert re.fullmatch(r"corpora/[a-z0-9]{12}", bare["name"])
    assert "displayName" not in bare  # empty fields are omitted, as proto3 JSON does


def test_duplicate_name_is_409(client: httpx.Client) -> None:
    make_corpus(client, "dup")
    error(client.post(f"{V}/corpora", json={"name": "corpora/dup"}), 409, "ALREADY_EXISTS")


@pytest.mark.parametrize(
    "name", ["corpora/Upper", "corpora/-dash", "corpora/dash-", "corpora/" + "a" * 41, "dup"]
)
def test_invalid_names_are_400(client: httpx.Client, name: str) -> None:
    body = error(client.post(f"{V}/corpora", json={"name": name}), 400, "INVALID_ARGUMENT")
    assert body["details"][0]["@type"] == "type.googleapis.com/google.rpc.BadRequest"


def test_id_of_exactly_40_characters_is_accepted(client: httpx.Client) -> None:
    make_corpus(client, "a" * 40)


def test_display_name_limit(client: httpx.Client) -> None:
    ok(client.post(f"{V}/corpora", json={"displayName": "x" * 512}))
    body = error(
        client.post(f"{V}/corpora", json={"displayName": "x" * 513}), 400, "INVALID_ARGUMENT"
    )
    assert "512" in body["message"]


def test_unknown_corpus_is_403_by_default(client: httpx.Client) -> None:
    error(client.get(f"{V}/corpora/nope"), 403, "PERMISSION_DENIED")
    error(client.get(f"{V}/corpora/nope/documents"), 403, "PERMISSION_DENIED")


def test_unknown_corpus_can_be_404(tmp_path: object, engine_settings: EngineSettings) -> None:

    with engine_client(engine_settings, missing_corpus_status="NOT_FOUND") as http:
        error(http.get(f"{V}/corpora/nope"), 404, "NOT_FOUND")


def test_patch_display_name_bumps_update_time(client: httpx.Client) -> None:
    created = make_corpus(client, "c1", displayName="old")
    updated = ok(
        client.patch(
            f"{V}/corpora/c1", params={"updateMask": "displayName"}, json={"displayName": "new"}
        )
    )
    assert updated["displayName"] == "new"
    assert updated["createTime"] == created["createTime"]
    assert datetime.fromisoformat(updated["updateTime"]) > datetime.fromisoformat(
        created["updateTime"]
    )
    snake = ok(
        client.patch(f"{V}/corpora/c1?update_mask=display_name", json={"displayName": "snake"})
    )
    assert snake["displayName"] == "snake"


@pytest.mark.parametrize("params", [{}, {"updateMask": "name"}, {"updateMask": "createTime"}])
def test_patch_needs_a_supported_mask(client: httpx.Client, params: dict[str, str]) -> None:
    make_corpus(client)
    error(
        client.patch(f"{V}/corpora/c1", params=params, json={"displayName": "x"}),
        400,
        "INVALID_ARGUMENT",
    )


def test_patch_body_name_must_match_url(client: httpx.Client) -> None:
    make_corpus(client)
    error(
        client.patch(
            f"{V}/corpora/c1?updateMask=displayName",
            json={"name": "corpora/other", "displayName": "x"},
        ),
        400,
        "INVALID_ARGUMENT",
    )


def test_delete_needs_force_when_not_empty(client: httpx.Client) -> None:
    make_corpus(client)
    make_document(client)
    error(client.delete(f"{V}/corpora/c1"), 400, "FAILED_PRECONDITION")
    assert ok(client.delete(f"{V}/corpora/c1", params={"force": "true"})) == {}
    error(client.get(f"{V}/corpora/c1"), 403, "PERMISSION_DENIED")
    make_corpus(client, "empty")
    assert ok(client.delete(f"{V}/corpora/empty")) == {}


def test_list_pages_in_creation_order_with_default_and_max_size(client: httpx.Client) -> None:
    names = [make_corpus(client, f"c{i:02d}")["name"] for i in range(10)]
    first = ok(client.get(f"{V}/corpora", params={"pageSize": 4}))
    assert [c["name"] for c in first["corpora"]] == names[:4]
    second = ok(
        client.get(f"{V}/corpora", params={"pageSize": 4, "pageToken": first["nextPageToken"]})
    )
    assert [c["name"] for c in second["corpora"]] == names[4:8]
    third = ok(
        client.get(f"{V}/corpora", params={"pageSize": 100, "pageToken": second["nextPageToken"]})
    )
    assert [c["name"] for c in third["corpora"]] == names[8:]
    assert "nextPageToken" not in third
    assert len(ok(client.get(f"{V}/corpora"))["corpora"]) == 10


def test_list_is_empty_object_when_nothing(client: httpx.Client) -> None:
    assert ok(client.get(f"{V}/corpora")) == {}


def test_negative_page_size_and_foreign_token_are_400(client: httpx.Client) -> None:
    for i in range(3):
        make_corpus(client, f"c{i}")
        make_document(client, f"c{i}", "d1")
        make_document(client, f"c{i}", "d2")
    error(client.get(f"{V}/corpora", params={"pageSize": -1}), 400, "INVALID_ARGUMENT")
    docs = ok(client.get(f"{V}/corpora/c0/documents", params={"pageSize": 1}))
    token = docs["nextPageToken"]
    ok(client.get(f"{V}/corpora/c0/documents", params={"pageToken": token}))
    error(
        client.get(f"{V}/corpora/c1/documents", params={"pageToken": token}),
        400,
        "INVALID_ARGUMENT",
    )
    error(client.get(f"{V}/corpora", params={"pageToken": token}), 400, "INVALID_ARGUMENT")
    error(client.get(f"{V}/corpora", params={"pageToken": "garbage"}), 400, "INVALID_ARGUMENT")


def test_corpus_count_limit(engine_settings: EngineSettings) -> None:

    with engine_client(engine_settings, max_corpora=2) as http:
        make_corpus(http, "a")
        make_corpus(http, "b")
        body = error(http.post(f"{V}/corpora", json={}), 429, "RESOURCE_EXHAUSTED")
        assert body["details"][0]["@type"].endswith("QuotaFailure")
        ok(http.delete(f"{V}/corpora/a"))
        make_corpus(http, "c")
