"""Errors raised by the client, built from Google's ``google.rpc.Status`` envelope.

Every HTTP error body from the API (and from ragkit's engine) looks like::

    {"error": {"code": 404, "status": "NOT_FOUND", "message": "...", "details": [...]}}

The exception class is chosen by the ``status`` string first and the HTTP code
second (a proxy's HTML 502 page has no status), so ``FAILED_PRECONDITION`` and
``INVALID_ARGUMENT`` stay apart although both are HTTP 400. Non-JSON bodies are
tolerated: the text becomes the message.

The tree::

    RagkitError
    ├── RagkitAPIError              the server answered with an error status
    │   ├── InvalidArgumentError    400 INVALID_ARGUMENT
    │   ├── FailedPreconditionError 400 FAILED_PRECONDITION (e.g. delete without force)
    │   ├── OutOfRangeError         400 OUT_OF_RANGE
    │   ├── UnauthenticatedError    401 UNAUTHENTICATED
    │   ├── PermissionDeniedError   403 PERMISSION_DENIED (also: unknown corpus on Google)
    │   ├── NotFoundError           404 NOT_FOUND
    │   ├── ConflictError           409 (no status given)
    │   │   ├── AlreadyExistsError  409 ALREADY_EXISTS
    │   │   └── AbortedError        409 ABORTED
    │   ├── RateLimitError          429 RESOURCE_EXHAUSTED (``.retry_after``)
    │   ├── RequestCancelledError   499 CANCELLED
    │   ├── InternalError           500 INTERNAL
    │   │   ├── UnknownError        500 UNKNOWN
    │   │   └── DataLossError       500 DATA_LOSS
    │   ├── UnimplementedError      501 UNIMPLEMENTED
    │   ├── UnavailableError        503 UNAVAILABLE (and a bare 502)
    │   └── DeadlineExceededError   504 DEADLINE_EXCEEDED (and a bare 408)
    └── APIConnectionError          no response: refused, reset, DNS, protocol error
        └── APITimeoutError         the request timed out

Example::

    try:
        client.corpora.delete("corpora/docs")
    except FailedPreconditionError:
        client.corpora.delete("corpora/docs", force=True)
"""

from __future__ import annotations

import json
from typing import Any, ClassVar, TypeVar

import httpx

from ragkit.types import ErrorDetail, ErrorInfo, FieldViolation, Status

__all__ = [
    "APIConnectionError",
    "APITimeoutError",
    "AbortedError",
    "AlreadyExistsError",
    "ConflictError",
    "DataLossError",
    "DeadlineExceededError",
    "FailedPreconditionError",
    "InternalError",
    "InvalidArgumentError",
    "NotFoundError",
    "OutOfRangeError",
    "PermissionDeniedError",
    "RagkitAPIError",
    "RagkitError",
    "RateLimitError",
    "RequestCancelledError",
    "UnauthenticatedError",
    "UnavailableError",
    "UnimplementedError",
    "UnknownError",
    "error_from_response",
]

D = TypeVar("D", bound=ErrorDetail)


class RagkitError(Exception):
    """Base class of every error the ragkit client raises."""


