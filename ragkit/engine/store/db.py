"""The SQLite connection layer: WAL, foreign keys, one writer, many readers.

SQLite allows one writer at a time, so every write in the process goes through
:meth:`Database.write`, which holds a lock for the whole transaction
(``BEGIN IMMEDIATE`` ... ``COMMIT``). A failure anywhere inside rolls the whole
transaction back, which is what makes a batch call all-or-nothing. Readers use
pooled connections of their own and, thanks to WAL, never wait for the writer.

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
MAX_IDLE_READERS = 8


def _connect(target: str) -> sqlite3.Connection:
    # isolation_level=None: we issue BEGIN/COMMIT ourselves, so transactions are explicit.
    conn = sqlite3.connect(target, isolation_level=None, check_same_thread=False, timeout=30.0)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA busy_timeout = 30000")
    conn.execute("PRAGMA synchronous = FULL")
    # Page cache per connection (negative = KiB). Hot pages also stay in the OS cache, so a
    # modest private cache keeps memory bounded with several readers: 16 MiB each.
    conn.execute("PRAGMA cache_size = -16384")
    return conn


class Database:
    """A SQLite database with one serialised writer and a pool of reader connections.

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
        self._idle: list[sqlite3.Connection] = []  # reader connections not in use
        self._idle_lock = threading.Lock()
        self._closed = False
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
        conn = self._acquire()
        try:
            conn.execute("BEGIN")
            try:
                yield conn
            finally:
                conn.execute("COMMIT")
        finally:
            self._release(conn)

    def _acquire(self) -> sqlite3.Connection:
        with self._idle_lock:
            if self._idle:
                return self._idle.pop()
        conn = _connect(self.path)
        conn.execute("PRAGMA query_only = ON")
        return conn

    def _release(self, conn: sqlite3.Connection) -> None:
        with self._idle_lock:
            if not self._closed and len(self._idle) < MAX_IDLE_READERS:
                self._idle.append(conn)
                return
        conn.close()

    def close(self) -> None:
        """Close the writer and the idle readers (readers in use close on release)."""
        with self._idle_lock:
            self._closed = True
            for conn in self._idle:
                conn.close()
            self._idle.clear()
        with self._write_lock:
            self._writer.close()
