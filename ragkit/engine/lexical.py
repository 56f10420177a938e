"""Keep BM25 interactive on a big corpus: leave out query words that match too many chunks.

FTS5 scores every chunk that matches any query word before it can return the best
``k`` (it has no top-k pruning), so one word found in most chunks ("the", "of") costs
about a second at a million chunks (~1 ms per 1,000 postings, measured). Such words add
almost nothing to BM25 (their IDF is near zero), so the planner keeps the rarest words
while their combined document frequency stays within :data:`POSTINGS_BUDGET` and drops
the rest (:func:`keep_rarest`). When even the rarest word is too common, lexical search
is skipped and the dense ranking alone answers. On a small corpus nothing is dropped:
there is no stopword list, the frequencies alone decide.

Document frequencies come from an ``fts5vocab`` (row) table over the FTS5 table, looked
up by the *stemmed* word (FTS5's own porter tokenizer, run on a private in-memory table),
and are cached per table until its size changes by more than a tenth.

The engine calls :meth:`LexicalPlanner.plan_match` with a corpus; any FTS5 table with a
vocabulary table (see :func:`ragkit.engine.search.fts.create_vocab_sql`) works through
:meth:`LexicalPlanner.plan`.
"""

from __future__ import annotations

import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Hashable, Mapping, Sequence

from ragkit.engine.search.fts import (
    FTS5_TOKENIZE,
    check_identifier,
    match_expression,
    query_terms,
)
from ragkit.engine.store import fulltext
from ragkit.engine.store.records import CorpusRecord

__all__ = ["POSTINGS_BUDGET", "LexicalPlanner", "keep_rarest"]

#: Postings FTS5 may score with bm25() for one query (~30 ms of FTS5 scoring).
POSTINGS_BUDGET = 30_000
_CACHE_SIZE = 50_000


def keep_rarest(words: Sequence[str], frequency: Mapping[str, int], budget: int) -> list[str]:
    """The rarest of ``words`` whose frequencies add up to at most ``budget``, rarest first.

    Greedy on purpose: the words past the budget are the most frequent ones, whose BM25
    weight is the lowest, so dropping them costs the least ranking quality.

    >>> keep_rarest(["the", "rare", "middling"], {"the": 900, "rare": 3, "middling": 40}, 50)
    ['rare', 'middling']
    """
    kept: list[str] = []
    spent = 0
    for word in sorted(words, key=lambda w: frequency[w]):
        if spent + frequency[word] > budget:
            break
        kept.append(word)
        spent += frequency[word]
    return kept


class _Stemmer:
    """FTS5's tokenizer as a function: the index terms a list of words becomes."""

    def __init__(self) -> None:
        self._conn = sqlite3.connect(":memory:", check_same_thread=False)
        self._conn.execute(f"CREATE VIRTUAL TABLE words USING fts5(w, tokenize='{FTS5_TOKENIZE}')")
        self._conn.execute("CREATE VIRTUAL TABLE terms USING fts5vocab(words, 'instance')")
        self._lock = threading.Lock()

    def stems(self, words: list[str]) -> list[str | None]:
        with self._lock:
            self._conn.execute("DELETE FROM words")
            self._conn.executemany(
                "INSERT INTO words (rowid, w) VALUES (?, ?)", list(enumerate(words, start=1))
            )
            found = dict(self._conn.execute("SELECT doc, term FROM terms"))
        return [found.get(i) for i in range(1, len(words) + 1)]


class LexicalPlanner:
    """Chooses the words of a query worth a BM25 search on a given FTS5 table.

    One planner serves many tables and threads; it caches document frequencies.
    """

    def __init__(self) -> None:
        self._stemmer = _Stemmer()
        self._cache: OrderedDict[tuple[str, Hashable, str], tuple[int, int]] = OrderedDict()
        self._lock = threading.Lock()

    def plan_match(self, conn: sqlite3.Connection, corpus: CorpusRecord, query: str) -> str | None:
        """A safe FTS5 MATCH expression for ``query`` on ``corpus``; None: skip BM25."""
        return self.plan(
            conn,
            fulltext.vocab_name(corpus.rowid),
            query,
            # create_time tells a re-created corpus from an old one with the same rowid.
            cache_key=(corpus.rowid, corpus.create_time),
            size=corpus.chunk_count,
            # Read at call time so that the module setting (and tests) can change it.
            budget=POSTINGS_BUDGET,
        )

    def plan(
        self,
        conn: sqlite3.Connection,
        vocab_table: str,
        query: str,
        *,
        cache_key: Hashable,
        size: int,
        budget: int = POSTINGS_BUDGET,
    ) -> str | None:
        """A safe MATCH expression for ``query`` whose postings fit in ``budget``.

        ``vocab_table`` is an ``fts5vocab`` table of type ``row`` over the FTS5 table to
        search; ``cache_key`` names that table's content (change it when the table is
        rebuilt) and ``size`` is its row count, so cached frequencies are looked up again
        once the table grows or shrinks by more than a tenth. Returns None when the query
        has no words or even its rarest word matches more than ``budget`` rows.

        >>> from ragkit.engine.search.fts import create_table_sql, create_vocab_sql
        >>> conn = sqlite3.connect(":memory:")
        >>> _ = conn.execute(create_table_sql("fts", ("body",)))
        >>> _ = conn.execute(create_vocab_sql("fts", "fts_vocab"))
        >>> _ = conn.executemany("INSERT INTO fts(body) VALUES (?)", [("the key",), ("the end",)])
        >>> planner = LexicalPlanner()
        >>> planner.plan(conn, "fts_vocab", "The key?", cache_key="fts", size=2)
        '"the" OR "key"'
        >>> planner.plan(conn, "fts_vocab", "The key?", cache_key="fts", size=2, budget=1)
        '"key"'
        """
        check_identifier(vocab_table)
        words = query_terms(query)
        if not words:
            return None
        frequency = self._frequencies(conn, vocab_table, words, cache_key=cache_key, size=size)
        kept = set(keep_rarest(words, frequency, budget))
        if not kept:
            return None
        # Query order, not rarity order: the expression reads like the question.
        return match_expression(" ".join(w for w in words if w in kept))

    def _frequencies(
        self,
        conn: sqlite3.Connection,
        vocab_table: str,
        words: list[str],
        *,
        cache_key: Hashable,
        size: int,
    ) -> dict[str, int]:
        out: dict[str, int] = {}
        missing: list[str] = []
        with self._lock:
            for word in words:
                cached = self._cache.get((vocab_table, cache_key, word))
                if cached is not None and abs(size - cached[1]) <= size // 10 + 100:
                    out[word] = cached[0]
                else:
                    missing.append(word)
        if missing:
            for word, stem in zip(missing, self._stemmer.stems(missing), strict=True):
                row = None
                if stem is not None:
                    row = conn.execute(
                        f"SELECT doc FROM {vocab_table} WHERE term = ?", (stem,)
                    ).fetchone()
                out[word] = int(row[0]) if row else 0
            with self._lock:
                for word in missing:
                    self._cache[(vocab_table, cache_key, word)] = (out[word], size)
                while len(self._cache) > _CACHE_SIZE:
                    self._cache.popitem(last=False)
        return out
