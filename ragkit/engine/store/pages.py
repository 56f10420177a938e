"""Opaque, signed page tokens bound to the request that produced them.

A token carries the position after the last item returned, ``(create_time,
rowid)``, plus a digest of the request's identity (method, parent, caller and
any other parameter that must stay the same across pages). It is signed with a
key kept in the store, so a token cannot be forged, edited or replayed against a
different list: each of those is reported as :class:`InvalidPageToken`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import sqlite3
from dataclasses import dataclass


class InvalidPageToken(ValueError):
    """The token is malformed, tampered with, or belongs to another request."""


@dataclass(frozen=True, slots=True)
class Cursor:
    """The sort key of the last item on a page; the next page starts after it."""

    create_time: int
    rowid: int


def keyset_page(
    conn: sqlite3.Connection,
    select: str,
    where: str,
    params: list[object],
    *,
    alias: str,
    after: Cursor | None,
    limit: int,
) -> list[tuple[object, ...]]:
    """Rows of ``select ... WHERE where`` in list order, starting after ``after``.

    Keyset pagination on ``(alias.create_time, alias.id)``: items added while a caller
    pages never shift the next page, and every page is one index range scan.
    """
    sql = f"{select} WHERE {where}"
    params = list(params)
    if after is not None:
        sql += f" AND ({alias}.create_time, {alias}.id) > (?, ?)"
        params += [after.create_time, after.rowid]
    sql += f" ORDER BY {alias}.create_time, {alias}.id LIMIT ?"
    params.append(limit)
    return conn.execute(sql, params).fetchall()


def signing_key(conn: sqlite3.Connection) -> bytes:
    row = conn.execute("SELECT value FROM _ragkit_meta WHERE key = 'page_token_key'").fetchone()
    return bytes.fromhex(row[0])


def _scope_digest(scope: tuple[str, ...]) -> str:
    return hashlib.sha256("\x1f".join(scope).encode()).hexdigest()[:16]


def _sign(key: bytes, payload: bytes) -> str:
    return hmac.new(key, payload, hashlib.sha256).hexdigest()[:24]


def encode(key: bytes, scope: tuple[str, ...], cursor: Cursor) -> str:
    """A token for the page after ``cursor`` of the list identified by ``scope``."""
    payload = json.dumps(
        [_scope_digest(scope), cursor.create_time, cursor.rowid], separators=(",", ":")
    ).encode()
    body = base64.urlsafe_b64encode(payload).decode().rstrip("=")
    return f"{body}.{_sign(key, payload)}"


def decode(key: bytes, scope: tuple[str, ...], token: str) -> Cursor:
    """The cursor inside ``token``; raises :class:`InvalidPageToken` unless it is ours and fits."""
    body, _, signature = token.partition(".")
    try:
        payload = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except ValueError as exc:
        raise InvalidPageToken("page token is not valid") from exc
    if not signature or not hmac.compare_digest(signature, _sign(key, payload)):
        raise InvalidPageToken("page token is not valid")
    digest, create_time, rowid = json.loads(payload)
    if digest != _scope_digest(scope):
        raise InvalidPageToken(
            "page token does not belong to this request: every parameter except pageSize"
            " must match the call that returned it"
        )
    return Cursor(int(create_time), int(rowid))
