from __future__ import annotations

import pytest

from ragkit.engine import lexical
from ragkit.engine.store import corpora
from ragkit.engine.store.clock import Clock
from ragkit.engine.store.db import Database
from tests.engine.store.conftest import add_chunks, make_document


@pytest.fixture
def filled(db: Database, clock: Clock) -> Database:
    document = make_document(db, clock)
    items = [(f"k{i}", f"the common text number {i}", ()) for i in range(40)]
    items.append(("rare", "the rotation of keys", ()))
    add_chunks(db, clock, document, *items)
    return db


def _plan(db: Database, query: str) -> str | None:
    planner = lexical.LexicalPlanner()
    with db.read() as conn:
        corpus = corpora.get(conn, "c1")
        assert corpus is not None
        return planner.plan_match(conn, corpus, query)


def test_small_corpus_keeps_every_word(filled: Database) -> None:
    assert _plan(filled, "the rotating keys") == '"the" OR "rotating" OR "keys"'


def test_common_words_are_dropped_over_the_budget(
    filled: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(lexical, "POSTINGS_BUDGET", 10)
    # "rotating" is found through its stem ("rotat"), like FTS5 itself matches it.
    assert _plan(filled, "the rotating keys") == '"rotating" OR "keys"'
    assert _plan(filled, "the common text") is None
    assert _plan(filled, "?!") is None
