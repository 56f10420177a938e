from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from ragkit.engine.store import migrations
from ragkit.engine.store.db import Database


def _tables(conn: sqlite3.Connection) -> set[str]:
    rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    return {row[0] for row in rows}


def test_fresh_database_records_every_migration_in_order(tmp_path: Path) -> None:
    db = Database(tmp_path / "x.sqlite3")
    with db.read() as conn:
        names = migrations.applied_migrations(conn)
        assert names == [fn.__name__ for fn in migrations.MIGRATIONS]
        assert names[0].startswith("m001_")
        assert {"corpora", "documents", "chunks", "chunk_vectors", "permissions"} <= _tables(conn)
    db.close()


def test_migrate_is_idempotent_and_keeps_data(tmp_path: Path) -> None:
    path = tmp_path / "x.sqlite3"
    db = Database(path)
    with db.write() as conn:
        conn.execute("INSERT INTO _ragkit_meta (key, value) VALUES ('probe', 'kept')")
    db.close()
    conn = sqlite3.connect(path, isolation_level=None)
    assert migrations.migrate(conn) == []
    assert conn.execute("SELECT value FROM _ragkit_meta WHERE key = 'probe'").fetchone() == (
        "kept",
    )
    conn.close()
    reopened = Database(path)  # opening again migrates again: nothing to do, nothing lost
    with reopened.read() as rconn:
        assert len(migrations.applied_migrations(rconn)) == len(migrations.MIGRATIONS)
    reopened.close()


def test_partially_migrated_database_gets_only_the_missing_steps(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "x.sqlite3", isolation_level=None)
    first = migrations.MIGRATIONS[0]
    conn.execute("CREATE TABLE _ragkit_migrations (name TEXT PRIMARY KEY, applied_at REAL)")
    conn.execute("BEGIN")
    first(conn)
    conn.execute("INSERT INTO _ragkit_migrations VALUES (?, 0)", (first.__name__,))
    conn.execute("COMMIT")
    applied = migrations.migrate(conn)
    assert applied == [fn.__name__ for fn in migrations.MIGRATIONS[1:]]
    conn.close()


def test_a_failing_migration_leaves_no_trace(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def m999_broken(conn: sqlite3.Connection) -> None:
        conn.execute("CREATE TABLE half_done (x)")
        raise RuntimeError("boom")

    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS, m999_broken])
    conn = sqlite3.connect(tmp_path / "x.sqlite3", isolation_level=None)
    with pytest.raises(RuntimeError, match="boom"):
        migrations.migrate(conn)
    assert "half_done" not in _tables(conn)
    assert "m999_broken" not in migrations.applied_migrations(conn)
    assert "corpora" in _tables(conn)  # the earlier steps committed on their own
    conn.close()


def test_database_is_in_wal_mode_with_foreign_keys(tmp_path: Path) -> None:
    db = Database.in_directory(tmp_path / "home")
    with db.read() as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert (tmp_path / "home" / "engine.sqlite3").is_file()
    db.close()
