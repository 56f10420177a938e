"""FTS5 helpers and the lexical planner against real FTS5 tables: hostile text never errors,
words are found, and the planner keeps the rarest words within its budget."""

from __future__ import annotations

import doctest
import sqlite3
from collections.abc import Iterator
from types import ModuleType

import pytest

from ragkit.engine import lexical
from ragkit.engine.lexical import LexicalPlanner, keep_rarest
from ragkit.engine.search import fts
from ragkit.engine.search.fts import (
    FTS5_TOKENIZE,
    create_table_sql,
    create_vocab_sql,
    match_expression,
    query_terms,
)

DOCS = {
    1: "How to rotate an API key: create a new key, deploy it, delete the old one.",
    2: 'The NEAR operator and "quoted phrases" in full-text search (with parentheses).',
    3: "Café naïve résumé — diacritics folded by unicode61.",
    4: "Running dogs ran past the runner.",
    5: "日本語 テキスト 検索",
    6: "AND OR NOT are words here too",
}


@pytest.fixture
def db() -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(":memory:")
    conn.execute(create_table_sql("fts", ("body",)))
    conn.executemany("INSERT INTO fts(rowid, body) VALUES (?, ?)", list(DOCS.items()))
    yield conn
    conn.close()


def search(conn: sqlite3.Connection, text: str) -> list[int]:
    expression = match_expression(text)
    if expression is None:
        return []
    rows = conn.execute(
        "SELECT rowid FROM fts WHERE fts MATCH ? ORDER BY rank", (expression,)
    ).fetchall()
    return [row[0] for row in rows]


HOSTILE = [
    "",
    "   ",
    '"',
    '""',
    '"unbalanced quote',
    "'single'",
    "NEAR(rotate key, 2)",
    "NEAR",
    "rotate*",
    "*",
    "^rotate",
    "body:rotate",
    "-rotate",
    "(rotate",
    "rotate)",
    "rotate AND",
    "OR OR OR",
    "NOT key",
    "a + b = c; DROP TABLE fts; --",
    "\x00\x01\x02",
    "🙂🙂",
    "e\u0301",  # decomposed accent
    "x" * 10_000,
    " ".join(f"w{i}" for i in range(1000)),
    "\\\\ {} [] <> | ~ ` @ # $ % &",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_input_never_raises(db: sqlite3.Connection, text: str) -> None:
    search(db, text)  # an sqlite3.OperationalError here is the failure


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("NEAR(rotate key, 2)", {1, 2}),  # NEAR is a word: doc 2 contains it
        ('"quoted phrases"', {2}),
        ("rotate*", {1}),
        ("(parentheses", {2}),
        ("cafe NAIVE", {3}),
        ("caf\u00e9", {3}),
        ("cafe\u0301", {3}),  # decomposed é is normalised first
        ("run", {4}),  # porter stemming
        ("NOT", {6}),  # an operator word is just a word
        ("日本語", {5}),
    ],
)
def test_words_are_found(db: sqlite3.Connection, text: str, expected: set[int]) -> None:
    assert set(search(db, text)) == expected


@pytest.mark.parametrize("text", ["", "   ", "?!", '"', "*", "()", "🙂", "— –"])
def test_nothing_searchable_gives_none(text: str) -> None:
    assert match_expression(text) is None


def test_expression_shape_and_dedup() -> None:
    assert match_expression('Key "key" KEY rotate') == '"key" OR "rotate"'
    assert query_terms("Don't PANIC: don't!") == ["don", "t", "panic"]


def test_term_cap() -> None:
    terms = query_terms(" ".join(f"w{i}" for i in range(500)), max_terms=64)
    assert terms == [f"w{i}" for i in range(64)]


def test_more_matching_words_rank_higher(db: sqlite3.Connection) -> None:
    assert search(db, "rotate API key deploy")[0] == 1


def test_create_table_sql() -> None:
    sql = create_table_sql("chunks_fts", ("text",), content="chunks", content_rowid="id")
    assert f"tokenize='{FTS5_TOKENIZE}'" in sql
    assert "content='chunks'" in sql
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE chunks (id INTEGER PRIMARY KEY, text TEXT)")
    conn.execute(sql)
    conn.execute("INSERT INTO chunks VALUES (10, 'external content works')")
    conn.execute("INSERT INTO chunks_fts(rowid, text) VALUES (10, 'external content works')")
    found = conn.execute(
        "SELECT rowid FROM chunks_fts WHERE chunks_fts MATCH ?", (match_expression("works"),)
    ).fetchall()
    assert found == [(10,)]


@pytest.mark.parametrize("bad", ["x; DROP TABLE y", "1abc", "a-b", ""])
def test_create_table_sql_rejects_odd_identifiers(bad: str) -> None:
    with pytest.raises(ValueError, match="identifier"):
        create_table_sql(bad)


@pytest.mark.parametrize("bad", ["x; DROP TABLE y", "1abc", ""])
def test_create_vocab_sql_rejects_odd_identifiers(bad: str) -> None:
    with pytest.raises(ValueError, match="identifier"):
        create_vocab_sql("fts", bad)
    with pytest.raises(ValueError, match="identifier"):
        create_vocab_sql(bad, "fts_vocab")


