"""Lenient response parsing vs strict request parsing (``parse_request``)."""

from __future__ import annotations

from typing import Any

import pytest

from ragkit.types import (
    BatchCreateChunksRequest,
    Candidate,
    Chunk,
    Corpus,
    CountTokensRequest,
    FinishReason,
    GenerateAnswerRequest,
    QueryCorpusRequest,
    RequestError,
    StatusCode,
    parse_request,
    to_wire,
)


def _chunk_request(**chunk: Any) -> dict[str, Any]:
    return {"parent": "corpora/c/documents/d", "chunk": {"data": {"stringValue": "x"}, **chunk}}


def test_responses_keep_unknown_fields_at_any_depth() -> None:
    body = {
        "name": "corpora/c/documents/d/chunks/k",
        "data": {"stringValue": "x", "newDataField": 1},
        "futureField": {"a": [1, 2]},
        "customMetadata": [{"key": "k", "stringValue": "v", "flag": True}],
    }
    chunk = Chunk.model_validate(body)
    assert chunk.model_extra == {"futureField": {"a": [1, 2]}}
    assert to_wire(chunk, omit_defaults=True) == body


@pytest.mark.parametrize(
    ("model_cls", "field", "body", "path", "name"),
    [
        (Corpus, "corpus", {"displayName": "x", "bogus": 1}, "corpus", "bogus"),
        (
            BatchCreateChunksRequest,
            "",
            {"requests": [_chunk_request(), _chunk_request(data={"stringValue": "y", "z": 1})]},
            "requests[1].chunk.data",
            "z",
        ),
        (
            BatchCreateChunksRequest,
            "",
            {"requests": [_chunk_request(customMetadata=[{"key": "k", "intValue": 3}])]},
            "requests[0].chunk.custom_metadata[0]",
            "intValue",
        ),
        (
            QueryCorpusRequest,
            "",
            {"query": "q", "metadataFilters": [{"key": "k", "conditions": [], "op": "OR"}]},
            "metadata_filters[0]",
            "op",
        ),
        (QueryCorpusRequest, "", {"query": "q", "topK": 3}, "", "topK"),
    ],
)
def test_parse_request_rejects_unknown_fields_with_googles_message(
    model_cls: type[Any], field: str, body: dict[str, Any], path: str, name: str
) -> None:
    with pytest.raises(RequestError) as caught:
        parse_request(model_cls, body, field=field)
    where = f" at '{path}'" if path else ""
    expected = f'Invalid JSON payload received. Unknown name "{name}"{where}: Cannot find field.'
    assert caught.value.message == expected
    assert [(v.field, v.description) for v in caught.value.violations] == [(path, expected)]


def test_open_messages_let_unknown_fields_through() -> None:
    # Tools and generation config are modelled in part on purpose.
    body = {
        "generateContentRequest": {
            "contents": [{"parts": [{"text": "hi"}]}],
            "tools": [{"googleMaps": {}, "functionDeclarations": [{"name": "f"}]}],
            "generationConfig": {"thinkingConfig": {"thinkingBudget": 0}, "mediaResolution": "X"},
        }
    }
    request = parse_request(CountTokensRequest, body, field="")
    assert request.generate_content_request is not None
    assert request.generate_content_request.tools[0].model_extra == {"googleMaps": {}}


def test_snake_case_names_are_accepted_like_protos_json_parser() -> None:
    request = parse_request(
        QueryCorpusRequest,
        {
            "query": "q",
            "results_count": 5,
            "metadata_filters": [
                {
                    "key": "chunk.custom_metadata.y",
                    "conditions": [{"numeric_value": 1, "operation": "EQUAL"}],
                }
            ],
        },
        field="",
    )
    assert request.results_count == 5
    assert request.metadata_filters[0].conditions[0].numeric_value == 1.0


def test_validation_errors_carry_camel_case_paths() -> None:
    metadata = [{"key": f"k{i}", "stringValue": "v"} for i in range(20)]
    metadata.append({"key": "k20", "stringValue": "x" * 300})
    requests = [_chunk_request() for _ in range(3)] + [_chunk_request(customMetadata=metadata)]
    with pytest.raises(RequestError) as caught:
        parse_request(BatchCreateChunksRequest, {"requests": requests}, field="")
    fields = {v.field: v.description for v in caught.value.violations}
    assert fields == {
        "requests[3].chunk.customMetadata[20].stringValue": (
            "string_value cannot be more than 256 characters long."
        )
    }
    status = caught.value.to_status()
    assert (status.code, status.status_code) == (400, StatusCode.INVALID_ARGUMENT)
    assert status.field_violations()[0].field == "requests[3].chunk.customMetadata[20].stringValue"
    assert "requests[3].chunk.customMetadata[20].stringValue" in status.message


def test_validation_error_under_a_body_field_is_prefixed() -> None:
    with pytest.raises(RequestError) as caught:
        parse_request(Corpus, {"displayName": "x" * 513}, field="corpus")
    [violation] = caught.value.violations
    assert violation.field == "corpus.displayName"
    assert violation.description == "displayName is 513 characters long; the limit is 512"


def test_missing_required_field_is_named() -> None:
    with pytest.raises(RequestError) as caught:
        parse_request(GenerateAnswerRequest, {"contents": [], "inlinePassages": {}}, field="")
    assert [v.field for v in caught.value.violations] == ["answerStyle"]


def test_nulls_mean_unset() -> None:
    request = parse_request(
        QueryCorpusRequest, {"query": "q", "metadataFilters": None, "resultsCount": None}, field=""
    )
    assert request.metadata_filters == [] and request.results_count is None


@pytest.mark.parametrize("body", [b"{not json", "[1, 2]", 7])
def test_bodies_that_are_not_json_objects_are_rejected(body: Any) -> None:
    with pytest.raises(RequestError, match="Invalid JSON payload received"):
        parse_request(Corpus, body, field="corpus")


def test_raw_json_text_is_decoded() -> None:
    assert parse_request(Corpus, b'{"displayName": "Docs"}', field="corpus").display_name == "Docs"
    assert parse_request(Corpus, b"", field="corpus") == Corpus()


def test_unknown_enum_values_parse_in_responses_but_not_in_requests() -> None:
    candidate = Candidate.model_validate({"finishReason": "SOMETHING_NEW"})
    assert candidate.finish_reason == "SOMETHING_NEW"
    assert candidate.finish_reason is not None and not candidate.finish_reason.is_known
    assert FinishReason.STOP.is_known
    assert to_wire(candidate, omit_defaults=True) == {"finishReason": "SOMETHING_NEW"}

    body = {
        "contents": [],
        "answerStyle": "ABSTRACTIVE",
        "inlinePassages": {},
        "safetySettings": [{"category": "HARM_CATEGORY_NEW", "threshold": "BLOCK_NONE"}],
    }
    with pytest.raises(RequestError) as caught:
        parse_request(GenerateAnswerRequest, body, field="")
    [violation] = caught.value.violations
    assert violation.field == "safetySettings[0].category"
    assert '"HARM_CATEGORY_NEW"' in violation.description


def test_lowercase_enum_garbage_is_rejected_even_in_responses() -> None:
    with pytest.raises(ValueError, match="finishReason"):
        Candidate.model_validate({"finishReason": "stop"})
