"""Client set-up and behaviour around the methods: backends, auth, timeouts, paging, errors."""

from __future__ import annotations

import types
from typing import Any

import httpx
import pytest

from ragkit.client import (
    GOOGLE_BASE_URL,
    AlreadyExistsError,
    AsyncClient,
    Client,
    FailedPreconditionError,
    InternalError,
    InvalidArgumentError,
    NotFoundError,
    PermissionDeniedError,
    RagkitError,
    RateLimitError,
    UnauthenticatedError,
    UnavailableError,
    UnexpectedResponseError,
    UnimplementedError,
)
from ragkit.client import _client as client_module
from tests.client.support import (
    Recorder,
    close,
    error,
    make_client,
    query_of,
    resolve,
    sse,
    sync_client,
)

MODES = pytest.mark.parametrize("mode", ["sync", "async"])
CORPUS = {"name": "corpora/c1"}


# --- backend and credentials ----------------------------------------------------------


def _sent(client: Client) -> httpx.Request:
    client.corpora.get("c1")
    return recorder_of(client).last


def recorder_of(client: Client) -> Recorder:
    transport = client._http._transport
    assert isinstance(transport, httpx.MockTransport)
    handler = transport.handler
    assert isinstance(handler, Recorder)
    return handler


def test_explicit_base_url_and_key() -> None:
    with sync_client(Recorder([CORPUS]), base_url="http://127.0.0.1:8765/") as client:
        request = _sent(client)
    assert str(request.url) == "http://127.0.0.1:8765/v1beta/corpora/c1"
    assert request.headers["x-goog-api-key"] == "test-key"
    assert request.headers["user-agent"].startswith("ragkit/")


def test_a_copied_version_suffix_is_forgiven() -> None:
    with sync_client(Recorder([CORPUS]), base_url="https://h.test/v1beta") as client:
        assert client.base_url == "https://h.test"


