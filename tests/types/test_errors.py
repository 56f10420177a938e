"""Google's error body and its typed details."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from ragkit.types import (
    BadRequest,
    ErrorInfo,
    FieldViolation,
    Help,
    HelpLink,
    QuotaFailure,
    RetryInfo,
    Status,
    StatusCode,
    error_body,
    parse_error_body,
)

QUOTA_ID = "EmbedContentRequestsPerMinutePerUserPerProjectPerModel-FreeTier"
RATE_LIMITED: dict[str, Any] = {
    "error": {
        "code": 429,
        "message": "You exceeded your current quota. Please retry in 35.5s.",
        "status": "RESOURCE_EXHAUSTED",
        "details": [
            {
                "@type": "type.googleapis.com/google.rpc.QuotaFailure",
                "violations": [
                    {
                        "quotaMetric": "generativelanguage.googleapis.com/embed_content_requests",
                        "quotaId": QUOTA_ID,
                        "quotaDimensions": {"location": "global", "model": "embedding"},
                        "quotaValue": "100",
                    }
                ],
            },
            {
                "@type": "type.googleapis.com/google.rpc.Help",
                "links": [
                    {
                        "description": "Learn more",
                        "url": "https://ai.google.dev/gemini-api/docs/rate-limits",
                    }
                ],
            },
            {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "35s"},
        ],
    }
}

BAD_KEY: dict[str, Any] = {
    "error": {
        "code": 400,
        "message": "API key not valid. Please pass a valid API key.",
        "status": "INVALID_ARGUMENT",
        "details": [
            {
                "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                "reason": "API_KEY_INVALID",
                "domain": "googleapis.com",
                "metadata": {"service": "generativelanguage.googleapis.com"},
            },
            {"@type": "type.googleapis.com/google.rpc.SomethingNew", "x": 1},
        ],
    }
}


def test_rate_limit_body_exposes_quota_and_retry_delay() -> None:
    status = parse_error_body(RATE_LIMITED)
    assert status is not None
    assert (status.code, status.status_code) == (429, StatusCode.RESOURCE_EXHAUSTED)
    assert status.retry_delay() == timedelta(seconds=35)
    quota = status.quota_failure()
    assert quota is not None
    assert quota.violations[0].quota_id == QUOTA_ID
    assert quota.violations[0].quota_dimensions["model"] == "embedding"
    help_detail = status.detail(Help)
    assert help_detail is not None and help_detail.links[0].url.endswith("rate-limits")
    assert status.bad_request() is None and status.field_violations() == []


def test_error_info_and_unknown_details() -> None:
    status = parse_error_body(BAD_KEY)
    assert status is not None
    info = status.error_info()
    assert info is not None and info.reason == "API_KEY_INVALID"
    assert info.metadata == {"service": "generativelanguage.googleapis.com"}
    assert status.details[1] == {"@type": "type.googleapis.com/google.rpc.SomethingNew", "x": 1}
    assert status.retry_info() is None


def test_error_body_builds_googles_envelope() -> None:
    body = error_body(
        StatusCode.INVALID_ARGUMENT,
        "requests has 101 entries; the limit is 100",
        details=[
            BadRequest(field_violations=[FieldViolation(field="requests", description="too many")])
        ],
    )
    assert body == {
        "error": {
            "code": 400,
            "message": "requests has 101 entries; the limit is 100",
            "status": "INVALID_ARGUMENT",
            "details": [
                {
                    "@type": "type.googleapis.com/google.rpc.BadRequest",
                    "fieldViolations": [{"field": "requests", "description": "too many"}],
                }
            ],
        }
    }
    parsed = parse_error_body(body)
    assert parsed is not None and parsed.field_violations()[0].description == "too many"


def test_round_trip_of_every_typed_detail() -> None:
    details = [
        BadRequest(field_violations=[FieldViolation(field="a", description="b")]),
        ErrorInfo(reason="R", domain="d", metadata={"k": "v"}),
        RetryInfo(retry_delay=timedelta(seconds=1.5)),
        QuotaFailure.model_validate({"violations": [{"quotaId": "q"}]}),
        Help(links=[HelpLink(description="d", url="u")]),
    ]
    status = Status.of(StatusCode.RESOURCE_EXHAUSTED, "slow down", details=details)
    assert status.code == 429
    assert status.details[2] == {
        "@type": "type.googleapis.com/google.rpc.RetryInfo",
        "retryDelay": "1.500s",
    }
    for detail in details:
        assert status.detail(type(detail)) == detail


@pytest.mark.parametrize(
    ("code", "http"),
    [
        (StatusCode.INVALID_ARGUMENT, 400),
        (StatusCode.FAILED_PRECONDITION, 400),
        (StatusCode.OUT_OF_RANGE, 400),
        (StatusCode.UNAUTHENTICATED, 401),
        (StatusCode.PERMISSION_DENIED, 403),
        (StatusCode.NOT_FOUND, 404),
        (StatusCode.ALREADY_EXISTS, 409),
        (StatusCode.ABORTED, 409),
        (StatusCode.RESOURCE_EXHAUSTED, 429),
        (StatusCode.CANCELLED, 499),
        (StatusCode.INTERNAL, 500),
        (StatusCode.UNIMPLEMENTED, 501),
        (StatusCode.UNAVAILABLE, 503),
        (StatusCode.DEADLINE_EXCEEDED, 504),
    ],
)
def test_http_mapping(code: StatusCode, http: int) -> None:
    assert code.http_status == http


def test_status_code_falls_back_to_http() -> None:
    assert Status(code=503).status_code is StatusCode.UNAVAILABLE
    assert Status(code=502).status_code is StatusCode.INTERNAL
    assert Status(code=418).status_code is StatusCode.UNKNOWN
    assert Status(code=404, status=StatusCode.NOT_FOUND).status_code is StatusCode.NOT_FOUND


@pytest.mark.parametrize(
    "body", [None, "oops", {"message": "x"}, {"error": "x"}, {"error": {"message": "no code"}}]
)
def test_non_google_bodies_give_none(body: Any) -> None:
    assert parse_error_body(body) is None


def test_streaming_list_form_is_accepted() -> None:
    status = parse_error_body([RATE_LIMITED])
    assert status is not None and status.code == 429


def test_malformed_detail_does_not_hide_the_error() -> None:
    status = Status.model_validate(
        {
            "code": 429,
            "details": [
                {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "soon"}
            ],
        }
    )
    assert status.retry_delay() is None
