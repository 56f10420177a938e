"""Credentials as ``httpx.Auth`` flows: an API key header or an OAuth bearer token.

Google accepts an API key as ``x-goog-api-key`` (or ``?key=``; the header keeps it
out of URLs and access logs) and an OAuth 2.0 access token as
``Authorization: Bearer``. End-user tokens may also need ``x-goog-user-project`` to
say which project pays (reference section 3.1).

Neither class ever puts a secret in its ``repr``.
"""

from __future__ import annotations

from collections.abc import Callable, Generator

import httpx

TokenProvider = Callable[[], str]
"""Returns a current OAuth access token; called once per request (cache inside it)."""


class _GoogleAuth(httpx.Auth):
    def __init__(self, *, user_project: str | None = None) -> None:
        self._user_project = user_project

    def _add_common_headers(self, request: httpx.Request) -> None:
        if self._user_project:
            request.headers["x-goog-user-project"] = self._user_project


class ApiKeyAuth(_GoogleAuth):
    """Send an API key in the ``x-goog-api-key`` header.

    >>> import httpx
    >>> request = httpx.Request("GET", "https://example.invalid/v1beta/corpora")
    >>> flow = ApiKeyAuth("my-key").auth_flow(request)
    >>> next(flow).headers["x-goog-api-key"]
    'my-key'
    """

    def __init__(self, api_key: str, *, user_project: str | None = None) -> None:
        if not api_key:
            raise ValueError("api_key must be a non-empty string")
        super().__init__(user_project=user_project)
        self._api_key = api_key

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["x-goog-api-key"] = self._api_key
        self._add_common_headers(request)
        yield request

    def __repr__(self) -> str:
        return "ApiKeyAuth(api_key='***')"


class BearerTokenAuth(_GoogleAuth):
    """Send an OAuth 2.0 access token as ``Authorization: Bearer <token>``.

    ``token`` is either the token itself or a callable returning a fresh one, so a
    service-account or ADC credential can refresh without rebuilding the client.

    >>> import httpx
    >>> request = httpx.Request("GET", "https://example.invalid/v1beta/corpora")
    >>> flow = BearerTokenAuth(lambda: "ya29.token").auth_flow(request)
    >>> next(flow).headers["authorization"]
    'Bearer ya29.token'
    """

    def __init__(self, token: str | TokenProvider, *, user_project: str | None = None) -> None:
        if not token:
            raise ValueError("access_token must be a non-empty string or a callable")
        super().__init__(user_project=user_project)
        self._token = token

    def _current_token(self) -> str:
        token = self._token() if callable(self._token) else self._token
        if not token:
            raise ValueError("the access-token provider returned an empty token")
        return token

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = f"Bearer {self._current_token()}"
        self._add_common_headers(request)
        yield request

    def __repr__(self) -> str:
        return "BearerTokenAuth(token='***')"