class RagkitAPIError(RagkitError):
    """The API answered with an error status.

    Attributes keep the server's own words: ``status_code`` (HTTP), ``status``
    (the ``google.rpc.Code`` name, e.g. ``"NOT_FOUND"``; ``None`` if the body had
    none), ``message``, ``details`` (the raw ``details[]`` entries, each with an
    ``@type``), plus ``request`` and ``response``. ``retries_taken`` counts the
    retries made before this error was raised.
    """

    default_status: ClassVar[str | None] = None

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        status: str | None,
        details: list[dict[str, Any]] | None = None,
        request: httpx.Request,
        response: httpx.Response,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status_code = status_code
        self.status = status
        self.details: list[dict[str, Any]] = list(details or [])
        self.request = request
        self.response = response
        self.retry_after = retry_after
        """Seconds the server asked us to wait (``Retry-After`` or ``RetryInfo``), if any."""
        self.retries_taken = 0

    def detail(self, kind: type[D]) -> D | None:
        """The first detail of type ``kind`` (a ``ragkit.types`` ``google.rpc`` model), parsed.

        Example::

            except RateLimitError as err:
                quota = err.detail(QuotaFailure)
        """
        return Status(code=self.status_code, details=self.details).detail(kind)

    @property
    def error_info(self) -> ErrorInfo | None:
        """The ``google.rpc.ErrorInfo`` detail (e.g. reason ``API_KEY_INVALID``), if any."""
        return self.detail(ErrorInfo)

    @property
    def field_violations(self) -> list[FieldViolation]:
        """The bad request fields from a ``google.rpc.BadRequest`` detail (``[]`` if none)."""
        return Status(code=self.status_code, details=self.details).field_violations()

    def __str__(self) -> str:
        status = f" {self.status}" if self.status else ""
        return f"{self.status_code}{status}: {self.message}"

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(status_code={self.status_code}, "
            f"status={self.status!r}, message={self.message!r})"
        )


class InvalidArgumentError(RagkitAPIError):
    """400 INVALID_ARGUMENT: a malformed name, body, enum or a broken limit."""

    default_status = "INVALID_ARGUMENT"


class FailedPreconditionError(RagkitAPIError):
    """400 FAILED_PRECONDITION: e.g. deleting a non-empty corpus without ``force``."""

    default_status = "FAILED_PRECONDITION"


class OutOfRangeError(RagkitAPIError):
    """400 OUT_OF_RANGE."""

    default_status = "OUT_OF_RANGE"


class UnauthenticatedError(RagkitAPIError):
    """401 UNAUTHENTICATED: missing or expired credentials."""

    default_status = "UNAUTHENTICATED"


class PermissionDeniedError(RagkitAPIError):
    """403 PERMISSION_DENIED. Google also answers this for a corpus that does not exist."""

    default_status = "PERMISSION_DENIED"


class NotFoundError(RagkitAPIError):
    """404 NOT_FOUND."""

    default_status = "NOT_FOUND"


class ConflictError(RagkitAPIError):
    """409 without a status name; the parent of ``AlreadyExistsError`` and ``AbortedError``."""


class AlreadyExistsError(ConflictError):
    """409 ALREADY_EXISTS: the name is taken.

    After a retried create (``retries_taken > 0``) this usually means an earlier
    attempt succeeded and only its response was lost.
    """

    default_status = "ALREADY_EXISTS"


class AbortedError(ConflictError):
    """409 ABORTED: a concurrency conflict."""

    default_status = "ABORTED"


class RateLimitError(RagkitAPIError):
    """429 RESOURCE_EXHAUSTED: a rate limit or quota; see ``retry_after``."""

    default_status = "RESOURCE_EXHAUSTED"


class RequestCancelledError(RagkitAPIError):
    """499 CANCELLED."""

    default_status = "CANCELLED"


class InternalError(RagkitAPIError):
    """500 INTERNAL."""

    default_status = "INTERNAL"


class UnknownError(InternalError):
    """500 UNKNOWN."""

    default_status = "UNKNOWN"


class DataLossError(InternalError):
    """500 DATA_LOSS."""

    default_status = "DATA_LOSS"


class UnimplementedError(RagkitAPIError):
    """501 UNIMPLEMENTED: e.g. a method Google has since removed."""

    default_status = "UNIMPLEMENTED"


class UnavailableError(RagkitAPIError):
    """503 UNAVAILABLE (and a status-less 502): transient, retried by default."""

    default_status = "UNAVAILABLE"


class DeadlineExceededError(RagkitAPIError):
    """504 DEADLINE_EXCEEDED (and a status-less 408): the server gave up waiting."""

    default_status = "DEADLINE_EXCEEDED"


