from __future__ import annotations

from typing import Any

import pytest

from ragkit.qa.where import WhereError, parse_where
from ragkit.types import to_wire


def _wire(*expressions: str) -> list[dict[str, Any]]:
    return [to_wire(item) for item in parse_where(list(expressions))]


def _filter(key: str, *conditions: tuple[str, Any, str]) -> dict[str, Any]:
    wire_conditions = [
        {("numericValue" if kind == "n" else "stringValue"): value, "operation": op}
        for kind, value, op in conditions
    ]
    return {"key": key, "conditions": wire_conditions}


DOC = "document.custom_metadata."
CHUNK = "chunk.custom_metadata."


@pytest.mark.parametrize(
    ("expressions", "expected"),
    [
        (["type=pdf"], [_filter(DOC + "type", ("s", "pdf", "EQUAL"))]),
        (["type!=pdf"], [_filter(DOC + "type", ("s", "pdf", "NOT_EQUAL"))]),
        (["year>=2020"], [_filter(DOC + "year", ("n", 2020.0, "GREATER_EQUAL"))]),
        (["year>2020"], [_filter(DOC + "year", ("n", 2020.0, "GREATER"))]),
        (["year<=2020"], [_filter(DOC + "year", ("n", 2020.0, "LESS_EQUAL"))]),
        (["year < 2020.5"], [_filter(DOC + "year", ("n", 2020.5, "LESS"))]),
        (["year=2020"], [_filter(DOC + "year", ("n", 2020.0, "EQUAL"))]),
        (['title="2020"'], [_filter(DOC + "title", ("s", "2020", "EQUAL"))]),
        (["tags includes x"], [_filter(DOC + "tags", ("s", "x", "INCLUDES"))]),
        (["tags EXCLUDES x"], [_filter(DOC + "tags", ("s", "x", "EXCLUDES"))]),
        (
            ["genre=drama,action"],
            [_filter(DOC + "genre", ("s", "drama", "EQUAL"), ("s", "action", "EQUAL"))],
        ),
        (
            ['author="Smith, J","Doe, A"'],
            [_filter(DOC + "author", ("s", "Smith, J", "EQUAL"), ("s", "Doe, A", "EQUAL"))],
        ),
        (
            ["tags includes a,b"],
            [_filter(DOC + "tags", ("s", "a", "INCLUDES"), ("s", "b", "INCLUDES"))],
        ),
        # keys ingest writes on chunks are chunk-level without a prefix
        (["page>=3"], [_filter(CHUNK + "page", ("n", 3.0, "GREATER_EQUAL"))]),
        (["section=Introduction"], [_filter(CHUNK + "section", ("s", "Introduction", "EQUAL"))]),
        (["chunk.lang=en"], [_filter(CHUNK + "lang", ("s", "en", "EQUAL"))]),
        (["doc.page=1"], [_filter(DOC + "page", ("n", 1.0, "EQUAL"))]),
        (["document.custom_metadata.x=1"], [_filter(DOC + "x", ("n", 1.0, "EQUAL"))]),
        # numeric AND on one key: a range, as the API's own example does
        (
            ["year>2015", "year<=2020"],
            [
                _filter(DOC + "year", ("n", 2015.0, "GREATER")),
                _filter(DOC + "year", ("n", 2020.0, "LESS_EQUAL")),
            ],
        ),
        (
            ["type=pdf", "page<5"],
            [
                _filter(DOC + "type", ("s", "pdf", "EQUAL")),
                _filter(CHUNK + "page", ("n", 5.0, "LESS")),
            ],
        ),
    ],
)
def test_expressions_map_onto_api_filters(
    expressions: list[str], expected: list[dict[str, Any]]
) -> None:
    assert _wire(*expressions) == expected


@pytest.mark.parametrize(
    ("expressions", "message"),
    [
        (["nonsense"], "expected key=value"),
        (["=x"], "expected key=value"),
        (["type="], "empty value"),
        (["title>=abc"], "compares numbers; the API cannot order strings"),
        (['year>="2020"'], "compares numbers"),
        (["type!=pdf,html"], "cannot AND string conditions on one key"),
        (["tags excludes a,b"], "cannot AND string conditions on one key"),
        (["year>=2020,2021"], "a comparison takes one number"),
        (["type=pdf", "type=html"], "ANDs conditions on the same key only for numbers"),
        (["year=2020,2021", "year<2030"], "cannot mix OR and AND on one key"),
    ],
)
def test_what_the_api_cannot_express_is_rejected_with_the_reason(
    expressions: list[str], message: str
) -> None:
    with pytest.raises(WhereError, match=message):
        parse_where(expressions)


def test_no_expressions_means_no_filters() -> None:
    assert parse_where([]) == []
