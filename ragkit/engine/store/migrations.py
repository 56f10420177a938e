"""Numbered schema migrations, each applied once and recorded in ``_ragkit_migrations``.

A migration is a function ``mNNN_description(conn)`` registered with
:func:`migration`. :func:`migrate` runs the ones not yet recorded, in order, each
in its own transaction together with its record, so a crash mid-migration leaves
the schema at the previous step. Never edit a released migration: add a new one.

Per-corpus FTS5 tables are not created here: they come and go with their corpus
(see ``ragkit.engine.store.fts``).
"""

from __future__ import annotations

import secrets
import sqlite3
import time
from collections.abc import Callable

Migration = Callable[[sqlite3.Connection], None]

MIGRATIONS: list[Migration] = []


def migration(fn: Migration) -> Migration:
    """Register ``fn`` as the next migration (its name is its identity in the record table)."""
    MIGRATIONS.append(fn)
    return fn


def applied_migrations(conn: sqlite3.Connection) -> list[str]:
    """Names of the migrations recorded as applied, oldest first."""
    rows = conn.execute("SELECT name FROM _ragkit_migrations ORDER BY rowid").fetchall()
    return [row[0] for row in rows]


def migrate(conn: sqlite3.Connection) -> list[str]:
    """Apply pending migrations; returns the names applied now (empty when up to date)."""
    conn.execute(
        "CREATE TABLE IF NOT EXISTS _ragkit_migrations ("
        " name TEXT PRIMARY KEY, applied_at REAL NOT NULL)"
    )
    done = set(applied_migrations(conn))
    applied: list[str] = []
    for fn in MIGRATIONS:
        if fn.__name__ in done:
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Another process may have migrated between our check and the lock.
            already = conn.execute(
                "SELECT 1 FROM _ragkit_migrations WHERE name = ?", (fn.__name__,)
            ).fetchone()
            if already is None:
                fn(conn)
                conn.execute(
                    "INSERT INTO _ragkit_migrations (name, applied_at) VALUES (?, ?)",
                    (fn.__name__, time.time()),
                )
                applied.append(fn.__name__)
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
    return applied


def _script(conn: sqlite3.Connection, sql: str) -> None:
    # executescript() would COMMIT our transaction first; run statement by statement instead.
    for statement in sql.split(";"):
        if statement.strip():
            conn.execute(statement)


@migration
def m001_create_corpora_documents_chunks(conn: sqlite3.Connection) -> None:
    _script(
        conn,
        """
        CREATE TABLE corpora (
            id INTEGER PRIMARY KEY,
            corpus_id TEXT NOT NULL UNIQUE,
            display_name TEXT NOT NULL DEFAULT '',
            create_time INTEGER NOT NULL,
            update_time INTEGER NOT NULL,
            embedder TEXT NOT NULL,
            document_count INTEGER NOT NULL DEFAULT 0,
            chunk_count INTEGER NOT NULL DEFAULT 0,
            chunks_version INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX corpora_by_time ON corpora (create_time, id);

        CREATE TABLE documents (
            id INTEGER PRIMARY KEY,
            corpus INTEGER NOT NULL REFERENCES corpora (id) ON DELETE CASCADE,
            document_id TEXT NOT NULL,
            display_name TEXT NOT NULL DEFAULT '',
            custom_metadata TEXT,
            create_time INTEGER NOT NULL,
            update_time INTEGER NOT NULL,
            UNIQUE (corpus, document_id)
        );
        CREATE INDEX documents_by_time ON documents (corpus, create_time, id);

        CREATE TABLE chunks (
            id INTEGER PRIMARY KEY,
            document INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
            corpus INTEGER NOT NULL,
            chunk_id TEXT NOT NULL,
            text TEXT NOT NULL,
            custom_metadata TEXT,
            create_time INTEGER NOT NULL,
            update_time INTEGER NOT NULL,
            ready_time INTEGER NOT NULL,
            UNIQUE (document, chunk_id)
        );
        CREATE INDEX chunks_by_time ON chunks (document, create_time, id);
        CREATE INDEX chunks_by_corpus ON chunks (corpus, ready_time);

        -- Vectors live apart from the chunk rows so that loading a corpus's index is
        -- one sequential scan and listing chunks never drags vector pages along.
        CREATE TABLE chunk_vectors (
            chunk INTEGER PRIMARY KEY REFERENCES chunks (id) ON DELETE CASCADE,
            corpus INTEGER NOT NULL,
            vector BLOB NOT NULL
        );
        CREATE INDEX chunk_vectors_by_corpus ON chunk_vectors (corpus, chunk);
        """,
    )


