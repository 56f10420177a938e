"""One suite, several backends: the client against ragkit's engine and, optionally, Google.

Backends (the ``backend`` fixture parameter):

* ``inprocess``: ``Client`` over the engine's in-process transport (no socket);
* ``http``: the engine's ASGI app served by uvicorn on a loopback port in a thread,
  the way ``ragkit serve`` runs it, reached over real HTTP;
* ``google``: the hosted API, only when ``RAGKIT_TEST_GOOGLE_API_KEY`` is set
  (``RAGKIT_TEST_BASE_URL`` may point elsewhere); skipped otherwise.

Behaviour the reference leaves open is asserted as "one of the documented
alternatives" where Google may differ (e.g. 403 vs 404 for an unknown corpus).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from ragkit.client import AsyncClient, Client, NotFoundError, PermissionDeniedError
from ragkit.engine.app import create_app
from ragkit.engine.inprocess import (
    INPROCESS_BASE_URL,
    async_transport,
    close_all,
    sync_transport,
)
from ragkit.engine.settings import EngineSettings
from tests.loopback import serve_on_loopback

GOOGLE_KEY_ENV = "RAGKIT_TEST_GOOGLE_API_KEY"
GOOGLE_URL_ENV = "RAGKIT_TEST_BASE_URL"
LOCAL = ("inprocess", "http")
BACKENDS = (*LOCAL, "google")

# An unknown corpus: Google answers 403 (observed), the engine by default too; both are
# documented, so a portable caller must handle either.
MISSING_CORPUS = (PermissionDeniedError, NotFoundError)


@pytest.fixture(scope="session")
def engine_homes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    # Separate data directories, so the two local backends never see each other's corpora.
    yield {name: tmp_path_factory.mktemp(f"conformance-{name}") for name in LOCAL}
    close_all()  # release the cached engines' SQLite connections


@pytest.fixture(scope="session")
def http_base_url(engine_homes: dict[str, Path]) -> Iterator[str]:
    app = create_app(EngineSettings(home=engine_homes["http"]))
    with serve_on_loopback(app, name="conformance-uvicorn") as url:
        yield url


@dataclass
class Backend:
    """How to reach one backend, for the sync client, the async client and raw HTTP."""

    name: str
    base_url: str
    home: Path | None = None
    api_key: str | None = None

    @property
    def is_local(self) -> bool:
        return self.name in LOCAL

    def _options(self, options: dict[str, Any]) -> dict[str, Any]:
        # The engine has no transient failures to ride out: an error should fail the test
        # at once. Google's backend keeps the default retries (it rate-limits).
        if self.is_local:
            options.setdefault("max_retries", 0)
        return options

    def client(self, **options: Any) -> Client:
        options = self._options(options)
        if self.name == "inprocess":
            return Client(base_url=self.base_url, transport=sync_transport(self.home), **options)
        return Client(base_url=self.base_url, api_key=self.api_key, **options)

    def async_client(self, **options: Any) -> AsyncClient:
        options = self._options(options)
        if self.name == "inprocess":
            return AsyncClient(
                base_url=self.base_url, transport=async_transport(self.home), **options
            )
        return AsyncClient(base_url=self.base_url, api_key=self.api_key, **options)

    def raw(self, **headers: str) -> httpx.Client:
        """Plain httpx for what the typed client refuses to send (over-limit bodies)."""
        if self.api_key:
            headers.setdefault("x-goog-api-key", self.api_key)
        if self.name == "inprocess":
            return httpx.Client(
                base_url=self.base_url, transport=sync_transport(self.home), headers=headers
            )
        return httpx.Client(base_url=self.base_url, headers=headers)


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest, engine_homes: dict[str, Path]) -> Backend:
    name: str = request.param
    if name == "inprocess":
        return Backend(name, INPROCESS_BASE_URL, home=engine_homes["inprocess"])
    if name == "http":
        return Backend(name, request.getfixturevalue("http_base_url"))
    key = os.environ.get(GOOGLE_KEY_ENV)
    if not key:
        pytest.skip(f"set {GOOGLE_KEY_ENV} to run the conformance suite against Google")
    url = os.environ.get(GOOGLE_URL_ENV, "https://generativelanguage.googleapis.com")
    return Backend(name, url, api_key=key)


@pytest.fixture
def local_backend(backend: Backend) -> Backend:
    """The backend, for tests of engine-only behaviour (several principals, settings)."""
    if not backend.is_local:
        pytest.skip("needs several principals or engine settings: local engine only")
    return backend


@pytest.fixture
def client(backend: Backend) -> Iterator[Client]:
    with backend.client() as client:
        yield client


@pytest.fixture
def raw(backend: Backend) -> Iterator[httpx.Client]:
    with backend.raw() as http:
        yield http


def new_id(prefix: str = "conf") -> str:
    """A fresh resource ID, unique across runs (the Google backend keeps state)."""
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


@pytest.fixture
def make_corpus(client: Client) -> Iterator[Callable[..., str]]:
    """Create corpora for a test; every one is force-deleted afterwards."""
    made: list[str] = []

    def make(**fields: Any) -> str:
        fields.setdefault("name", new_id())
        if fields["name"] is None:  # let the server make one
            del fields["name"]
        corpus = client.corpora.create(**fields)
        assert corpus.name is not None
        made.append(corpus.name)
        return corpus.name

    yield make
    for name in made:
        try:
            client.corpora.delete(name, force=True)
        except (*MISSING_CORPUS,):
            pass


@pytest.fixture
def corpus(make_corpus: Callable[..., str]) -> str:
    return make_corpus(display_name="Conformance corpus")


@pytest.fixture
def document(client: Client, corpus: str) -> str:
    doc = client.corpora.documents.create(corpus, name="guide", display_name="Guide")
    assert doc.name is not None
    return doc.name
