"""``to_wire``: camelCase, proto3 default omission, timestamps and other scalar codecs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from ragkit.types import (
    Blob,
    Candidate,
    Chunk,
    ChunkData,
    Content,
    Corpus,
    CustomMetadata,
    Document,
    EmbedContentRequest,
    GenerateAnswerResponse,
    InputFeedback,
    ListDocumentsResponse,
    Part,
    QueryCorpusResponse,
    RetryInfo,
    SafetyRating,
    State,
    UpdateDocumentRequest,
    format_duration,
    format_timestamp,
    normalize_mask,
    to_wire,
    update_mask_for,
)


def test_empty_results_are_empty_objects() -> None:
    assert to_wire(QueryCorpusResponse(), omit_defaults=True) == {}
    assert to_wire(ListDocumentsResponse(), omit_defaults=True) == {}
    assert to_wire(ListDocumentsResponse(next_page_token=""), omit_defaults=True) == {}


def test_without_omit_defaults_only_none_is_dropped() -> None:
    assert to_wire(Document(display_name="")) == {"displayName": "", "customMetadata": []}
    assert to_wire(Corpus()) == {}


def test_omit_defaults_drops_zero_false_empty_and_unspecified() -> None:
    candidate = Candidate(
        token_count=0,
        finish_reason="FINISH_REASON_UNSPECIFIED",
        safety_ratings=[SafetyRating(category="HARM_CATEGORY_HARASSMENT", blocked=False)],
        content=Content(parts=[], role=""),
    )
    assert to_wire(candidate, omit_defaults=True) == {
        "safetyRatings": [{"category": "HARM_CATEGORY_HARASSMENT"}],
        "content": {},  # a set sub-message has presence and stays
    }
    chunk = Chunk(data=ChunkData(string_value="t"), state=State.STATE_UNSPECIFIED)
    assert to_wire(chunk, omit_defaults=True) == {"data": {"stringValue": "t"}}


def test_presence_fields_survive_at_their_default() -> None:
    # oneof members and proto3 `optional` scalars are written even when 0 / "" / False.
    assert to_wire(CustomMetadata(key="n", numeric_value=0), omit_defaults=True) == {
        "key": "n",
        "numericValue": 0.0,
    }
    assert to_wire(ChunkData(string_value=""), omit_defaults=True) == {"stringValue": ""}
    assert to_wire(Part(text=""), omit_defaults=True) == {"text": ""}
    response = GenerateAnswerResponse(
        answerable_probability=0.0, answer=Candidate(index=0), input_feedback=InputFeedback()
    )
    assert to_wire(response, omit_defaults=True) == {
        "answer": {"index": 0},
        "answerableProbability": 0.0,
        "inputFeedback": {},
    }


def test_extra_fields_pass_through() -> None:
    chunk = Chunk.model_validate({"state": "STATE_ACTIVE", "newThing": {"x": 0}})
    assert to_wire(chunk, omit_defaults=True) == {"state": "STATE_ACTIVE", "newThing": {"x": 0}}


@pytest.mark.parametrize(
    ("given_value", "expected"),
    [
        ("2024-04-19T03:32:13.587977Z", "2024-04-19T03:32:13.587977Z"),
        ("2024-04-19T03:32:13Z", "2024-04-19T03:32:13.000000Z"),
        ("2024-04-19T03:32:13.5Z", "2024-04-19T03:32:13.500000Z"),
        ("2024-04-19T03:32:13.587977999Z", "2024-04-19T03:32:13.587977Z"),  # truncated
        ("2024-04-19T05:32:13.1+02:00", "2024-04-19T03:32:13.100000Z"),
        (datetime(2024, 4, 19, 3, 32, 13), "2024-04-19T03:32:13.000000Z"),  # naive = UTC
        (
            datetime(2024, 4, 19, 0, 0, tzinfo=timezone(timedelta(hours=-5))),
            "2024-04-19T05:00:00.000000Z",
        ),
    ],
)
def test_timestamps_are_rfc3339_utc_with_microseconds(
    given_value: str | datetime, expected: str
) -> None:
    corpus = Corpus.model_validate({"createTime": given_value})
    assert corpus.create_time is not None and corpus.create_time.tzinfo == UTC
    assert to_wire(corpus)["createTime"] == expected
    assert format_timestamp(corpus.create_time) == expected


def test_invalid_timestamp_is_rejected() -> None:
    with pytest.raises(ValidationError, match="createTime"):
        Corpus.model_validate({"createTime": "yesterday"})


def test_bytes_are_base64_and_both_alphabets_are_read() -> None:
    blob = Blob(mime_type="application/octet-stream", data=b"\xfb\xff\x00")
    assert to_wire(blob) == {"mimeType": "application/octet-stream", "data": "+/8A"}
    assert Blob.model_validate({"data": "-_8A"}).data == b"\xfb\xff\x00"  # URL-safe
    assert Blob.model_validate({"data": "+/8"}).data == b"\xfb\xff"  # unpadded
    with pytest.raises(ValidationError, match="base64"):
        Blob.model_validate({"data": "not base64!"})


def test_field_mask_is_a_comma_separated_string_on_the_wire() -> None:
    request = UpdateDocumentRequest.model_validate(
        {"document": {}, "updateMask": "displayName, customMetadata"}
    )
    assert request.update_mask == ["displayName", "customMetadata"]
    assert to_wire(request)["updateMask"] == "displayName,customMetadata"


@pytest.mark.parametrize(
    ("text", "delta", "canonical"),
    [
        ("35s", timedelta(seconds=35), "35s"),
        ("35.5s", timedelta(seconds=35.5), "35.500s"),
        ("0.000001s", timedelta(microseconds=1), "0.000001s"),
        ("1.123456789s", timedelta(seconds=1, microseconds=123456), "1.123456s"),
        ("-2s", timedelta(seconds=-2), "-2s"),
    ],
)
def test_durations(text: str, delta: timedelta, canonical: str) -> None:
    info = RetryInfo.model_validate({"retryDelay": text})
    assert info.retry_delay == delta
    assert format_duration(delta) == canonical
    assert to_wire(info) == {"retryDelay": canonical}


def test_bad_duration_is_rejected() -> None:
    with pytest.raises(ValidationError, match="not a duration"):
        RetryInfo.model_validate({"retryDelay": "35 seconds"})


def test_update_mask_for_lists_the_fields_the_caller_set() -> None:
    name = "corpora/c/documents/d"
    assert update_mask_for(Document(name=name)) == []
    assert update_mask_for(Document(name=name, display_name="T")) == ["displayName"]
    both = Document(name=name, custom_metadata=[], display_name="T")
    assert update_mask_for(both) == ["displayName", "customMetadata"]  # declaration order
    chunk = Chunk(name=f"{name}/chunks/k", data=ChunkData(string_value="t"))
    assert update_mask_for(chunk) == ["data"]
    # Fields parsed from JSON count as set too (the caller sent them).
    assert update_mask_for(
        EmbedContentRequest.model_validate({"content": {}, "task_type": "RETRIEVAL_QUERY"})
    ) == ["content", "taskType"]


_texts = st.text(max_size=40)
_metadata = st.one_of(
    st.builds(CustomMetadata.of, st.text(min_size=1, max_size=8), st.text(max_size=256)),
    st.builds(
        CustomMetadata.of,
        st.text(min_size=1, max_size=8),
        st.floats(allow_nan=False, allow_infinity=False, width=32),
    ),
    st.builds(CustomMetadata.of, st.text(min_size=1, max_size=8), st.lists(_texts, max_size=10)),
)


@given(
    text=_texts,
    metadata=st.lists(_metadata, max_size=20),
    state=st.sampled_from(list(State)),
    stamp=st.datetimes(timezones=st.just(UTC)),
)
def test_chunks_round_trip_through_both_wire_forms(
    text: str, metadata: list[CustomMetadata], state: State, stamp: datetime
) -> None:
    chunk = Chunk(
        name="corpora/c/documents/d/chunks/k",
        data=ChunkData(string_value=text),
        custom_metadata=metadata,
        state=state,
        create_time=stamp,
    )
    assert Chunk.model_validate(to_wire(chunk)) == chunk
    sparse = Chunk.model_validate(to_wire(chunk, omit_defaults=True))
    assert sparse.data == chunk.data and sparse.custom_metadata == chunk.custom_metadata
    assert sparse.create_time == stamp
    assert sparse.state == (None if state is State.STATE_UNSPECIFIED else state)


def test_exclude_leaves_out_url_bound_fields() -> None:
    request = UpdateDocumentRequest(
        document=Document(name="corpora/c/documents/d", display_name="T"),
        update_mask=["displayName"],
    )
    assert to_wire(request, exclude={"update_mask"}, omit_defaults=True) == {
        "document": {"name": "corpora/c/documents/d", "displayName": "T"}
    }


@pytest.mark.parametrize(
    ("paths", "expected"),
    [
        (["display_name"], ["displayName"]),
        (["data.string_value", "data.stringValue"], ["data.stringValue"]),
        ([" customMetadata ", "custom_metadata", "data"], ["customMetadata", "data"]),
        ([], []),
    ],
)
def test_normalize_mask(paths: list[str], expected: list[str]) -> None:
    assert normalize_mask(paths) == expected
