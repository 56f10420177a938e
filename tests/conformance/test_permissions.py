"""corpora.permissions: create, get, list, update, delete, and what each role allows (11)."""

from __future__ import annotations

import httpx
import pytest

from ragkit.client import Client, NotFoundError, PermissionDeniedError
from ragkit.types import GranteeType, Role
from tests.conformance.conftest import MISSING_CORPUS, Backend


def test_permission_round_trip(client: Client, corpus: str) -> None:
    granted = client.corpora.permissions.create(
        corpus, role="READER", grantee_type="USER", email_address="alice@example.com"
    )
    assert granted.name is not None and granted.name.startswith(f"{corpus}/permissions/")
    assert (granted.grantee_type, granted.role) == (GranteeType.USER, Role.READER)
    assert client.corpora.permissions.get(granted.name).email_address == "alice@example.com"
    listed = list(client.corpora.permissions.list(corpus))
    assert granted.name in [p.name for p in listed]
    assert Role.OWNER in [p.role for p in listed]  # the creator's own grant
    promoted = client.corpora.permissions.update(granted.name, role=Role.WRITER)
    assert promoted.role is Role.WRITER
    assert promoted.email_address == "alice@example.com"
    client.corpora.permissions.delete(granted.name)
    with pytest.raises(NotFoundError):
        client.corpora.permissions.get(granted.name)


def test_everyone_reader_needs_no_email(client: Client, corpus: str) -> None:
    public = client.corpora.permissions.create(corpus, role="READER", grantee_type="EVERYONE")
    assert public.grantee_type is GranteeType.EVERYONE
    assert public.email_address is None


def test_user_grant_without_email_is_refused_by_the_server(raw: httpx.Client, corpus: str) -> None:
    response = raw.post(
        f"/v1beta/{corpus}/permissions", json={"granteeType": "USER", "role": "READER"}
    )
    assert response.status_code == 400


def test_roles_decide_what_another_user_may_do(
    local_backend: Backend, client: Client, corpus: str
) -> None:
    doc = client.corpora.documents.create(corpus, name="doc").name
    assert doc is not None
    client.corpora.documents.chunks.create(doc, data="Shared passage about bridges.")
    with local_backend.client(access_token="bob@example.com") as bob:
        with pytest.raises(MISSING_CORPUS):  # no grant: indistinguishable from absent
            bob.corpora.get(corpus)
        grant = client.corpora.permissions.create(
            corpus, role="READER", grantee_type="USER", email_address="bob@example.com"
        )
        assert bob.corpora.get(corpus).name == corpus
        assert bob.corpora.query(corpus, query="bridges").relevant_chunks
        with pytest.raises(PermissionDeniedError):
            bob.corpora.documents.create(corpus, name="bobs")
        assert grant.name is not None
        client.corpora.permissions.update(grant.name, role="WRITER")
        bob.corpora.documents.create(corpus, name="bobs")
        with pytest.raises(PermissionDeniedError):  # only an OWNER deletes the corpus
            bob.corpora.delete(corpus, force=True)
        assert corpus not in [c.name for c in bob.corpora.list()]  # list shows owned corpora