@migration
def m002_create_metadata_indexes(conn: sqlite3.Connection) -> None:
    # One row per metadata value (per list element for string lists), so that filter
    # conditions become indexed range/equality lookups instead of JSON scans. The
    # JSON column on the owning row stays the source for reading entries back.
    for owner, table in (("document", "documents"), ("chunk", "chunks")):
        _script(
            conn,
            f"""
            CREATE TABLE {owner}_metadata (
                {owner} INTEGER NOT NULL REFERENCES {table} (id) ON DELETE CASCADE,
                corpus INTEGER NOT NULL,
                pos INTEGER NOT NULL,
                key TEXT NOT NULL,
                kind INTEGER NOT NULL,
                s TEXT,
                n REAL
            );
            CREATE INDEX {owner}_metadata_by_owner ON {owner}_metadata ({owner});
            CREATE INDEX {owner}_metadata_s ON {owner}_metadata (corpus, key, kind, s, {owner});
            CREATE INDEX {owner}_metadata_n ON {owner}_metadata (corpus, key, kind, n, {owner})
            """,
        )


@migration
def m003_create_permissions(conn: sqlite3.Connection) -> None:
    _script(
        conn,
        """
        CREATE TABLE permissions (
            id INTEGER PRIMARY KEY,
            corpus INTEGER NOT NULL REFERENCES corpora (id) ON DELETE CASCADE,
            permission_id TEXT NOT NULL,
            grantee_type TEXT NOT NULL,
            email_address TEXT,
            role TEXT NOT NULL,
            create_time INTEGER NOT NULL,
            UNIQUE (corpus, permission_id)
        );
        CREATE INDEX permissions_by_corpus ON permissions (corpus, create_time, id);
        CREATE INDEX permissions_by_grantee ON permissions (email_address, role, corpus)
        """,
    )


@migration
def m004_create_meta(conn: sqlite3.Connection) -> None:
    # Store-wide settings; the page-token signing key lives here so tokens stay valid
    # across restarts and across processes sharing the data directory.
    conn.execute("CREATE TABLE _ragkit_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    conn.execute(
        "INSERT INTO _ragkit_meta (key, value) VALUES ('page_token_key', ?)",
        (secrets.token_hex(32),),
    )


@migration
def m005_covering_metadata_owner_indexes(conn: sqlite3.Connection) -> None:
    # Filters test each candidate chunk (or document) with a correlated lookup by owner and
    # key; an index holding the values answers it without touching the table (measured ~2x
    # faster at 100k chunks). It also still serves the ON DELETE CASCADE lookups.
    for owner in ("document", "chunk"):
        conn.execute(f"DROP INDEX {owner}_metadata_by_owner")
        conn.execute(
            f"CREATE INDEX {owner}_metadata_by_owner_key"
            f" ON {owner}_metadata ({owner}, key, kind, n, s)"
        )


@migration
def m006_fts_vocabulary_tables(conn: sqlite3.Connection) -> None:
    # Document frequencies per term let queries leave out words found in most chunks
    # (ragkit.engine.lexical); corpora created before this step get their table here.
    from ragkit.engine.store import fulltext

    for (rowid,) in conn.execute("SELECT id FROM corpora").fetchall():
        fulltext.create_vocab(conn, int(rowid))
