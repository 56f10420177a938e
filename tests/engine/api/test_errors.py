"""Every failure is Google's error JSON: unknown paths, bad JSON, bad fields, crashes."""

from __future__ import annotations

import httpx
import pytest

from ragkit.engine.handlers import corpora
from tests.engine.conftest import V, error, make_corpus, ok


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/"),
        ("GET", "/v1/corpora"),
        ("GET", f"{V}/corpora/c1/unknown"),
        ("POST", f"{V}/corpora/c1:explode"),
        ("PUT", f"{V}/corpora/c1"),
        ("GET", f"{V}/corpora/c1/documents/d1/chunks:batchCreate"),
    ],
)
def test_unknown_routes_are_404_json(client: httpx.Client, method: str, path: str) -> None:
    error(client.request(method, path), 404, "NOT_FOUND")


def test_malformed_json_body(client: httpx.Client) -> None:
    response = client.post(
        f"{V}/corpora", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert error(response, 400, "INVALID_ARGUMENT")["message"].startswith(
        "Invalid JSON payload received."
    )
    error(client.post(f"{V}/corpora", json=[1, 2]), 400, "INVALID_ARGUMENT")


def test_unknown_field_is_rejected_with_googles_message(client: httpx.Client) -> None:
    body = error(client.post(f"{V}/corpora", json={"displayname": "x"}), 400, "INVALID_ARGUMENT")
    assert body["message"] == (
        "Invalid JSON payload received. Unknown name \"displayname\" at 'corpus': "
        "Cannot find field."
    )
    make_corpus(client)
    nested = error(
        client.post(
            f"{V}/corpora/c1:query",
            json={"query": "x", "metadataFilters": [{"key": "k", "bogus": 1}]},
        ),
        400,
        "INVALID_ARGUMENT",
    )
    assert '"bogus"' in nested["message"]


def test_unknown_query_parameter_is_400_but_system_ones_pass(client: httpx.Client) -> None:
    make_corpus(client)
    error(client.get(f"{V}/corpora/c1", params={"bogus": "1"}), 400, "INVALID_ARGUMENT")
    ok(
        client.get(
            f"{V}/corpora/c1",
            params={"alt": "json", "prettyPrint": "false", "$.xgafv": "2", "quotaUser": "q"},
        )
    )


def test_field_violations_name_the_field(client: httpx.Client) -> None:
    make_corpus(client)
    ok(client.post(f"{V}/corpora/c1/documents", json={"name": "corpora/c1/documents/d1"}))
    requests = [{"chunk": {"data": {"stringValue": "x"}}} for _ in range(3)]
    requests.append(
        {
            "chunk": {
                "data": {"stringValue": "x"},
                "customMetadata": [{"key": "k", "stringValue": "y" * 300}],
            }
        }
    )
    body = error(
        client.post(f"{V}/corpora/c1/documents/d1/chunks:batchCreate", json={"requests": requests}),
        400,
        "INVALID_ARGUMENT",
    )
    (detail,) = body["details"]
    assert detail["@type"] == "type.googleapis.com/google.rpc.BadRequest"
    (violation,) = detail["fieldViolations"]
    assert violation["field"] == "requests[3].chunk.customMetadata[0].stringValue"
    assert violation["description"] == "string_value cannot be more than 256 characters long."


def test_unexpected_exception_is_a_logged_500(
    client: httpx.Client, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def boom(*args: object) -> None:
        raise RuntimeError("kaboom")

    monkeypatch.setattr(corpora.corpora, "count_owned", boom)
    body = error(client.post(f"{V}/corpora", json={}), 500, "INTERNAL")
    assert "kaboom" not in body["message"]  # internals stay in the log
    assert any("kaboom" in r.exc_text for r in caplog.records if r.exc_text)


def test_pretty_print_is_the_default(client: httpx.Client) -> None:
    make_corpus(client)
    assert "\n  " in client.get(f"{V}/corpora/c1").text
    assert "\n" not in client.get(f"{V}/corpora/c1?prettyPrint=false").text
