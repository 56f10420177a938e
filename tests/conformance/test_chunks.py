"""corpora.documents.chunks: CRUD and the batch calls (section 10)."""

from __future__ import annotations

import re

import httpx
import pytest

from ragkit.client import Client, NotFoundError, RagkitAPIError
from ragkit.types import Chunk, ChunkData, CustomMetadata, State, UpdateChunkRequest
from tests.conformance.conftest import Backend


def test_chunk_round_trip(client: Client, document: str) -> None:
    created = client.corpora.documents.chunks.create(
        document, name="intro", data="API keys identify a project.", custom_metadata={"page": 1}
    )
    name = f"{document}/chunks/intro"
    assert created.name == name
    assert created.state in (State.STATE_ACTIVE, State.STATE_PENDING_PROCESSING)
    got = client.corpora.documents.chunks.get(name)
    assert got.data is not None and got.data.string_value == "API keys identify a project."
    assert [(m.key, m.value) for m in got.custom_metadata] == [("page", 1.0)]
    updated = client.corpora.documents.chunks.update(name, data="Keys identify projects.")
    assert updated.data is not None and updated.data.string_value == "Keys identify projects."
    assert updated.custom_metadata == got.custom_metadata
    tagged = client.corpora.documents.chunks.update(
        name, custom_metadata=[CustomMetadata.of("page", 2)]
    )
    assert tagged.custom_metadata[0].value == 2.0
    client.corpora.documents.chunks.delete(name)
    with pytest.raises(NotFoundError):
        client.corpora.documents.chunks.get(name)


def test_server_named_chunks_get_a_twelve_character_id(client: Client, document: str) -> None:
    chunk = client.corpora.documents.chunks.create(document, data="Unnamed passage.")
    assert chunk.name is not None
    chunk_id = chunk.name.removeprefix(f"{document}/chunks/")
    assert re.fullmatch(r"[a-z0-9]{12}", chunk_id), chunk_id


def test_batch_create_update_delete(client: Client, document: str) -> None:
    named = [
        Chunk(name=f"{document}/chunks/c{i}", data=ChunkData(string_value=f"Passage {i}."))
        for i in range(3)
    ]
    created = client.corpora.documents.chunks.batch_create(document, chunks=[*named, "Extra."])
    assert [c.name for c in created.chunks[:3]] == [c.name for c in named]
    assert created.chunks[3].name is not None
    updated = client.corpora.documents.chunks.batch_update(
        document,
        chunks=[
            Chunk(name=f"{document}/chunks/c0", custom_metadata=[CustomMetadata.of("r", "yes")]),
            UpdateChunkRequest(
                chunk=Chunk(name=f"{document}/chunks/c1", data=ChunkData(string_value="New.")),
                update_mask=["data"],
            ),
        ],
    )
    assert [c.name for c in updated.chunks] == [f"{document}/chunks/c0", f"{document}/chunks/c1"]
    assert updated.chunks[0].custom_metadata[0].value == "yes"
    assert updated.chunks[1].data is not None and updated.chunks[1].data.string_value == "New."
    client.corpora.documents.chunks.batch_delete(document, names=["c0", "c1"])
    remaining = [c.name for c in client.corpora.documents.chunks.list(document)]
    assert remaining == [f"{document}/chunks/c2", created.chunks[3].name]


def test_a_batch_is_all_or_nothing(local_backend: Backend, client: Client, document: str) -> None:
    # Atomicity is undocumented for Google (reference §10.2); the engine promises it.
    client.corpora.documents.chunks.create(document, name="taken", data="x")
    with pytest.raises(RagkitAPIError) as raised:  # Google's status is undocumented: 400/409
        client.corpora.documents.chunks.batch_create(
            document,
            chunks=[
                Chunk(name=f"{document}/chunks/fresh", data=ChunkData(string_value="y")),
                Chunk(name=f"{document}/chunks/taken", data=ChunkData(string_value="z")),
            ],
        )
    assert raised.value.status_code in (400, 409)
    with pytest.raises(NotFoundError):
        client.corpora.documents.chunks.get(f"{document}/chunks/fresh")


def test_list_includes_every_state(client: Client, document: str) -> None:
    client.corpora.documents.chunks.batch_create(document, chunks=["one", "two"])
    states = {c.state for c in client.corpora.documents.chunks.list(document)}
    assert states <= {State.STATE_ACTIVE, State.STATE_PENDING_PROCESSING}


def test_duplicate_names_inside_one_batch_are_refused(
    local_backend: Backend, raw: httpx.Client, document: str
) -> None:
    chunk = {"name": f"{document}/chunks/twice", "data": {"stringValue": "x"}}
    response = raw.post(
        f"/v1beta/{document}/chunks:batchCreate",
        json={"requests": [{"parent": document, "chunk": chunk}] * 2},
    )
    assert response.status_code == 400
    assert response.json()["error"]["status"] == "INVALID_ARGUMENT"


def test_a_chunk_name_outside_the_url_document_is_refused(raw: httpx.Client, document: str) -> None:
    corpus = document.split("/documents/")[0]
    response = raw.post(
        f"/v1beta/{document}/chunks",
        json={"name": f"{corpus}/documents/other/chunks/k", "data": {"stringValue": "x"}},
    )
    assert response.status_code == 400