@pytest.mark.parametrize("module", [fts, lexical])
def test_doctests(module: ModuleType) -> None:
    result = doctest.testmod(module)
    assert result.attempted > 0
    assert result.failed == 0


SKEWED_ROWS = 200


def _skewed_rows(start: int, count: int) -> list[tuple[int, str]]:
    rows = []
    for i in range(start, start + count):
        words = ["the", "common", f"filler{i}"]
        if i % 5 == 0:
            words.append("middling")
        if i in (7, 77, 177):
            words.append("rare")
        rows.append((i, " ".join(words)))
    return rows


@pytest.fixture
def skewed() -> Iterator[sqlite3.Connection]:
    """200 rows: 'common' in all, 'middling' in 40, 'rare' in 3, 'the' everywhere."""
    conn = sqlite3.connect(":memory:")
    conn.execute(create_table_sql("fts", ("body",)))
    conn.execute(create_vocab_sql("fts", "fts_vocab"))
    conn.executemany("INSERT INTO fts(rowid, body) VALUES (?, ?)", _skewed_rows(0, SKEWED_ROWS))
    yield conn
    conn.close()


def plan(conn: sqlite3.Connection, query: str, **options: int) -> str | None:
    """A fresh planner's expression for the skewed table (no cache carried between tests)."""
    return LexicalPlanner().plan(
        conn, "fts_vocab", query, cache_key="skewed", size=SKEWED_ROWS, **options
    )


def matched(conn: sqlite3.Connection, expression: str | None) -> set[int]:
    if expression is None:
        return set()
    found = conn.execute("SELECT rowid FROM fts WHERE fts MATCH ?", (expression,))
    return {row[0] for row in found}


def test_keep_rarest_is_greedy_by_frequency() -> None:
    frequency = {"the": 900, "rare": 3, "middling": 40, "absent": 0}
    words = ["the", "rare", "middling", "absent"]
    assert keep_rarest(words, frequency, 1_000) == ["absent", "rare", "middling", "the"]
    assert keep_rarest(words, frequency, 43) == ["absent", "rare", "middling"]
    assert keep_rarest(words, frequency, 42) == ["absent", "rare"]
    assert keep_rarest(words, frequency, 0) == ["absent"]  # a word found nowhere costs nothing
    assert keep_rarest(["the"], frequency, 899) == []
    assert keep_rarest([], frequency, 10) == []


def test_plan_keeps_every_word_on_a_small_table(skewed: sqlite3.Connection) -> None:
    # No stopword list: within the budget even "the" stays (BM25 gives it ~no weight).
    assert plan(skewed, "the rare") == '"the" OR "rare"'
    assert plan(skewed, "The") == '"the"'
    assert plan(skewed, "?!") is None
    # Words found nowhere cost nothing and find nothing.
    assert matched(skewed, plan(skewed, "absent words")) == set()


def test_plan_keeps_rarest_words_within_the_budget(skewed: sqlite3.Connection) -> None:
    query = "common middling rare"
    assert plan(skewed, query) == '"common" OR "middling" OR "rare"'
    assert plan(skewed, query, budget=50) == '"middling" OR "rare"'
    assert plan(skewed, query, budget=10) == '"rare"'
    assert matched(skewed, plan(skewed, query, budget=10)) == {7, 77, 177}
    # Nothing selective enough: no lexical search rather than scoring the whole table.
    assert plan(skewed, "common", budget=100) is None
    # Frequencies are those of the stem FTS5 indexes ("commons" -> "common").
    assert plan(skewed, "commons rare", budget=100) == '"rare"'


def test_plan_reads_frequencies_again_when_the_table_changes_size(
    skewed: sqlite3.Connection,
) -> None:
    planner = LexicalPlanner()

    def rare_only(size: int, cache_key: str = "skewed") -> str | None:
        return planner.plan(skewed, "fts_vocab", "rare", cache_key=cache_key, size=size, budget=10)

    assert rare_only(SKEWED_ROWS) == '"rare"'
    more = [(i, f"rare filler{i}") for i in range(SKEWED_ROWS, 2 * SKEWED_ROWS)]
    skewed.executemany("INSERT INTO fts(rowid, body) VALUES (?, ?)", more)
    # Cached while the size is about the same (the saving the cache is for)...
    assert rare_only(SKEWED_ROWS + 1) == '"rare"'
    # ...looked up again once it has changed by more than a tenth, or under another key.
    assert rare_only(2 * SKEWED_ROWS) is None
    assert rare_only(SKEWED_ROWS, cache_key="rebuilt") is None


@pytest.mark.parametrize("text", HOSTILE)
def test_plan_hostile_input(skewed: sqlite3.Connection, text: str) -> None:
    matched(skewed, plan(skewed, text, budget=50))  # an sqlite3 error here is the failure


@pytest.mark.parametrize("bad", ["fts_vocab; DROP TABLE fts", "fts vocab", "1fts", ""])
def test_plan_rejects_odd_table_names(skewed: sqlite3.Connection, bad: str) -> None:
    with pytest.raises(ValueError, match="identifier"):
        LexicalPlanner().plan(skewed, bad, "rare", cache_key="skewed", size=SKEWED_ROWS)
