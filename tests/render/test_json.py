"""The JSON output validates against the shipped schemas and carries every documented key."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from jsonschema import Draft202012Validator

from ragkit.qa.answer import Answer, Timings
from ragkit.render import (
    ANSWER_SCHEMA_VERSION,
    SEARCH_SCHEMA_VERSION,
    answer_json,
    dumps_answer,
    dumps_search,
    load_schema,
    search_json,
)
from tests.render.examples import SEARCH_QUERY, answered, hits, hostile, refused

REQUIRED = {"answer", "answered", "answerable_probability", "citations"}
CITATION_KEYS = {"file", "pages", "quote", "chunk", "score"}


def _validator(name: str) -> Draft202012Validator:
    schema = load_schema(name)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


@pytest.mark.parametrize("make", [answered, refused, hostile])
def test_answer_json_validates_against_the_schema(make: Callable[[], Answer]) -> None:
    data = answer_json(make())
    errors = [error.message for error in _validator("answer").iter_errors(data)]
    assert errors == []
    assert data.keys() >= REQUIRED
    assert all(citation.keys() >= CITATION_KEYS for citation in data["citations"])


def test_every_key_written_is_documented_in_the_schema() -> None:
    schema = load_schema("answer")
    data = answer_json(answered(), include_raw=True)
    assert set(data) == set(schema["properties"])
    assert set(data["citations"][0]) == set(schema["$defs"]["citation"]["properties"])
    assert set(data["sentences"][0]) == set(schema["$defs"]["sentence"]["properties"])
    nearest = answer_json(refused())["nearest"][0]
    assert set(nearest) == set(schema["$defs"]["passage"]["properties"])


def test_answered_fields() -> None:
    data = answer_json(answered())
    assert data["schema_version"] == ANSWER_SCHEMA_VERSION == "1"
    assert (data["answered"], data["verdict"], data["mode"]) == (True, "answered", "inline")
    assert data["answerable_probability"] == 0.87 and data["threshold"] == 0.5
    first, second = data["citations"]
    assert first["number"] == 1 and first["pages"] == {"first": 6, "last": 6}
    assert second["pages"] == {"first": 6, "last": 7}
    assert second["answer_span"]["text"] == "a severe or catastrophic adverse effect"
    start, end = second["answer_span"]["start"], second["answer_span"]["end"]
    assert second["quote"][start:end] == second["answer_span"]["text"]
    assert [s["supported"] for s in data["sentences"]] == [True, True, False]
    assert data["sentences"][1]["citations"] == [2]
    assert data["nearest"] == [] and data["model_answer"] is None
    assert data["timings"] == {"retrieval": 0.042, "generation": 0.318, "total": 0.371}
    assert "raw" not in data


def test_refusal_fields() -> None:
    data = answer_json(refused())
    assert (data["answered"], data["verdict"]) == (False, "refused")
    assert data["citations"] == []
    assert [hit["file"] for hit in data["nearest"]] == ["nist_fips199.pdf"] * 2
    assert data["model_answer"] == "result in major financial loss"


def test_raw_response_only_on_request() -> None:
    answer = answered().model_copy(update={"raw": {"answerableProbability": 0.87}})
    assert "raw" not in answer_json(answer)
    with_raw = answer_json(answer, include_raw=True)
    assert with_raw["raw"] == {"answerableProbability": 0.87}
    assert not list(_validator("answer").iter_errors(with_raw))


def test_null_probability_and_missing_pages_validate() -> None:
    answer = Answer(
        question="q",
        text="t",
        answered=False,
        style="EXTRACTIVE",
        answerable_probability=None,
        threshold=0.5,
        mode="server",
        corpus="corpora/c",
        timings=Timings(total=0.0),
    )
    data = answer_json(answer)
    assert data["answerable_probability"] is None
    assert not list(_validator("answer").iter_errors(data))


def test_schema_rejects_a_broken_answer() -> None:
    data = answer_json(answered())
    del data["citations"][0]["quote"]
    data["verdict"] = "maybe"
    messages = sorted(error.message for error in _validator("answer").iter_errors(data))
    assert any("'quote' is a required property" in message for message in messages)
    assert any("'maybe' is not one of" in message for message in messages)


def test_dumps_answer_round_trips_and_keeps_unicode() -> None:
    text = dumps_answer(answered())
    assert json.loads(text) == answer_json(answered())
    assert "“Preserving" in text  # not \u201c
    assert "\n  " in text
    assert "\n" not in dumps_answer(answered(), indent=None)


def test_search_json() -> None:
    data = search_json(SEARCH_QUERY, hits())
    assert not list(_validator("search").iter_errors(data))
    assert data["schema_version"] == SEARCH_SCHEMA_VERSION
    assert [hit["rank"] for hit in data["hits"]] == [1, 2, 3]
    assert data["hits"][1]["pages"] == {"first": 6, "last": 7}
    assert data["hits"][2]["pages"] is None
    assert json.loads(dumps_search(SEARCH_QUERY, hits())) == data
    item = load_schema("search")["properties"]["hits"]["items"]
    assert set(data["hits"][0]) == set(item["properties"])


def test_unknown_schema_name() -> None:
    with pytest.raises(ValueError, match="no schema named"):
        load_schema("answers")


def test_documented_example_validates() -> None:
    from tests.conftest import REPO_ROOT

    doc = (REPO_ROOT / "docs" / "answer-json.md").read_text(encoding="utf-8")
    block = doc.split("```json\n", 1)[1].split("```", 1)[0]
    example = json.loads(block)
    assert not list(_validator("answer").iter_errors(example))
    citation = example["citations"][0]
    span = citation["answer_span"]
    assert citation["quote"][span["start"] : span["end"]] == span["text"]
