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


def _names_of(ids: dict[str, int], rowids: object) -> set[str]:
    names = {v: k for k, v in ids.items()}
    return {names[int(i)] for i in rowids}  # type: ignore[attr-defined]


@pytest.mark.parametrize(("label", "flts", "expected"), CASES, ids=[c[0] for c in CASES])
def test_filter_table(
    db: Database, ids: dict[str, int], label: str, flts: list[Filter], expected: set[str]
) -> None:
    everything = sorted(ids.values())
    with db.read() as conn:
        # Every filter narrow: enumerated from the value indexes and intersected.
        enumerated = filters.plan(conn, 1, flts, narrow=1000)
        # Every filter broad (only an empty match is still enumerated): checked one by one.
        checked = filters.plan(conn, 1, flts, narrow=0)
        candidates = everything if checked.allowed is None else checked.allowed.tolist()
        kept = filters.keep_matching(conn, candidates, checked.residual, now=NOW)
    assert enumerated.residual == ()
    if flts:
        assert _names_of(ids, enumerated.allowed) == expected
    else:
        assert enumerated.allowed is None
    assert _names_of(ids, kept) == expected


def test_narrow_and_broad_filters_combine(db: Database, ids: dict[str, int]) -> None:
    flts = [doc("genre", text("EQUAL", "drama")), chunk("page", num("LESS", 3))]
    with db.read() as conn:
        mixed = filters.plan(conn, 1, flts, narrow=2)  # page<3: 1 chunk; drama: 3 chunks
        kept = filters.keep_matching(conn, mixed.allowed.tolist(), mixed.residual, now=NOW)
    assert [f.key for f in mixed.residual] == ["genre"]
    assert _names_of(ids, kept) == {"d-a"}


def test_document_scope(db: Database, ids: dict[str, int]) -> None:
    with db.read() as conn:
        small = filters.plan(
            conn, 1, [chunk("page", num("GREATER", 0))], document_rowid=2, narrow=10
        )
        big = filters.plan(conn, 1, [], document_rowid=2, narrow=0)
        kept = filters.keep_matching(conn, sorted(ids.values()), [], now=NOW, document_rowid=2)
    assert _names_of(ids, small.allowed) == {"a-a"} and not small.needs_check
    assert big.allowed is None and big.document_rowid == 2 and big.needs_check
    assert _names_of(ids, kept) == {"a-a", "a-b"}


def test_pending_chunks_are_excluded(db: Database, clock: Clock) -> None:
    document = make_document(db, clock)
    now = clock.now()
    from ragkit.engine.store import chunks
    from ragkit.engine.store.records import NewChunk

    with db.write() as conn:
        (record,) = chunks.insert_many(
            conn, document, [NewChunk("later", "x", (), None)], now=now, ready_time=now + 10**9
        )
    with db.read() as conn:
        assert filters.keep_matching(conn, [record.rowid], [], now=now) == set()
        assert filters.has_pending(conn, 1, now=now)
        assert not filters.has_pending(conn, 1, now=now + 10**9)
        assert filters.keep_matching(conn, [record.rowid], [], now=now + 10**9) == {record.rowid}
