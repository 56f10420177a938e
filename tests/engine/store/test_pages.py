from __future__ import annotations

import pytest

from ragkit.engine.store import pages
from ragkit.engine.store.db import Database

KEY = b"k" * 32
SCOPE = ("documents.list", "corpora/c1", "local")


def test_round_trip() -> None:
    cursor = pages.Cursor(1_700_000_000_123_456, 42)
    token = pages.encode(KEY, SCOPE, cursor)
    assert pages.decode(KEY, SCOPE, token) == cursor


@pytest.mark.parametrize("other", [("documents.list", "corpora/c2", "local"), ("chunks.list",)])
def test_token_from_another_request_is_rejected(other: tuple[str, ...]) -> None:
    token = pages.encode(KEY, SCOPE, pages.Cursor(1, 1))
    with pytest.raises(pages.InvalidPageToken, match="does not belong"):
        pages.decode(KEY, other, token)


@pytest.mark.parametrize("token", ["", "garbage", "abc.def", "!!!.x"])
def test_malformed_tokens_are_rejected(token: str) -> None:
    with pytest.raises(pages.InvalidPageToken):
        pages.decode(KEY, SCOPE, token)


def test_edited_token_fails_its_signature() -> None:
    token = pages.encode(KEY, SCOPE, pages.Cursor(1, 1))
    _body, sig = token.split(".")
    forged = pages.encode(b"x" * 32, SCOPE, pages.Cursor(999, 999)).split(".")[0]
    with pytest.raises(pages.InvalidPageToken):
        pages.decode(KEY, SCOPE, f"{forged}.{sig}")
    with pytest.raises(pages.InvalidPageToken):
        pages.decode(b"y" * 32, SCOPE, token)


def test_signing_key_is_stable_per_store(db: Database) -> None:
    with db.read() as conn:
        first = pages.signing_key(conn)
    reopened = Database(db.path)
    with reopened.read() as conn:
        assert pages.signing_key(conn) == first
    reopened.close()
    assert len(first) == 32