def test_google_api_key_from_the_environment_selects_google(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("GEMINI_API_KEY", "gemini-key")
    monkeypatch.setenv("GOOGLE_API_KEY", "google-key")
    client = Client(transport=httpx.MockTransport(Recorder([CORPUS])))
    with client:
        request = _sent(client)
    assert client.base_url == GOOGLE_BASE_URL
    assert request.headers["x-goog-api-key"] == "google-key"  # GOOGLE_ wins, as in google-genai


def test_gemini_api_key_is_the_fallback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GEMINI_API_KEY", "gemini-key")
    with Client(transport=httpx.MockTransport(Recorder([CORPUS]))) as client:
        assert _sent(client).headers["x-goog-api-key"] == "gemini-key"


def test_ragkit_base_url_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RAGKIT_BASE_URL", "http://127.0.0.1:9999")
    with Client(transport=httpx.MockTransport(Recorder([CORPUS]))) as client:
        request = _sent(client)
    assert str(request.url) == "http://127.0.0.1:9999/v1beta/corpora/c1"
    assert "x-goog-api-key" not in request.headers


def test_access_token_sends_bearer_and_user_project() -> None:
    client = Client(
        access_token=lambda: "ya29.fresh",
        user_project="billing-project",
        transport=httpx.MockTransport(Recorder([CORPUS])),
    )
    with client:
        request = _sent(client)
    assert client.base_url == GOOGLE_BASE_URL
    assert request.headers["authorization"] == "Bearer ya29.fresh"
    assert request.headers["x-goog-user-project"] == "billing-project"
    assert "x-goog-api-key" not in request.headers


def test_key_and_token_together_are_refused() -> None:
    with pytest.raises(ValueError, match="either api_key or access_token"):
        Client(api_key="k", access_token="t")


def test_transport_and_http_client_together_are_refused() -> None:
    with pytest.raises(ValueError, match="either transport or http_client"):
        Client(transport=httpx.MockTransport(Recorder()), http_client=httpx.Client())


def _fake_engine(recorder: Recorder) -> types.SimpleNamespace:
    return types.SimpleNamespace(
        INPROCESS_BASE_URL="http://ragkit.local",
        sync_transport=lambda: httpx.MockTransport(recorder),
        async_transport=lambda: httpx.MockTransport(recorder),
    )


@pytest.mark.anyio
@MODES
async def test_no_configuration_means_the_in_process_engine(
    mode: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    recorder = Recorder([CORPUS])
    monkeypatch.setattr(client_module, "_inprocess_engine", lambda: _fake_engine(recorder))
    client = Client() if mode == "sync" else AsyncClient()
    try:
        assert client.is_inprocess
        await resolve(client.corpora.get("c1"))
    finally:
        await close(client)
    assert str(recorder.last.url) == "http://ragkit.local/v1beta/corpora/c1"
    assert "x-goog-api-key" not in recorder.last.headers


def test_a_missing_engine_gives_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def missing(name: str) -> Any:
        raise ModuleNotFoundError(f"No module named {name!r}")

    monkeypatch.setattr(client_module.importlib, "import_module", missing)
    with pytest.raises(RagkitError, match="Pass base_url="):
        Client()


def test_a_given_http_client_is_used_and_left_open() -> None:
    recorder = Recorder([CORPUS])
    http = httpx.Client(transport=httpx.MockTransport(recorder))
    with Client(base_url="https://h.test", http_client=http) as client:
        client.corpora.get("c1")
    assert not http.is_closed
    assert len(recorder.requests) == 1
    http.close()


def test_closing_a_with_options_copy_keeps_the_pool_open() -> None:
    client = sync_client(Recorder([CORPUS]))
    client.with_options(max_retries=0).close()
    client.corpora.get("c1")
    client.close()
    assert client._http.is_closed


# --- timeouts --------------------------------------------------------------------------


def _timeout_of(request: httpx.Request) -> dict[str, float | None]:
    timeout: dict[str, float | None] = request.extensions["timeout"]
    return timeout


def test_default_timeouts_follow_googles_deadlines() -> None:
    recorder = Recorder([CORPUS])
    with sync_client(recorder) as client:
        client.corpora.get("c1")
        assert _timeout_of(recorder.last)["read"] == 60.0
        recorder.replies = [{"candidates": []}]
        client.models.generate_content("gemini-2.0-flash", contents="hi")
        assert _timeout_of(recorder.last)["read"] == 600.0
        client.with_options(timeout=5.0).corpora.get("c1")
        assert _timeout_of(recorder.last) == {
            "connect": 5.0,
            "read": 5.0,
            "write": 5.0,
            "pool": 5.0,
        }
    with sync_client(recorder, timeout=None) as client:
        client.models.generate_content("gemini-2.0-flash", contents="hi")
        assert _timeout_of(recorder.last)["read"] is None


# --- pagination ------------------------------------------------------------------------


def _three_pages(request: httpx.Request) -> httpx.Response:
    token = request.url.params.get("pageToken")
    pages = {
        None: {"documents": [{"name": "corpora/c1/documents/a"}], "nextPageToken": "p2"},
        "p2": {"documents": [{"name": "corpora/c1/documents/b"}], "nextPageToken": "p3"},
        "p3": {"documents": [{"name": "corpora/c1/documents/c"}]},
    }
    return httpx.Response(200, json=pages[token])


@pytest.mark.anyio
@MODES
async def test_list_follows_next_page_tokens_across_three_pages(mode: str) -> None:
    recorder = Recorder([_three_pages])
    client = make_client(mode, recorder)
    try:
        docs = await resolve(client.corpora.documents.list("c1", page_size=1))
    finally:
        await close(client)
    assert [d.name.rsplit("/", 1)[1] for d in docs] == ["a", "b", "c"]
    assert [query_of(r) for r in recorder.requests] == [
        {"pageSize": "1"},
        {"pageSize": "1", "pageToken": "p2"},
        {"pageSize": "1", "pageToken": "p3"},
    ]


def test_iter_pages_and_first_page_sync() -> None:
    recorder = Recorder([_three_pages])
    with sync_client(recorder) as client:
        pager = client.corpora.documents.list("c1")
        assert recorder.requests == []  # nothing is sent until iterated
        pages = list(pager.iter_pages())
        assert [p.next_page_token for p in pages] == ["p2", "p3", None]
        assert pager.first_page().documents[0].name == "corpora/c1/documents/a"


@pytest.mark.anyio
async def test_iter_pages_and_await_async() -> None:
    recorder = Recorder([_three_pages])
    async with make_client("async", recorder) as client:
        pager = client.corpora.documents.list("c1")
        pages = [page async for page in pager.iter_pages()]
        assert len(pages) == 3
        first = await client.corpora.documents.list("c1")
        assert first.next_page_token == "p2"


# --- errors ----------------------------------------------------------------------------


@pytest.mark.anyio
@MODES
@pytest.mark.parametrize(
    ("reply", "cls"),
    [
        (
            error(400, "INVALID_ARGUMENT", "resultsCount must be between 1 and 100"),
            InvalidArgumentError,
        ),
        (error(400, "FAILED_PRECONDITION", "Corpus is not empty."), FailedPreconditionError),
        (error(401, "UNAUTHENTICATED"), UnauthenticatedError),
        (error(403, "PERMISSION_DENIED"), PermissionDeniedError),
        (error(404, "NOT_FOUND"), NotFoundError),
        (error(409, "ALREADY_EXISTS"), AlreadyExistsError),
        (error(429, "RESOURCE_EXHAUSTED"), RateLimitError),
        (error(500, "INTERNAL"), InternalError),
        (error(501, "UNIMPLEMENTED"), UnimplementedError),
        (error(503, "UNAVAILABLE"), UnavailableError),
        (httpx.Response(502, text="<html>bad gateway</html>"), UnavailableError),
    ],
)
async def test_error_statuses_raise_their_class_with_the_servers_words(
    mode: str, reply: httpx.Response, cls: type
) -> None:
    recorder = Recorder([reply])
    client = make_client(mode, recorder, max_retries=0)
    try:
        with pytest.raises(cls) as raised:
            await resolve(client.corpora.delete("c1"))
    finally:
        await close(client)
    assert raised.value.request.url.path == "/v1beta/corpora/c1"
    assert raised.value.response.status_code == reply.status_code
    assert raised.value.retries_taken == 0
    if reply.headers.get("content-type") == "application/json":
        assert raised.value.message == reply.json()["error"]["message"]


@pytest.mark.anyio
@MODES
async def test_a_success_that_is_not_json_is_reported(mode: str) -> None:
    client = make_client(mode, Recorder([httpx.Response(200, text="<html>")]))
    try:
        with pytest.raises(UnexpectedResponseError, match="not JSON"):
            await resolve(client.corpora.get("c1"))
    finally:
        await close(client)


@pytest.mark.anyio
@MODES
async def test_stream_errors_before_and_during_the_stream(mode: str) -> None:
    client = make_client(mode, Recorder([error(404, "NOT_FOUND", "models/x is not found")]))
    try:
        with pytest.raises(NotFoundError, match="models/x is not found"):
            await resolve(client.models.stream_generate_content("x", contents="hi"))
    finally:
        await close(client)
    events = [
        {"candidates": [{"content": {"parts": [{"text": "Hel"}]}}]},
        {"error": {"code": 503, "status": "UNAVAILABLE", "message": "overloaded"}},
    ]
    client = make_client(mode, Recorder([sse(events)]))
    try:
        with pytest.raises(UnavailableError, match="overloaded"):
            await resolve(client.models.stream_generate_content("m", contents="hi"))
    finally:
        await close(client)
