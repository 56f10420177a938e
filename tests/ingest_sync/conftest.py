"""Fixtures for ingest sync tests: a private engine, a recording transport, folders to ingest.

Most tests run the real engine with the ``ingest-test`` embedder (hashed words,
instant) because what they check is what ingest sends and what the corpus holds,
not vector quality; subprocess tests use the default MiniLM embedder as users do.
"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from ingest.pipeline import IngestOptions, ingest
from ingest.report import Report
from ragkit.client import AsyncClient, Client
from ragkit.engine import inprocess
from ragkit.engine.search import register_embedder
from ragkit.engine.settings import EngineSettings
from tests.conftest import FIXTURES, SAMPLE_DOCS
from tests.engine.conftest import HashEmbedder

EMBEDDER = "ingest-test"
WRITES = frozenset({"POST", "PATCH", "DELETE", "PUT"})


# The engine tests' instant embedder, under a scheme of our own.
register_embedder(EMBEDDER, lambda _argument: HashEmbedder())

Hook = Callable[[httpx.Request], httpx.Response | None]


@dataclass
class Recorder(httpx.AsyncBaseTransport):
    """Passes requests to the engine, records ``(method, path)``, and lets a hook answer first.

    A hook returning a response short-circuits the engine (to inject 429s or failures).
    """

    inner: httpx.AsyncBaseTransport
    calls: list[tuple[str, str]] = field(default_factory=list)
    hook: Hook | None = None

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.calls.append((request.method, request.url.path))
        if self.hook is not None:
            answer = self.hook(request)
            if answer is not None:
                return answer
        return await self.inner.handle_async_request(request)

    def writes(self) -> list[tuple[str, str]]:
        return [call for call in self.calls if call[0] in WRITES]

    def clear(self) -> None:
        self.calls.clear()


@dataclass
class Engine:
    """A private engine and ways to talk to it."""

    settings: EngineSettings
    recorder: Recorder

    def async_client(self, **options: Any) -> AsyncClient:
        return AsyncClient(
            base_url=inprocess.INPROCESS_BASE_URL, transport=self.recorder, **options
        )

    def client(self) -> Client:
        transport = inprocess.sync_transport(settings=self.settings)
        return Client(base_url=inprocess.INPROCESS_BASE_URL, transport=transport)

    def ingest(self, paths: Sequence[Path | str], **options: Any) -> Report:
        """Run ingest into ``corpora/test`` (options as in IngestOptions)."""
        options.setdefault("corpus", "test")

        async def run() -> Report:
            async with self.async_client(max_retries=options.pop("max_retries", 2)) as client:
                return await ingest(client, paths, IngestOptions(**options))

        return asyncio.run(run())

    def state(self, corpus: str = "corpora/test") -> dict[str, Any]:
        """Every document and chunk of the corpus, comparable across engines."""
        return corpus_state(self.client(), corpus)


def corpus_state(client: Client, corpus: str) -> dict[str, Any]:
    """``{document id: (display name, metadata, {chunk id: (text, metadata)})}``."""
    state: dict[str, Any] = {}
    with client:
        for document in client.corpora.documents.list(corpus, page_size=20):
            assert document.name
            chunks = {
                chunk.name.rsplit("/", 1)[-1]: (
                    chunk.data.string_value if chunk.data else None,
                    tuple((m.key, m.value) for m in chunk.custom_metadata),
                )
                for chunk in client.corpora.documents.chunks.list(document.name, page_size=100)
                if chunk.name
            }
            metadata = tuple(sorted((m.key, str(m.value)) for m in document.custom_metadata))
            state[document.name.rsplit("/", 1)[-1]] = (document.display_name, metadata, chunks)
    return state


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    settings = EngineSettings(home=tmp_path / "engine", embedder=EMBEDDER)
    recorder = Recorder(inprocess.async_transport(settings=settings))
    yield Engine(settings, recorder)
    inprocess.close_all()


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    """A private copy of the sample documents (tests change and delete files in it)."""
    target = tmp_path / "docs"
    shutil.copytree(SAMPLE_DOCS, target)
    return target


@pytest.fixture
def hard_docs(tmp_path: Path) -> Path:
    """Sample documents plus the hard PDFs under ``hard/``."""
    target = tmp_path / "mixed"
    shutil.copytree(SAMPLE_DOCS, target / "docs")
    shutil.copytree(FIXTURES / "hard", target / "hard")
    return target


@pytest.fixture
def fast_engine_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The CLI's in-process engine (from RAGKIT_HOME) uses the instant embedder."""
    monkeypatch.setenv("RAGKIT_ENGINE_EMBEDDER", EMBEDDER)
    yield
    inprocess.close_all()
