from __future__ import annotations

import re
import time

import httpx
import pytest

from ragkit.engine.settings import EngineSettings
from ragkit.types.limits import MAX_CHUNK_TOKENS
from tests.engine.conftest import (
    V,
    add_chunks,
    engine_client,
    error,
    make_corpus,
    make_document,
    ok,
)

DOC = "corpora/c1/documents/d1"


@pytest.fixture(autouse=True)
def _document(client: httpx.Client) -> None:
    make_corpus(client)
    make_document(client)


def _create(name: str | None = None, text: str = "text", **chunk: object) -> dict[str, object]:
    body: dict[str, object] = {"data": {"stringValue": text}, **chunk}
    if name:
        body["name"] = f"{DOC}/chunks/{name}"
    return {"parent": DOC, "chunk": body}


def _names(client: httpx.Client) -> list[str]:
    listed = ok(client.get(f"{V}/{DOC}/chunks", params={"pageSize": 100}))
    return [c["name"] for c in listed.get("chunks", [])]


def test_batch_create_named_and_generated_in_request_order(client: httpx.Client) -> None:
    meta = [
        {"key": "section", "stringValue": "keys"},
        {"key": "tags", "stringListValue": {"values": ["basics", "auth"]}},
        {"key": "page", "numericValue": 1},
    ]
    body = ok(
        client.post(
            f"{V}/{DOC}/chunks:batchCreate",
            json={
                "requests": [
                    _create("intro", "API keys identify a project.", customMetadata=meta),
                    _create(None, "Rotate keys every 90 days."),
                ]
            },
        )
    )
    first, second = body["chunks"]
    assert first["name"] == f"{DOC}/chunks/intro"
    assert first["customMetadata"] == meta
    assert first["state"] == "STATE_ACTIVE"
    assert re.fullmatch(rf"{DOC}/chunks/[a-z0-9]{{12}}", second["name"])
    assert _names(client) == [first["name"], second["name"]]
    assert ok(client.get(f"{V}/{first['name']}")) == first


def test_single_create_and_delete(client: httpx.Client) -> None:
    created = ok(client.post(f"{V}/{DOC}/chunks", json={"data": {"stringValue": "hello"}}))
    assert created["data"] == {"stringValue": "hello"}
    assert ok(client.delete(f"{V}/{created['name']}")) == {}
    error(client.get(f"{V}/{created['name']}"), 404, "NOT_FOUND")
    error(client.post(f"{V}/{DOC}/chunks", json={}), 400, "INVALID_ARGUMENT")


def test_batch_with_one_bad_item_writes_nothing(client: httpx.Client) -> None:
    add_chunks(client, DOC, "existing")
    existing = _names(client)
    bad_items = [
        [_create("a"), _create("a")],  # duplicate in the batch
        [
            _create("b"),
            {"parent": "corpora/c1/documents/other", "chunk": {"data": {"stringValue": "x"}}},
        ],  # wrong parent
        [_create("c"), _create("d", customMetadata=[{"key": "k", "stringValue": "x" * 257}])],
        [_create("e"), _create(existing[0].rsplit("/", 1)[1])],  # already exists: 409
    ]
    statuses = []
    for requests in bad_items:
        response = client.post(f"{V}/{DOC}/chunks:batchCreate", json={"requests": requests})
        statuses.append(response.status_code)
    assert statuses == [400, 400, 400, 409]
    assert _names(client) == existing


def test_batch_size_limits(client: httpx.Client) -> None:
    at_limit = [_create(None, f"t{i}") for i in range(100)]
    assert (
        len(ok(client.post(f"{V}/{DOC}/chunks:batchCreate", json={"requests": at_limit}))["chunks"])
        == 100
    )
    body = error(
        client.post(f"{V}/{DOC}/chunks:batchCreate", json={"requests": [*at_limit, _create(None)]}),
        400,
        "INVALID_ARGUMENT",
    )
    assert "100" in body["message"]
    error(
        client.post(f"{V}/{DOC}/chunks:batchCreate", json={"requests": []}), 400, "INVALID_ARGUMENT"
    )


def test_chunk_token_limit(client: httpx.Client) -> None:
    words = "alpha " * MAX_CHUNK_TOKENS  # one token per " alpha"... measure exactly below
    from ragkit.tokens import count_tokens

    text = words
    while count_tokens(text) > MAX_CHUNK_TOKENS:
        text = text[:-6]
    assert count_tokens(text) == MAX_CHUNK_TOKENS
    ok(client.post(f"{V}/{DOC}/chunks", json={"data": {"stringValue": text}}))
    body = error(
        client.post(f"{V}/{DOC}/chunks", json={"data": {"stringValue": text + " alpha"}}),
        400,
        "INVALID_ARGUMENT",
    )
    assert "2043" in body["message"]


