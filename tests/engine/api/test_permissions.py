from __future__ import annotations

import httpx
import pytest

from tests.engine.conftest import V, add_chunks, error, make_corpus, make_document, ok

ALICE = {"Authorization": "Bearer alice@example.com"}
BOB = {"Authorization": "Bearer bob@example.com"}
PERMS = f"{V}/corpora/c1/permissions"


@pytest.fixture(autouse=True)
def _corpus(client: httpx.Client) -> None:
    make_corpus(client)
    make_document(client)
    add_chunks(client, "corpora/c1/documents/d1", "shared text")


def _grant(client: httpx.Client, email: str | None, role: str, **headers: str) -> dict[str, str]:
    body = {"granteeType": "USER", "emailAddress": email, "role": role}
    if email is None:
        body = {"granteeType": "EVERYONE", "role": role}
    return dict(ok(client.post(PERMS, json=body, headers=headers)))


def test_creator_is_listed_as_owner(client: httpx.Client) -> None:
    (owner,) = ok(client.get(PERMS))["permissions"]
    assert owner["role"] == "OWNER" and owner["granteeType"] == "USER"
    assert owner["emailAddress"] == "local-user@ragkit.local"
    assert owner["name"].startswith("corpora/c1/permissions/") and owner["name"][-18:].isdigit()


def test_strangers_cannot_see_the_corpus(client: httpx.Client) -> None:
    error(client.get(f"{V}/corpora/c1", headers=ALICE), 403, "PERMISSION_DENIED")
    assert ok(client.get(f"{V}/corpora", headers=ALICE)) == {}


def test_reader_reads_but_cannot_write(client: httpx.Client) -> None:
    _grant(client, "alice@example.com", "READER")
    ok(client.get(f"{V}/corpora/c1", headers=ALICE))
    ok(client.get(f"{V}/corpora/c1/documents", headers=ALICE))
    error(
        client.post(f"{V}/corpora/c1/documents", json={}, headers=ALICE), 403, "PERMISSION_DENIED"
    )
    error(client.get(PERMS, headers=ALICE), 403, "PERMISSION_DENIED")
    # Shared corpora are not listed: corpora.list shows what the caller owns.
    assert ok(client.get(f"{V}/corpora", headers=ALICE)) == {}


def test_writer_writes_and_shares_but_cannot_delete_the_corpus(client: httpx.Client) -> None:
    _grant(client, "alice@example.com", "WRITER")
    ok(client.post(f"{V}/corpora/c1/documents", json={}, headers=ALICE))
    _grant(client, "bob@example.com", "READER", **ALICE)
    ok(client.get(f"{V}/corpora/c1", headers=BOB))
    error(
        client.post(
            PERMS,
            json={"granteeType": "USER", "emailAddress": "eve@example.com", "role": "OWNER"},
            headers=ALICE,
        ),
        403,
        "PERMISSION_DENIED",
    )
    error(client.delete(f"{V}/corpora/c1?force=true", headers=ALICE), 403, "PERMISSION_DENIED")
    ok(client.delete(f"{V}/corpora/c1?force=true"))


def test_everyone_reader_makes_the_corpus_public(client: httpx.Client) -> None:
    grant = _grant(client, None, "READER")
    assert "emailAddress" not in grant
    ok(client.get(f"{V}/corpora/c1", headers={"x-goog-api-key": "some-key"}))
    error(
        client.post(PERMS, json={"granteeType": "EVERYONE", "role": "WRITER"}),
        400,
        "INVALID_ARGUMENT",
    )


def test_update_role_and_owner_rules(client: httpx.Client) -> None:
    grant = _grant(client, "alice@example.com", "READER")
    updated = ok(
        client.patch(f"{V}/{grant['name']}", params={"updateMask": "role"}, json={"role": "WRITER"})
    )
    assert updated["role"] == "WRITER" and updated["emailAddress"] == "alice@example.com"
    assert ok(client.get(f"{V}/{grant['name']}")) == updated
    error(
        client.patch(
            f"{V}/{grant['name']}", params={"updateMask": "emailAddress"}, json={"role": "WRITER"}
        ),
        400,
        "INVALID_ARGUMENT",
    )
    (owner,) = [p for p in ok(client.get(PERMS))["permissions"] if p["role"] == "OWNER"]
    error(
        client.patch(f"{V}/{owner['name']}?updateMask=role", json={"role": "READER"}),
        400,
        "FAILED_PRECONDITION",
    )
    error(client.delete(f"{V}/{owner['name']}"), 400, "FAILED_PRECONDITION")
    assert ok(client.delete(f"{V}/{grant['name']}")) == {}
    error(client.get(f"{V}/{grant['name']}"), 404, "NOT_FOUND")


def test_grant_validation(client: httpx.Client) -> None:
    error(
        client.post(PERMS, json={"granteeType": "USER", "role": "READER"}), 400, "INVALID_ARGUMENT"
    )
    error(client.post(PERMS, json={"role": "READER"}), 400, "INVALID_ARGUMENT")
    error(
        client.post(PERMS, json={"granteeType": "USER", "emailAddress": "a@b.co"}),
        400,
        "INVALID_ARGUMENT",
    )
    _grant(client, "alice@example.com", "READER")
    error(
        client.post(
            PERMS,
            json={"granteeType": "USER", "emailAddress": "Alice@Example.com", "role": "WRITER"},
        ),
        409,
        "ALREADY_EXISTS",
    )


def test_permission_list_pages(client: httpx.Client) -> None:
    for i in range(12):
        _grant(client, f"user{i}@example.com", "READER")
    first = ok(client.get(PERMS))
    assert len(first["permissions"]) == 10
    rest = ok(client.get(PERMS, params={"pageToken": first["nextPageToken"]}))
    assert len(rest["permissions"]) == 3 and "nextPageToken" not in rest
    assert len(ok(client.get(PERMS, params={"pageSize": 5000}))["permissions"]) == 13


def test_api_key_principal_owns_its_corpora(client: httpx.Client) -> None:
    key = {"x-goog-api-key": "project-key"}
    ok(client.post(f"{V}/corpora", json={"name": "corpora/keyed"}, headers=key))
    ok(client.get(f"{V}/corpora/keyed?key=project-key"))
    error(client.get(f"{V}/corpora/keyed"), 403, "PERMISSION_DENIED")
    listed = ok(client.get(f"{V}/corpora", headers=key))
    assert [c["name"] for c in listed["corpora"]] == ["corpora/keyed"]
