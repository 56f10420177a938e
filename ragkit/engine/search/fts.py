"""SQLite FTS5 helpers: the recommended table definition and safe MATCH expressions.

FTS5 gives its query language meaning to quotes, ``*``, ``^``, ``:``, parentheses and the
words ``AND``/``OR``/``NOT``/``NEAR``, so raw user text in ``MATCH ?`` can raise a syntax
error or change the search. :func:`match_expression` keeps only the words of the text,
quotes each one as a phrase and ORs them: every word counts, nothing is an operator, and
BM25 ranks documents that match more (and rarer) words higher.

>>> match_expression('NEAR("rotate" key*) OR -- what?')
'"near" OR "rotate" OR "key" OR "or" OR "what"'
>>> match_expression("?!") is None
True

On a big table use :func:`plan_match` instead: it bounds how many rows ``bm25()`` scores
(FTS5 has no top-k pruning, so an OR of common words would score nearly every row).
Typical use, with the table from :func:`create_table_sql`::

    expression = plan_match(conn, "chunks_fts", user_text)
    rows = [] if expression is None else conn.execute(
        "SELECT rowid, bm25(chunks_fts) FROM chunks_fts WHERE chunks_fts MATCH ? "
        "ORDER BY rank LIMIT ?", (expression, 200)).fetchall()
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata

__all__ = [
    "FTS5_TOKENIZE",
    "MAX_TERMS",
    "ROW_BUDGET",
    "STOPWORDS",
    "create_table_sql",
    "match_expression",
    "plan_match",
    "query_terms",
]

#: Tokenizer of the FTS5 table: Porter stemming over Unicode 6.1 word splitting with case
#: and diacritics folded (measured on SciFact: BM25 nDCG@10 0.682).
FTS5_TOKENIZE = "porter unicode61"
#: Distinct words kept from one query; a longer text is cut (its first words are kept) so a
#: pasted page cannot make one query scan the whole index hundreds of times.
MAX_TERMS = 64

#: Rows FTS5 may score with bm25() for one query under :func:`plan_match` (about 50 ms on
#: one core of the 2-core reference machine; bm25() costs ~2-3 µs a matching row).
ROW_BUDGET = 20_000

#: English function words. They occur in nearly every chunk, so matching them makes FTS5
#: score almost the whole table while adding next to nothing to BM25 (their IDF is ~0).
STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it
    its itself just me more most my myself no nor not now of off on once only or other our ours
    ourselves out over own same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your yours yourself
    yourselves""".split()
)

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def _is_token_char(char: str) -> bool:
    # unicode61's default: letters, numbers and marks are token characters (plus private
    # use); everything else separates tokens.
    category = unicodedata.category(char)
    return category[0] in "LNM" or category == "Co"


def query_terms(text: str, max_terms: int = MAX_TERMS) -> list[str]:
    """The distinct words of ``text`` as FTS5's unicode61 tokenizer would split them.

    Words are case-folded and NFC-normalised; order of first appearance is kept.

    >>> query_terms("Don't PANIC: don't!")
    ['don', 't', 'panic']
    """
    words: list[str] = []
    seen: set[str] = set()
    current: list[str] = []
    for char in unicodedata.normalize("NFC", text) + " ":
        if _is_token_char(char):
            current.append(char)
            continue
        if current:
            word = "".join(current).casefold()
            current = []
            if word not in seen:
                seen.add(word)
                words.append(word)
                if len(words) >= max_terms:
                    break
    return words


def match_expression(query: str, max_terms: int = MAX_TERMS) -> str | None:
    """A MATCH string for FTS5 that is safe for any ``query``; ``None`` if it has no words.

    Each word becomes a quoted phrase (so ``NEAR``, ``*``, ``"`` or ``(`` are plain text)
    and the phrases are joined with ``OR``.
    """
    terms = query_terms(query, max_terms)
    if not terms:
        return None
    return " OR ".join(_quote(term) for term in terms)


def plan_match(
    conn: sqlite3.Connection,
    table: str,
    query: str,
    *,
    row_budget: int = ROW_BUDGET,
    stopwords: frozenset[str] = STOPWORDS,
    max_terms: int = MAX_TERMS,
) -> str | None:
    """Like :func:`match_expression`, but bounded in cost on a large FTS5 table.

    FTS5 stores no document frequencies and has no top-k pruning: an OR query makes
    ``bm25()`` score every row that contains any of its words, ~1 s for a question with
    common words at 1M chunks. This planner (1) drops stopwords when other words remain,
    (2) counts each remaining word's matching rows, stopping at ``row_budget`` (cheap: a
    posting-list walk without scoring), and (3) keeps the rarest words while their rows add
    up to at most ``row_budget``. Words past the budget are the most frequent, whose BM25
    weight is lowest. If even the rarest word matches more rows, returns ``None``: the
    query has no selective word and dense search alone is the better use of the time.

    On a table smaller than ``row_budget`` only stopwords are dropped.
    """
    _check_identifier(table)
    terms = query_terms(query, max_terms)
    content = [t for t in terms if t not in stopwords]
    terms = content or terms
    counts: dict[str, int] = {}
    probe = f"SELECT count(*) FROM (SELECT 1 FROM {table} WHERE {table} MATCH ? LIMIT ?)"
    for term in terms:
        (counts[term],) = conn.execute(probe, (_quote(term), row_budget + 1)).fetchone()
    kept: set[str] = set()
    used = 0
    for term in sorted((t for t in terms if counts[t]), key=lambda t: counts[t]):
        if used + counts[term] > row_budget:
            break
        kept.add(term)
        used += counts[term]
    if not kept:
        return None
    return " OR ".join(_quote(t) for t in terms if t in kept)


def _quote(term: str) -> str:
    # Terms hold token characters only, so they never contain '"'; doubling it anyway
    # keeps the quoting correct even if the word rule changes.
    return '"' + term.replace('"', '""') + '"'


def _check_identifier(name: str) -> None:
    if not _IDENTIFIER.match(name):
        raise ValueError(f"not a plain SQL identifier: {name!r}")


def create_table_sql(
    table: str,
    columns: tuple[str, ...] = ("text",),
    *,
    content: str | None = None,
    content_rowid: str = "rowid",
) -> str:
    """``CREATE VIRTUAL TABLE`` statement for an FTS5 table with ragkit's tokenizer.

    ``content`` names an external-content table (the FTS index then stores no second copy
    of the text; keep it in sync with triggers or explicit inserts/deletes).

    >>> create_table_sql("chunks_fts", content="chunks", content_rowid="id")
    "CREATE VIRTUAL TABLE IF NOT EXISTS chunks_fts USING fts5(text, content='chunks', \
content_rowid='id', tokenize='porter unicode61')"
    """
    for name in (table, *columns, *([content, content_rowid] if content else [])):
        _check_identifier(name)
    if not columns:
        raise ValueError("an FTS5 table needs at least one column")
    options = list(columns)
    if content is not None:
        options += [f"content='{content}'", f"content_rowid='{content_rowid}'"]
    options.append(f"tokenize='{FTS5_TOKENIZE}'")
    return f"CREATE VIRTUAL TABLE IF NOT EXISTS {table} USING fts5({', '.join(options)})"
