"""Engine API fixtures: a private engine per test, served in-process over httpx.

Most tests use the ``test-hash`` embedder below (bag of hashed words, instant and
deterministic) so the suite does not wait on the ONNX model; tests of retrieval
quality use the real default embedder explicitly.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import numpy.typing as npt
import pytest

from ragkit.engine import inprocess
from ragkit.engine.search import register_embedder
from ragkit.engine.settings import EngineSettings

V = "/v1beta"


class HashEmbedder:
    """Feature hashing of lowercase words into 64 signed buckets, L2-normalised."""

    name = "test-hash"
    dimension = 64

    def _one(self, text: str) -> npt.NDArray[np.float32]:
        vector = np.zeros(self.dimension, dtype=np.float32)
        for word in re.findall(r"[a-z0-9]+", text.lower()):
            digest = hashlib.blake2b(word.encode(), digest_size=4).digest()
            bucket = int.from_bytes(digest[:2], "little") % self.dimension
            vector[bucket] += 1.0 if digest[2] & 1 else -1.0
        norm = float(np.linalg.norm(vector))
        if norm == 0:
            vector[0] = 1.0
            return vector
        return vector / norm

    def embed_documents(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        return np.stack([self._one(t) for t in texts]) if texts else np.zeros((0, 64), np.float32)

    def embed_query(self, text: str) -> npt.NDArray[np.float32]:
        return self._one(text)


register_embedder("test-hash", lambda _argument: HashEmbedder())


@pytest.fixture
def engine_settings(tmp_path: Path) -> EngineSettings:
    return EngineSettings(home=tmp_path / "engine", embedder="test-hash")


@pytest.fixture
def client(engine_settings: EngineSettings) -> Iterator[httpx.Client]:
    transport = inprocess.sync_transport(settings=engine_settings)
    with httpx.Client(transport=transport, base_url=inprocess.INPROCESS_BASE_URL) as http:
        yield http
    inprocess.close_all()


def ok(response: httpx.Response) -> Any:
    """The JSON of a 200 response (fails the test with the error body otherwise)."""
    assert response.status_code == 200, response.text
    return response.json()


def error(response: httpx.Response, code: int, status: str) -> dict[str, Any]:
    """The ``error`` object of a response that must carry this HTTP code and status."""
    assert response.status_code == code, response.text
    body = response.json()
    assert set(body) == {"error"}, body
    assert body["error"]["code"] == code
    assert body["error"]["status"] == status
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    return dict(body["error"])


def make_corpus(http: httpx.Client, corpus_id: str = "c1", **fields: Any) -> dict[str, Any]:
    return dict(ok(http.post(f"{V}/corpora", json={"name": f"corpora/{corpus_id}", **fields})))


def make_document(
    http: httpx.Client, corpus_id: str = "c1", document_id: str = "d1", **fields: Any
) -> dict[str, Any]:
    body = {"name": f"corpora/{corpus_id}/documents/{document_id}", **fields}
    return dict(ok(http.post(f"{V}/corpora/{corpus_id}/documents", json=body)))


def add_chunks(
    http: httpx.Client, parent: str, *texts: str, metadata: list[Any] | None = None
) -> list[dict[str, Any]]:
    requests = [
        {
            "parent": parent,
            "chunk": {
                "data": {"stringValue": text},
                **({"customMetadata": metadata[i]} if metadata else {}),
            },
        }
        for i, text in enumerate(texts)
    ]
    body = ok(http.post(f"{V}/{parent}/chunks:batchCreate", json={"requests": requests}))
    return list(body["chunks"])


@contextmanager
def engine_client(settings: EngineSettings, **updates: Any) -> Iterator[httpx.Client]:
    """A client for an engine with changed settings, in a fresh data directory of its own."""
    assert settings.home is not None
    home = settings.home.with_name(f"{settings.home.name}-{len(updates)}-{id(updates)}")
    changed = settings.model_copy(update={**updates, "home": home})
    transport = inprocess.sync_transport(settings=changed)
    with httpx.Client(transport=transport, base_url=inprocess.INPROCESS_BASE_URL) as http:
        yield http
    inprocess.close_all()