class APIConnectionError(RagkitError):
    """No response arrived: connection refused or reset, DNS failure, protocol error."""

    def __init__(self, message: str, *, request: httpx.Request) -> None:
        super().__init__(message)
        self.request = request
        self.retries_taken = 0


class APITimeoutError(APIConnectionError):
    """The request timed out (connect, read, write or waiting for a pooled connection)."""


_BY_STATUS: dict[str, type[RagkitAPIError]] = {
    cls.default_status: cls
    for cls in (
        InvalidArgumentError,
        FailedPreconditionError,
        OutOfRangeError,
        UnauthenticatedError,
        PermissionDeniedError,
        NotFoundError,
        AlreadyExistsError,
        AbortedError,
        RateLimitError,
        RequestCancelledError,
        InternalError,
        UnknownError,
        DataLossError,
        UnimplementedError,
        UnavailableError,
        DeadlineExceededError,
    )
    if cls.default_status
}

# Used only when the body names no known status: Google's canonical HTTP mapping
# (google/rpc/code.proto), plus 502 (gateways) and 408 (proxies) which it lacks.
_BY_HTTP_CODE: dict[int, type[RagkitAPIError]] = {
    400: InvalidArgumentError,
    401: UnauthenticatedError,
    403: PermissionDeniedError,
    404: NotFoundError,
    408: DeadlineExceededError,
    409: ConflictError,
    429: RateLimitError,
    499: RequestCancelledError,
    500: InternalError,
    501: UnimplementedError,
    502: UnavailableError,
    503: UnavailableError,
    504: DeadlineExceededError,
}


def _error_envelope(response: httpx.Response) -> dict[str, Any]:
    try:
        body = json.loads(response.content or b"null")
    except (ValueError, UnicodeDecodeError):
        return {}
    # Google wraps the Status in {"error": ...}; the SSE stream and some batch
    # endpoints may carry it bare or as a one-element list.
    if isinstance(body, list) and body and isinstance(body[0], dict):
        body = body[0]
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        return dict(body["error"])
    return {}


def _retry_info_delay(status_code: int, details: list[dict[str, Any]]) -> float | None:
    delay = Status(code=status_code, details=details).retry_delay()
    return delay.total_seconds() if delay is not None else None


def error_from_response(
    response: httpx.Response,
    *,
    retry_after: float | None = None,
) -> RagkitAPIError:
    """Build the right ``RagkitAPIError`` subclass for an error response.

    ``retry_after`` is the already-parsed ``Retry-After`` header; a
    ``google.rpc.RetryInfo`` detail in the body wins over it because it is the
    API's own, more precise statement.
    """
    envelope = _error_envelope(response)
    status = envelope.get("status")
    status = status if isinstance(status, str) and status else None
    raw_details = envelope.get("details")
    details = (
        [d for d in raw_details if isinstance(d, dict)] if isinstance(raw_details, list) else []
    )
    message = envelope.get("message")
    if not isinstance(message, str) or not message:
        message = response.text.strip()[:2000] or response.reason_phrase or "error"
    cls = _BY_STATUS.get(status or "") or _BY_HTTP_CODE.get(response.status_code, RagkitAPIError)
    delay = _retry_info_delay(response.status_code, details)
    return cls(
        message,
        status_code=response.status_code,
        status=status,
        details=details,
        request=response.request,
        response=response,
        retry_after=delay if delay is not None else retry_after,
    )


def error_from_status_payload(
    payload: dict[str, Any], *, response: httpx.Response
) -> RagkitAPIError:
    """Build an error from a Status that arrived *inside* a 200 stream (an SSE event)."""
    code = payload.get("code")
    status_code = code if isinstance(code, int) else 500
    fake = httpx.Response(
        status_code,
        json={"error": payload},
        request=response.request,
    )
    error = error_from_response(fake)
    error.response = response
    return error
