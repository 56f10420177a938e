"""match_expression against a real FTS5 table: hostile text never errors and finds words."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import pytest

from ragkit.engine.search.fts import (
    FTS5_TOKENIZE,
    create_table_sql,
    match_expression,
    plan_match,
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


@pytest.fixture
def skewed() -> Iterator[sqlite3.Connection]:
    """200 rows: 'common' in all, 'middling' in 40, 'rare' in 3, 'the' everywhere."""
    conn = sqlite3.connect(":memory:")
    conn.execute(create_table_sql("fts", ("body",)))
    rows = []
    for i in range(200):
        words = ["the", "common", f"filler{i}"]
        if i % 5 == 0:
            words.append("middling")
        if i in (7, 77, 177):
            words.append("rare")
        rows.append((i, " ".join(words)))
    conn.executemany("INSERT INTO fts(rowid, body) VALUES (?, ?)", rows)
    yield conn
    conn.close()


def matched(conn: sqlite3.Connection, expression: str | None) -> set[int]:
    if expression is None:
        return set()
    found = conn.execute("SELECT rowid FROM fts WHERE fts MATCH ?", (expression,))
    return {row[0] for row in found}


def test_plan_match_drops_stopwords_but_not_everything(skewed: sqlite3.Connection) -> None:
    assert plan_match(skewed, "fts", "the rare") == '"rare"'
    assert plan_match(skewed, "fts", "The") == '"the"'  # only stopwords: keep them
    assert plan_match(skewed, "fts", "?!") is None
    assert plan_match(skewed, "fts", "absent words") is None


def test_plan_match_keeps_rarest_words_within_the_budget(skewed: sqlite3.Connection) -> None:
    query = "common middling rare"
    assert plan_match(skewed, "fts", query) == '"common" OR "middling" OR "rare"'
    assert plan_match(skewed, "fts", query, row_budget=50) == '"middling" OR "rare"'
    assert plan_match(skewed, "fts", query, row_budget=10) == '"rare"'
    assert matched(skewed, plan_match(skewed, "fts", query, row_budget=10)) == {7, 77, 177}
    # Nothing selective enough: no lexical search rather than scoring the whole table.
    assert plan_match(skewed, "fts", "common", row_budget=100) is None


@pytest.mark.parametrize("text", HOSTILE)
def test_plan_match_hostile_input(skewed: sqlite3.Connection, text: str) -> None:
    matched(skewed, plan_match(skewed, "fts", text, row_budget=50))


def test_plan_match_rejects_odd_table_names(skewed: sqlite3.Connection) -> None:
    with pytest.raises(ValueError, match="identifier"):
        plan_match(skewed, "fts; DROP TABLE fts", "rare")
