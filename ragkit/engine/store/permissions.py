"""Permission rows: who holds which role on a corpus."""

from __future__ import annotations

import sqlite3

from ragkit.engine.store.pages import Cursor, keyset_page
from ragkit.engine.store.records import PermissionRecord

_COLUMNS = (
    "p.id, p.corpus, c.corpus_id, p.permission_id, p.grantee_type, p.email_address, p.role,"
    " p.create_time"
)
_FROM = "permissions p JOIN corpora c ON c.id = p.corpus"


def _record(row: tuple[object, ...]) -> PermissionRecord:
    return PermissionRecord(*row)  # type: ignore[arg-type]


def insert(
    conn: sqlite3.Connection,
    corpus_rowid: int,
    permission_id: str,
    grantee_type: str,
    email_address: str | None,
    role: str,
    now: int,
) -> int:
    cur = conn.execute(
        "INSERT INTO permissions (corpus, permission_id, grantee_type, email_address, role,"
        " create_time) VALUES (?, ?, ?, ?, ?, ?)",
        (corpus_rowid, permission_id, grantee_type, email_address, role, now),
    )
    return int(cur.lastrowid or 0)


def get(conn: sqlite3.Connection, corpus_rowid: int, permission_id: str) -> PermissionRecord | None:
    found = conn.execute(
        f"SELECT {_COLUMNS} FROM {_FROM} WHERE p.corpus = ? AND p.permission_id = ?",
        (corpus_rowid, permission_id),
    ).fetchone()
    return _record(found) if found else None


def find_grantee(
    conn: sqlite3.Connection, corpus_rowid: int, grantee_type: str, email_address: str | None
) -> PermissionRecord | None:
    """The existing grant for this grantee on the corpus, if any."""
    found = conn.execute(
        f"SELECT {_COLUMNS} FROM {_FROM} WHERE p.corpus = ? AND p.grantee_type = ?"
        " AND p.email_address IS ?",
        (corpus_rowid, grantee_type, email_address),
    ).fetchone()
    return _record(found) if found else None


def roles_for(conn: sqlite3.Connection, corpus_rowid: int, email: str) -> list[str]:
    """Roles that apply to ``email`` on a corpus: its own grants plus any EVERYONE grant."""
    rows = conn.execute(
        "SELECT role FROM permissions WHERE corpus = ?"
        " AND (email_address = ? OR grantee_type = 'EVERYONE')",
        (corpus_rowid, email),
    )
    return [row[0] for row in rows]


def list_page(
    conn: sqlite3.Connection, corpus_rowid: int, after: Cursor | None, limit: int
) -> list[PermissionRecord]:
    rows = keyset_page(
        conn,
        f"SELECT {_COLUMNS} FROM {_FROM}",
        "p.corpus = ?",
        [corpus_rowid],
        alias="p",
        after=after,
        limit=limit,
    )
    return [_record(r) for r in rows]


def count_owners(conn: sqlite3.Connection, corpus_rowid: int) -> int:
    row = conn.execute(
        "SELECT COUNT(*) FROM permissions WHERE corpus = ? AND role = 'OWNER'", (corpus_rowid,)
    ).fetchone()
    return int(row[0])


def update_role(conn: sqlite3.Connection, rowid: int, role: str) -> None:
    conn.execute("UPDATE permissions SET role = ? WHERE id = ?", (role, rowid))


def delete(conn: sqlite3.Connection, rowid: int) -> None:
    conn.execute("DELETE FROM permissions WHERE id = ?", (rowid,))
