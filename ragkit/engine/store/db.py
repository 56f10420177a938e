"""The SQLite connection layer: WAL, foreign keys, one writer, many readers.

SQLite allows one writer at a time, so every write in the process goes through
:meth:`Database.write`, which holds a lock for the whole transaction
(``BEGIN IMMEDIATE`` ... ``COMMIT``). A failure anywhere inside rolls the whole
transaction back, which is what makes a batch call all-or-nothing. Readers use
their own per-thread connections and, thanks to WAL, never wait for the writer.

``synchronous=FULL`` makes every acknowledged commit durable across a power cut
(the cost, one fsync per transaction, is paid once per batch, not per chunk).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ragkit.engine.store.migrations import migrate

DB_FILENAME = "engine.sqlite3"
MEMORY = ":memory:"


def _connect(target: str) -> sqlite3.Connection:
    # isolation_level=None: we issue BEGIN/COMMIT ourselves, so transactions are explicit.
    conn = sqlite3.connect(target, isolation_level=None, check_same_thread=False, timeout=30.0)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA busy_timeout = 30000")
    conn.execute("PRAGMA synchronous = FULL")
    # Room for FTS5 and index pages of a large corpus (negative = KiB): 64 MiB per connection.
    conn.execute("PRAGMA cache_size = -65536")
    return conn


class Database:
    """A SQLite database with one serialised writer and per-thread readers.

    >>> db = Database(MEMORY)
    >>> with db.write() as conn:
    ...     _ = conn.execute("INSERT INTO _ragkit_meta VALUES ('greeting', 'hi')")
    >>> with db.read() as conn:
    ...     conn.execute("SELECT value FROM _ragkit_meta WHERE key = 'greeting'").fetchone()[0]
    'hi'
    """

    def __init__(self, path: Path | str) -> None:
        self.path = str(path)
        self._write_lock: threading.RLock = threading.RLock()
        self._local = threading.local()
        self._readers: list[sqlite3.Connection] = []
        self._readers_lock = threading.Lock()
        self._writer = _connect(self.path)
        if self.path != MEMORY:
            mode = self._writer.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                raise RuntimeError(f"could not put {self.path} in WAL mode (got {mode!r})")
        with self._write_lock:
            migrate(self._writer)

    @property
    def lock(self) -> threading.RLock:
        """The writer lock (re-entrant): hold it to keep work in step with commit order."""
        return self._write_lock

    @classmethod
    def in_directory(cls, home: Path) -> Database:
        """Open (creating if needed) the engine database inside a data directory."""
        home.mkdir(parents=True, exist_ok=True)
        return cls(home / DB_FILENAME)

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; it commits on success and rolls back on any exception."""
        with self._write_lock:
            conn = self._writer
            if conn.in_transaction:  # nested use inside an outer write: join it
                yield conn
                return
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """A consistent snapshot for the duration of the block (a deferred read transaction)."""
        if self.path == MEMORY:
            # An in-memory database exists only on the writer's connection.
            with self._write_lock:
                yield self._writer
            return
        conn = self._reader()
        if conn.in_transaction:
            yield conn
            return
        conn.execute("BEGIN")
        try:
            yield conn
        finally:
            conn.execute("COMMIT")

    def _reader(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = _connect(self.path)
            conn.execute("PRAGMA query_only = ON")
            self._local.conn = conn
            with self._readers_lock:
                self._readers.append(conn)
        return conn

    def close(self) -> None:
        """Close every connection (readers of other threads included)."""
        with self._readers_lock:
            for conn in self._readers:
                conn.close()
            self._readers.clear()
        with self._write_lock:
            self._writer.close()