def test_list_chunks_pages_of_up_to_100(client: httpx.Client) -> None:
    for start in (0, 100):
        ok(
            client.post(
                f"{V}/{DOC}/chunks:batchCreate",
                json={"requests": [_create(f"k{start + i:03d}") for i in range(100)]},
            )
        )
    default = ok(client.get(f"{V}/{DOC}/chunks"))
    assert len(default["chunks"]) == 10
    big = ok(client.get(f"{V}/{DOC}/chunks", params={"pageSize": 500}))
    assert len(big["chunks"]) == 100
    seen = [c["name"] for c in big["chunks"]]
    token = big["nextPageToken"]
    while token:
        page = ok(client.get(f"{V}/{DOC}/chunks", params={"pageSize": 100, "pageToken": token}))
        seen += [c["name"] for c in page["chunks"]]
        token = page.get("nextPageToken")
    assert seen == [f"{DOC}/chunks/k{i:03d}" for i in range(200)]


def test_batch_update_data_and_metadata(client: httpx.Client) -> None:
    first, second = add_chunks(client, DOC, "one", "two")
    body = ok(
        client.post(
            f"{V}/{DOC}/chunks:batchUpdate",
            json={
                "requests": [
                    {
                        "chunk": {"name": first["name"], "data": {"stringValue": "uno"}},
                        "updateMask": "data",
                    },
                    {
                        "chunk": {
                            "name": second["name"],
                            "customMetadata": [{"key": "reviewed", "stringValue": "yes"}],
                        },
                        "updateMask": "customMetadata",
                    },
                ]
            },
        )
    )
    uno, two = body["chunks"]
    assert uno["data"]["stringValue"] == "uno" and uno["createTime"] == first["createTime"]
    assert uno["updateTime"] > first["updateTime"]
    assert two["data"]["stringValue"] == "two"
    assert two["customMetadata"] == [{"key": "reviewed", "stringValue": "yes"}]
    patched = ok(
        client.patch(
            f"{V}/{first['name']}",
            params={"updateMask": "data.string_value"},
            json={"data": {"stringValue": "eins"}},
        )
    )
    assert patched["data"]["stringValue"] == "eins"


def test_batch_update_is_atomic(client: httpx.Client) -> None:
    (first,) = add_chunks(client, DOC, "one")
    response = client.post(
        f"{V}/{DOC}/chunks:batchUpdate",
        json={
            "requests": [
                {
                    "chunk": {"name": first["name"], "data": {"stringValue": "changed"}},
                    "updateMask": "data",
                },
                {
                    "chunk": {"name": f"{DOC}/chunks/missing", "data": {"stringValue": "x"}},
                    "updateMask": "data",
                },
            ]
        },
    )
    error(response, 404, "NOT_FOUND")
    assert ok(client.get(f"{V}/{first['name']}"))["data"]["stringValue"] == "one"
    error(
        client.post(
            f"{V}/{DOC}/chunks:batchUpdate",
            json={"requests": [{"chunk": {"name": first["name"]}, "updateMask": "state"}]},
        ),
        400,
        "INVALID_ARGUMENT",
    )
    error(
        client.post(
            f"{V}/{DOC}/chunks:batchUpdate",
            json={"requests": [{"chunk": {"name": first["name"]}, "updateMask": "data"}]},
        ),
        400,
        "INVALID_ARGUMENT",
    )


def test_batch_delete_is_atomic(client: httpx.Client) -> None:
    first, second, third = add_chunks(client, DOC, "a", "b", "c")
    error(
        client.post(
            f"{V}/{DOC}/chunks:batchDelete",
            json={"requests": [{"name": first["name"]}, {"name": f"{DOC}/chunks/missing"}]},
        ),
        404,
        "NOT_FOUND",
    )
    assert len(_names(client)) == 3
    assert (
        ok(
            client.post(
                f"{V}/{DOC}/chunks:batchDelete",
                json={"requests": [{"name": first["name"]}, {"name": third["name"]}]},
            )
        )
        == {}
    )
    assert _names(client) == [second["name"]]


def test_chunk_count_limit(engine_settings: EngineSettings) -> None:
    with engine_client(engine_settings, max_chunks_per_corpus=5) as http:
        make_corpus(http)
        make_document(http)
        make_document(http, document_id="d2")
        add_chunks(http, DOC, "1", "2", "3")
        add_chunks(http, "corpora/c1/documents/d2", "4", "5")  # exactly at the limit
        error(
            http.post(f"{V}/{DOC}/chunks", json={"data": {"stringValue": "6"}}),
            429,
            "RESOURCE_EXHAUSTED",
        )


def test_pending_then_active_with_a_delay(engine_settings: EngineSettings) -> None:
    with engine_client(engine_settings, chunk_ready_delay=0.3) as http:
        make_corpus(http)
        make_document(http)
        (chunk,) = add_chunks(http, DOC, "fresh text")
        assert chunk["state"] == "STATE_PENDING_PROCESSING"
        deadline = time.monotonic() + 10
        state = chunk["state"]
        while state != "STATE_ACTIVE" and time.monotonic() < deadline:
            time.sleep(0.05)
            state = ok(http.get(f"{V}/{chunk['name']}"))["state"]
        assert state == "STATE_ACTIVE"
