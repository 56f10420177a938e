"""Google's error JSON and status codes for what the typed client would never send (14)."""

from __future__ import annotations

import httpx
import pytest

from ragkit.client import Client, RagkitAPIError
from tests.conformance.conftest import Backend, new_id

V = "/v1beta"


def _envelope(response: httpx.Response) -> dict[str, object]:
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    error = body["error"]
    assert isinstance(error, dict)
    assert error["code"] == response.status_code
    assert isinstance(error["message"], str) and error["message"]
    return error


def test_unknown_paths_are_404_in_googles_envelope(raw: httpx.Client) -> None:
    response = raw.get(f"{V}/nothing/here")
    assert response.status_code == 404
    assert _envelope(response)["status"] == "NOT_FOUND"


def test_a_wrong_method_on_a_known_path_is_404(raw: httpx.Client, corpus: str) -> None:
    response = raw.put(f"{V}/{corpus}", json={})
    assert response.status_code == 404
    _envelope(response)


def test_unknown_json_fields_are_400_with_googles_wording(raw: httpx.Client) -> None:
    response = raw.post(f"{V}/corpora", json={"displayName": "x", "colour": "red"})
    assert response.status_code == 400
    error = _envelope(response)
    assert error["status"] == "INVALID_ARGUMENT"
    assert 'Unknown name "colour"' in str(error["message"])


def test_malformed_json_is_400(raw: httpx.Client) -> None:
    response = raw.post(
        f"{V}/corpora", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert _envelope(response)["status"] == "INVALID_ARGUMENT"


def test_update_needs_a_mask(raw: httpx.Client, corpus: str) -> None:
    response = raw.patch(f"{V}/{corpus}", json={"displayName": "x"})
    assert response.status_code == 400
    unsupported = raw.patch(
        f"{V}/{corpus}", params={"updateMask": "createTime"}, json={"displayName": "x"}
    )
    assert unsupported.status_code == 400


def test_validation_errors_carry_field_violations(
    local_backend: Backend, raw: httpx.Client, corpus: str
) -> None:
    response = raw.post(f"{V}/{corpus}:query", json={"query": "q", "resultsCount": 101})
    error = _envelope(response)
    details = error.get("details")
    assert isinstance(details, list)
    bad_request = next(d for d in details if d["@type"].endswith("google.rpc.BadRequest"))
    assert any("resultsCount" in v["field"] for v in bad_request["fieldViolations"])


@pytest.mark.parametrize("snake", [False, True])
def test_snake_case_input_is_accepted(raw: httpx.Client, client: Client, snake: bool) -> None:
    key = "display_name" if snake else "displayName"
    name = f"corpora/{new_id()}"
    response = raw.post(f"{V}/corpora", json={"name": name, key: "Snake"})
    assert response.status_code == 200, response.text
    assert response.json() == {**response.json(), "displayName": "Snake"}
    client.corpora.delete(name)


def test_client_errors_keep_request_and_response(client: Client) -> None:
    with pytest.raises(RagkitAPIError) as raised:
        client.corpora.documents.get(f"corpora/{new_id()}/documents/d")
    error = raised.value
    assert error.status_code in (403, 404)
    assert error.request.url.path.endswith("/documents/d")
    assert error.response.json()["error"]["message"] == error.message
