"""Paged lists: defaults, maxima, tokens bound to their request (reference section 2)."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from ragkit.client import Client, InvalidArgumentError
from tests.conformance.conftest import Backend


@pytest.fixture
def twenty_five_documents(client: Client, corpus: str) -> list[str]:
    return [
        client.corpora.documents.create(corpus, name=f"doc-{i:02d}").name or "" for i in range(25)
    ]


def test_pages_follow_tokens_to_the_end(
    client: Client, corpus: str, twenty_five_documents: list[str]
) -> None:
    pages = list(client.corpora.documents.list(corpus, page_size=10).iter_pages())
    assert [len(p.documents) for p in pages] == [10, 10, 5]
    assert pages[-1].next_page_token is None
    names = [d.name for d in client.corpora.documents.list(corpus, page_size=7)]
    assert names == twenty_five_documents


def test_default_and_maximum_page_sizes(
    backend: Backend, client: Client, corpus: str, twenty_five_documents: list[str]
) -> None:
    first = client.corpora.documents.list(corpus).first_page()
    assert len(first.documents) == 10  # default
    try:
        clamped = client.corpora.documents.list(corpus, page_size=1000).first_page()
    except InvalidArgumentError:
        # Clamp or refuse is unverified for Google (reference §17.9); the engine clamps.
        assert not backend.is_local
        return
    assert len(clamped.documents) == 20  # documents: max 20


def test_a_token_from_another_parent_is_refused(
    client: Client,
    raw: httpx.Client,
    make_corpus: Callable[..., str],
    corpus: str,
    twenty_five_documents: list[str],
) -> None:
    token = client.corpora.documents.list(corpus, page_size=5).first_page().next_page_token
    assert token
    other = make_corpus()
    response = raw.get(f"/v1beta/{other}/documents", params={"pageSize": 5, "pageToken": token})
    assert response.status_code == 400
    assert response.json()["error"]["status"] == "INVALID_ARGUMENT"
    edited = raw.get(f"/v1beta/{corpus}/documents", params={"pageToken": token[:-2] + "xx"})
    assert edited.status_code == 400


def test_a_negative_page_size_is_refused(raw: httpx.Client, corpus: str) -> None:
    response = raw.get(f"/v1beta/{corpus}/documents", params={"pageSize": -1})
    assert response.status_code == 400
