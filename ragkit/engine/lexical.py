"""Keep BM25 interactive on a big corpus: leave out query words that match too many chunks.

FTS5 scores every chunk that matches any query word before it can return the best
``k``, so one word found in most chunks ("the", "of") costs about a second at a million
chunks (~1 ms per 1,000 postings, measured). Such words add almost nothing to BM25
(their IDF is near zero), so :func:`plan_match` keeps the rarest words while their
combined document frequency stays within :data:`POSTINGS_BUDGET` and drops the rest.
When even the rarest word is too common, lexical search is skipped and the dense
ranking alone answers. On a small corpus nothing is dropped.

Document frequencies come from the corpus's ``fts5vocab`` table, looked up by the
*stemmed* word (FTS5's own porter tokenizer, run on a private in-memory table), and
are cached per corpus until its size changes by more than a tenth.
"""

from __future__ import annotations

import sqlite3
import threading
from collections import OrderedDict

from ragkit.engine.search.fts import FTS5_TOKENIZE, match_expression, query_terms
from ragkit.engine.store import fulltext
from ragkit.engine.store.records import CorpusRecord

POSTINGS_BUDGET = 30_000  # ~30 ms of FTS5 scoring
_CACHE_SIZE = 50_000


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
    """Chooses the words of a query worth a BM25 search on a given corpus."""

    def __init__(self) -> None:
        self._stemmer = _Stemmer()
        self._cache: OrderedDict[tuple[int, int, str], tuple[int, int]] = OrderedDict()
        self._lock = threading.Lock()

    def plan_match(self, conn: sqlite3.Connection, corpus: CorpusRecord, query: str) -> str | None:
        """A safe FTS5 MATCH expression for ``query`` on ``corpus``; None: skip BM25."""
        words = query_terms(query)
        if not words:
            return None
        frequency = self._frequencies(conn, corpus, words)
        kept: list[str] = []
        spent = 0
        for word in sorted(words, key=lambda w: frequency[w]):
            if spent + frequency[word] > POSTINGS_BUDGET:
                break
            kept.append(word)
            spent += frequency[word]
        if len(kept) == len(words):
            return match_expression(query)
        return match_expression(" ".join(kept)) if kept else None

    def _frequencies(
        self, conn: sqlite3.Connection, corpus: CorpusRecord, words: list[str]
    ) -> dict[str, int]:
        out: dict[str, int] = {}
        missing: list[str] = []
        size = corpus.chunk_count
        with self._lock:
            for word in words:
                cached = self._cache.get((corpus.rowid, corpus.create_time, word))
                if cached is not None and abs(size - cached[1]) <= size // 10 + 100:
                    out[word] = cached[0]
                else:
                    missing.append(word)
        if missing:
            vocab = fulltext.vocab_name(corpus.rowid)
            for word, stem in zip(missing, self._stemmer.stems(missing), strict=True):
                row = None
                if stem is not None:
                    row = conn.execute(
                        f"SELECT doc FROM {vocab} WHERE term = ?", (stem,)
                    ).fetchone()
                out[word] = int(row[0]) if row else 0
            with self._lock:
                for word in missing:
                    self._cache[(corpus.rowid, corpus.create_time, word)] = (out[word], size)
                while len(self._cache) > _CACHE_SIZE:
                    self._cache.popitem(last=False)
        return out
