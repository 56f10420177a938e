"""The section-7 filter table, run against the real SQL (both evaluation paths)."""

from __future__ import annotations

import pytest

from ragkit.engine.store import filters
from ragkit.engine.store.clock import Clock
from ragkit.engine.store.db import Database
from ragkit.engine.store.filters import Condition, Filter
from ragkit.engine.store.records import MetadataEntry as E
from tests.engine.store.conftest import add_chunks, make_document

NOW = 2**62  # everything stored in the test is ACTIVE at this time


@pytest.fixture
def ids(db: Database, clock: Clock) -> dict[str, int]:
    drama = make_document(
        db,
        clock,
        document_id="drama",
        custom_metadata=(
            E("genre", string_value="drama"),
            E("year", numeric_value=2018.0),
        ),
    )
    action = make_document(
        db,
        clock,
        document_id="action",
        custom_metadata=(
            E("genre", string_value="action"),
            E("year", numeric_value=2022.0),
        ),
    )
    rows = add_chunks(
        db,
        clock,
        drama,
        ("d-a", "x", (E("page", numeric_value=1.0), E("tags", string_list=("featured", "new")))),
        ("d-b", "x", (E("page", numeric_value=5.0), E("tags", string_list=("old",)))),
        ("d-c", "x", (E("section", string_value="keys"), E("tags", string_list=()))),
    )
    rows += add_chunks(
        db,
        clock,
        action,
        ("a-a", "x", (E("page", numeric_value=3.0), E("section", string_value="keys"))),
        ("a-b", "x", ()),
    )
    return dict(zip(["d-a", "d-b", "d-c", "a-a", "a-b"], rows, strict=True))


def chunk(key: str, *conds: Condition) -> Filter:
    return Filter("chunk", key, conds)


def doc(key: str, *conds: Condition) -> Filter:
    return Filter("document", key, conds)


def num(op: str, value: float) -> Condition:
    return Condition(op, numeric_value=value)


def text(op: str, value: str) -> Condition:
    return Condition(op, string_value=value)


CASES: list[tuple[str, list[Filter], set[str]]] = [
    ("no filters", [], {"d-a", "d-b", "d-c", "a-a", "a-b"}),
    ("numeric LESS", [chunk("page", num("LESS", 3))], {"d-a"}),
    ("numeric LESS_EQUAL", [chunk("page", num("LESS_EQUAL", 3))], {"d-a", "a-a"}),
    ("numeric EQUAL", [chunk("page", num("EQUAL", 5))], {"d-b"}),
    ("numeric GREATER_EQUAL", [chunk("page", num("GREATER_EQUAL", 3))], {"d-b", "a-a"}),
    ("numeric GREATER", [chunk("page", num("GREATER", 3))], {"d-b"}),
    ("numeric NOT_EQUAL skips missing keys", [chunk("page", num("NOT_EQUAL", 5))], {"d-a", "a-a"}),
    ("string EQUAL", [chunk("section", text("EQUAL", "keys"))], {"d-c", "a-a"}),
    ("string NOT_EQUAL", [chunk("section", text("NOT_EQUAL", "keys"))], set()),
    ("INCLUDES", [chunk("tags", text("INCLUDES", "featured"))], {"d-a"}),
    ("EXCLUDES (empty list counts)", [chunk("tags", text("EXCLUDES", "featured"))], {"d-b", "d-c"}),
    ("OR within a filter", [chunk("page", num("EQUAL", 1), num("EQUAL", 3))], {"d-a", "a-a"}),
    (
        "numeric AND on the same key",
        [chunk("page", num("GREATER", 1)), chunk("page", num("LESS_EQUAL", 5))],
        {"d-b", "a-a"},
    ),
    (
        "AND across keys",
        [chunk("page", num("LESS", 10)), chunk("section", text("EQUAL", "keys"))],
        {"a-a"},
    ),
    ("document-level string", [doc("genre", text("EQUAL", "drama"))], {"d-a", "d-b", "d-c"}),
    (
        "document-level OR",
        [doc("genre", text("EQUAL", "drama"), text("EQUAL", "action"))],
        {"d-a", "d-b", "d-c", "a-a", "a-b"},
    ),
    (
        "document and chunk mixed",
        [doc("year", num("GREATER", 2020)), chunk("page", num("LESS", 9))],
        {"a-a"},
    ),
    ("mismatch: number against a string key", [chunk("section", num("EQUAL", 1))], set()),
    ("mismatch: string against a number key", [chunk("page", text("EQUAL", "1"))], set()),
    ("mismatch: EQUAL against a list key", [chunk("tags", text("EQUAL", "featured"))], set()),
    (
        "mismatch: INCLUDES against a string key",
        [chunk("section", text("INCLUDES", "keys"))],
        set(),
    ),
    ("mismatch: LESS with a string", [chunk("section", text("LESS", "z"))], set()),
    ("mismatch: INCLUDES with a number", [chunk("tags", num("INCLUDES", 1))], set()),
    ("missing key", [chunk("nope", text("EQUAL", "x"))], set()),
    (
        "a mismatch inside an OR does not poison the other branch",
        [chunk("page", text("EQUAL", "1"), num("EQUAL", 1))],
        {"d-a"},
    ),
]


@pytest.mark.parametrize(("label", "flts", "expected"), CASES, ids=[c[0] for c in CASES])
def test_filter_table(
    db: Database, ids: dict[str, int], label: str, flts: list[Filter], expected: set[str]
) -> None:
    names = {v: k for k, v in ids.items()}
    with db.read() as conn:
        listed = filters.matching_chunks(conn, 1, flts, now=NOW)
        checked = filters.keep_matching(conn, list(ids.values()), flts, now=NOW)
    assert {names[i] for i in listed} == expected
    assert {names[i] for i in checked} == expected


def test_document_scope_and_limit(db: Database, ids: dict[str, int]) -> None:
    with db.read() as conn:
        in_doc = filters.matching_chunks(
            conn, 1, [chunk("page", num("GREATER", 0))], now=NOW, document_rowid=2
        )
        limited = filters.matching_chunks(conn, 1, [], now=NOW, limit=2)
    assert in_doc == [ids["a-a"]]
    assert len(limited) == 2


def test_pending_chunks_are_excluded(db: Database, clock: Clock) -> None:
    document = make_document(db, clock)
    now = clock.now()
    from ragkit.engine.store import chunks
    from ragkit.engine.store.records import NewChunk

    with db.write() as conn:
        chunks.insert_many(
            conn, document, [NewChunk("later", "x", (), None)], now=now, ready_time=now + 10**9
        )
    with db.read() as conn:
        assert filters.matching_chunks(conn, 1, [], now=now) == []
        assert filters.has_pending(conn, 1, now=now)
        assert not filters.has_pending(conn, 1, now=now + 10**9)
        assert len(filters.matching_chunks(conn, 1, [], now=now + 10**9)) == 1
