from __future__ import annotations

import httpx
import pytest

from ragkit.client import _errors as errors
from ragkit.client._errors import error_from_response
from ragkit.types import QuotaFailure

REQUEST = httpx.Request("GET", "https://example.invalid/v1beta/corpora/x")


def _response(status_code: int, body: object = None, *, text: str | None = None) -> httpx.Response:
    if text is not None:
        return httpx.Response(status_code, text=text, request=REQUEST)
    return httpx.Response(status_code, json=body, request=REQUEST)


def _status(code: int, status: str, message: str = "msg", details: list | None = None) -> dict:
    error: dict = {"code": code, "status": status, "message": message}
    if details is not None:
        error["details"] = details
    return {"error": error}


@pytest.mark.parametrize(
    ("code", "status", "cls"),
    [
        (400, "INVALID_ARGUMENT", errors.InvalidArgumentError),
        (400, "FAILED_PRECONDITION", errors.FailedPreconditionError),
        (400, "OUT_OF_RANGE", errors.OutOfRangeError),
        (401, "UNAUTHENTICATED", errors.UnauthenticatedError),
        (403, "PERMISSION_DENIED", errors.PermissionDeniedError),
        (404, "NOT_FOUND", errors.NotFoundError),
        (409, "ALREADY_EXISTS", errors.AlreadyExistsError),
        (409, "ABORTED", errors.AbortedError),
        (429, "RESOURCE_EXHAUSTED", errors.RateLimitError),
        (499, "CANCELLED", errors.RequestCancelledError),
        (500, "INTERNAL", errors.InternalError),
        (500, "UNKNOWN", errors.UnknownError),
        (500, "DATA_LOSS", errors.DataLossError),
        (501, "UNIMPLEMENTED", errors.UnimplementedError),
        (503, "UNAVAILABLE", errors.UnavailableError),
        (504, "DEADLINE_EXCEEDED", errors.DeadlineExceededError),
    ],
)
def test_each_google_status_maps_to_its_class(code: int, status: str, cls: type) -> None:
    error = error_from_response(_response(code, _status(code, status, "the server's words")))
    assert type(error) is cls
    assert isinstance(error, errors.RagkitAPIError)
    assert error.status_code == code
    assert error.status == status
    assert error.message == "the server's words"
    assert error.request is REQUEST
    assert error.response.status_code == code
    assert str(error) == f"{code} {status}: the server's words"


def test_status_name_wins_over_http_code() -> None:
    # A FAILED_PRECONDITION delivered as 400 must not become InvalidArgumentError.
    error = error_from_response(_response(400, _status(400, "FAILED_PRECONDITION")))
    assert isinstance(error, errors.FailedPreconditionError)


@pytest.mark.parametrize(
    ("code", "cls"),
    [
        (400, errors.InvalidArgumentError),
        (401, errors.UnauthenticatedError),
        (403, errors.PermissionDeniedError),
        (404, errors.NotFoundError),
        (408, errors.DeadlineExceededError),
        (409, errors.ConflictError),
        (429, errors.RateLimitError),
        (500, errors.InternalError),
        (502, errors.UnavailableError),
        (503, errors.UnavailableError),
        (504, errors.DeadlineExceededError),
        (418, errors.RagkitAPIError),
    ],
)
def test_non_json_bodies_map_by_http_code_and_keep_the_text(code: int, cls: type) -> None:
    error = error_from_response(_response(code, text="<html>Bad Gateway</html>"))
    assert type(error) is cls
    assert error.status is None
    assert error.message == "<html>Bad Gateway</html>"
    assert error.details == []


def test_unknown_status_name_falls_back_to_http_code() -> None:
    error = error_from_response(_response(404, _status(404, "SOMETHING_NEW")))
    assert type(error) is errors.NotFoundError
    assert error.status == "SOMETHING_NEW"


def test_empty_body_uses_the_reason_phrase() -> None:
    error = error_from_response(httpx.Response(503, request=REQUEST))
    assert isinstance(error, errors.UnavailableError)
    assert error.message == "Service Unavailable"


def test_details_and_retry_info_are_kept() -> None:
    details = [
        {
            "@type": "type.googleapis.com/google.rpc.QuotaFailure",
            "violations": [{"quotaId": "GenerateRequestsPerMinutePerProjectPerModel-FreeTier"}],
        },
        {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "35s"},
    ]
    response = _response(429, _status(429, "RESOURCE_EXHAUSTED", "quota", details))
    error = error_from_response(response, retry_after=2.0)
    assert isinstance(error, errors.RateLimitError)
    assert error.retry_after == 35.0  # the body's RetryInfo beats the header
    assert error.details == details
    quota = error.detail(QuotaFailure)
    assert quota is not None
    assert quota.violations[0].quota_id is not None
    assert quota.violations[0].quota_id.endswith("FreeTier")
    assert error.error_info is None
    assert error.field_violations == []


def test_typed_details_error_info_and_field_violations() -> None:
    details = [
        {
            "@type": "type.googleapis.com/google.rpc.ErrorInfo",
            "reason": "API_KEY_INVALID",
            "domain": "googleapis.com",
        },
        {
            "@type": "type.googleapis.com/google.rpc.BadRequest",
            "fieldViolations": [{"field": "requests[100]", "description": "too many"}],
        },
    ]
    error = error_from_response(_response(400, _status(400, "INVALID_ARGUMENT", "bad", details)))
    assert error.error_info is not None
    assert error.error_info.reason == "API_KEY_INVALID"
    assert [(v.field, v.description) for v in error.field_violations] == [
        ("requests[100]", "too many")
    ]


def test_a_malformed_retry_delay_is_ignored() -> None:
    details = [{"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "soon"}]
    response = _response(429, _status(429, "RESOURCE_EXHAUSTED", "quota", details))
    assert error_from_response(response, retry_after=4.0).retry_after == 4.0


def test_retry_after_header_is_used_without_retry_info() -> None:
    error = error_from_response(_response(429, _status(429, "RESOURCE_EXHAUSTED")), retry_after=7)
    assert error.retry_after == 7


def test_bare_and_listed_envelopes_are_accepted() -> None:
    listed = error_from_response(_response(404, [_status(404, "NOT_FOUND", "in a list")]))
    assert isinstance(listed, errors.NotFoundError)
    assert listed.message == "in a list"


def test_error_inside_a_stream_event() -> None:
    ok = httpx.Response(200, request=REQUEST)
    error = errors.error_from_status_payload(
        {"code": 503, "status": "UNAVAILABLE", "message": "overloaded"}, response=ok
    )
    assert isinstance(error, errors.UnavailableError)
    assert error.response is ok


def test_connection_errors_are_not_api_errors() -> None:
    assert issubclass(errors.APITimeoutError, errors.APIConnectionError)
    assert not issubclass(errors.APIConnectionError, errors.RagkitAPIError)
    assert issubclass(errors.APIConnectionError, errors.RagkitError)


def test_tree_in_docstring_names_every_class() -> None:
    doc = errors.__doc__ or ""
    for name in errors.__all__:
        if name[0].isupper():
            assert name in doc, name
