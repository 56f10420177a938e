from __future__ import annotations

from ragkit.engine.store import chunks, fulltext
from ragkit.engine.store.clock import Clock
from ragkit.engine.store.db import Database
from tests.engine.store.conftest import add_chunks, make_document


def test_search_ranks_updates_and_scopes(db: Database, clock: Clock) -> None:
    first = make_document(db, clock, document_id="one")
    second = make_document(db, clock, document_id="two")
    a, b = add_chunks(
        db, clock, first, ("a", "rotate keys every ninety days", ()), ("b", "cats and dogs", ())
    )
    (c,) = add_chunks(db, clock, second, ("c", "keys keys keys rotate", ()))
    with db.read() as conn:
        hits = fulltext.search(conn, 1, '"rotate" OR "keys"', 10)
        assert {h[0] for h in hits} == {a, c}
        assert all(score < 0 for _, score in hits)  # bm25(): negative, smaller is better
        in_first = fulltext.search(conn, 1, '"keys"', 10, document_rowid=first.rowid)
        assert [h[0] for h in in_first] == [a]
        assert [h[0] for h in fulltext.search(conn, 1, '"keys"', 10, allowed_json=f"[{c}]")] == [c]
        record = chunks.get(conn, first.rowid, "b")
    assert record is not None
    with db.write() as conn:
        chunks.update(
            conn,
            record,
            text="rotate the dogs",
            vector=None,
            custom_metadata=None,
            now=clock.now(),
            ready_time=0,
        )
    with db.read() as conn:
        assert fulltext.search(conn, 1, '"cats"', 10) == []
        assert {h[0] for h in fulltext.search(conn, 1, '"rotate"', 10)} == {a, b, c}


def test_each_corpus_has_its_own_index(db: Database, clock: Clock) -> None:
    one = make_document(db, clock, corpus_id="c1")
    two = make_document(db, clock, corpus_id="c2")
    (x,) = add_chunks(db, clock, one, ("x", "shared word", ()))
    (y,) = add_chunks(db, clock, two, ("y", "shared word", ()))
    with db.read() as conn:
        assert [h[0] for h in fulltext.search(conn, one.corpus_rowid, '"shared"', 10)] == [x]
        assert [h[0] for h in fulltext.search(conn, two.corpus_rowid, '"shared"', 10)] == [y]
