from __future__ import annotations

import httpx

from ragkit.client._auth import ApiKeyAuth, BearerTokenAuth


def _sent_headers(auth: httpx.Auth) -> httpx.Headers:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={})

    with httpx.Client(transport=httpx.MockTransport(handler), auth=auth) as http:
        http.get("https://example.invalid/v1beta/corpora")
    return seen[0].headers


def test_api_key_goes_in_the_google_header_not_the_url() -> None:
    headers = _sent_headers(ApiKeyAuth("k-123"))
    assert headers["x-goog-api-key"] == "k-123"
    assert "authorization" not in headers
    assert "x-goog-user-project" not in headers


def test_bearer_token_and_user_project() -> None:
    headers = _sent_headers(BearerTokenAuth("ya29.abc", user_project="proj-1"))
    assert headers["authorization"] == "Bearer ya29.abc"
    assert headers["x-goog-user-project"] == "proj-1"
    assert "x-goog-api-key" not in headers


def test_token_provider_is_asked_for_every_request() -> None:
    tokens = iter(["first", "second"])
    auth = BearerTokenAuth(lambda: next(tokens))
    assert _sent_headers(auth)["authorization"] == "Bearer first"
    assert _sent_headers(auth)["authorization"] == "Bearer second"


def test_secrets_never_appear_in_repr() -> None:
    assert "k-123" not in repr(ApiKeyAuth("k-123"))
    assert "ya29" not in repr(BearerTokenAuth("ya29.abc"))
