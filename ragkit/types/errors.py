"""Google's error body: ``{"error": google.rpc.Status}`` with typed details (reference §14).

``details`` stays a list of raw JSON objects (each with an ``@type``) so that unknown detail
types survive; typed accessors pick out the ones ragkit understands.

>>> status = Status.model_validate({
...     "code": 429, "status": "RESOURCE_EXHAUSTED", "message": "Quota exceeded",
...     "details": [{"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "35s"}]})
>>> status.retry_delay()
datetime.timedelta(seconds=35)
"""

# ruff: noqa: RUF012  (pydantic copies mutable field defaults per instance; ruff only
# recognises direct BaseModel subclasses, not WireModel ones)

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any, ClassVar, TypeVar

from pydantic import ValidationError

from ragkit.types._base import Duration, ProtoEnum, WireModel, to_wire

__all__ = [
    "BadRequest",
    "ErrorBody",
    "ErrorDetail",
    "ErrorInfo",
    "FieldViolation",
    "Help",
    "HelpLink",
    "LocalizedMessage",
    "QuotaFailure",
    "QuotaViolation",
    "RetryInfo",
    "Status",
    "StatusCode",
    "error_body",
    "parse_error_body",
]

_TYPE_PREFIX = "type.googleapis.com/google.rpc."


class StatusCode(ProtoEnum):
    """``google.rpc.Code``: the canonical error codes, with their HTTP mapping."""

    OK = "OK"
    CANCELLED = "CANCELLED"
    UNKNOWN = "UNKNOWN"
    INVALID_ARGUMENT = "INVALID_ARGUMENT"
    DEADLINE_EXCEEDED = "DEADLINE_EXCEEDED"
    NOT_FOUND = "NOT_FOUND"
    ALREADY_EXISTS = "ALREADY_EXISTS"
    PERMISSION_DENIED = "PERMISSION_DENIED"
    RESOURCE_EXHAUSTED = "RESOURCE_EXHAUSTED"
    FAILED_PRECONDITION = "FAILED_PRECONDITION"
    ABORTED = "ABORTED"
    OUT_OF_RANGE = "OUT_OF_RANGE"
    UNIMPLEMENTED = "UNIMPLEMENTED"
    INTERNAL = "INTERNAL"
    UNAVAILABLE = "UNAVAILABLE"
    DATA_LOSS = "DATA_LOSS"
    UNAUTHENTICATED = "UNAUTHENTICATED"

    @property
    def http_status(self) -> int:
        """The HTTP status Google sends with this code (``google/rpc/code.proto``)."""
        return _HTTP_STATUS[self.name]

    @classmethod
    def from_http(cls, http_status: int) -> StatusCode:
        """Best code for a bare HTTP status (when a body carries no ``status``)."""
        return _FROM_HTTP.get(http_status) or (cls.INTERNAL if http_status >= 500 else cls.UNKNOWN)


_HTTP_STATUS = {
    "OK": 200,
    "CANCELLED": 499,
    "UNKNOWN": 500,
    "INVALID_ARGUMENT": 400,
    "DEADLINE_EXCEEDED": 504,
    "NOT_FOUND": 404,
    "ALREADY_EXISTS": 409,
    "PERMISSION_DENIED": 403,
    "RESOURCE_EXHAUSTED": 429,
    "FAILED_PRECONDITION": 400,
    "ABORTED": 409,
    "OUT_OF_RANGE": 400,
    "UNIMPLEMENTED": 501,
    "INTERNAL": 500,
    "UNAVAILABLE": 503,
    "DATA_LOSS": 500,
    "UNAUTHENTICATED": 401,
}
_FROM_HTTP = {
    200: StatusCode.OK,
    400: StatusCode.INVALID_ARGUMENT,
    401: StatusCode.UNAUTHENTICATED,
    403: StatusCode.PERMISSION_DENIED,
    404: StatusCode.NOT_FOUND,
    408: StatusCode.DEADLINE_EXCEEDED,
    409: StatusCode.ABORTED,
    429: StatusCode.RESOURCE_EXHAUSTED,
    499: StatusCode.CANCELLED,
    500: StatusCode.INTERNAL,
    501: StatusCode.UNIMPLEMENTED,
    503: StatusCode.UNAVAILABLE,
    504: StatusCode.DEADLINE_EXCEEDED,
}


class ErrorDetail(WireModel):
    """Base of the typed ``google.rpc`` detail messages; ``TYPE_URL`` is their ``@type``."""

    TYPE_URL: ClassVar[str] = ""

    def to_detail(self) -> dict[str, Any]:
        """This detail as a ``details[]`` entry, ``@type`` first."""
        return {"@type": self.TYPE_URL, **to_wire(self, omit_defaults=True)}


class FieldViolation(WireModel):
    """One bad field of a request."""

    field: str = ""
    """Path to the field, e.g. ``requests[3].chunk.customMetadata[20]``."""
    description: str = ""
    """Why the field is bad."""
    reason: str | None = None
    """Optional. Machine-readable reason (UPPER_SNAKE_CASE)."""


class BadRequest(ErrorDetail):
    """``google.rpc.BadRequest``: the request's bad fields."""

    TYPE_URL: ClassVar[str] = _TYPE_PREFIX + "BadRequest"
    field_violations: list[FieldViolation] = []
    """All violations in the request."""


class ErrorInfo(ErrorDetail):
    """``google.rpc.ErrorInfo``: a machine-readable reason, e.g. ``API_KEY_INVALID``."""

    TYPE_URL: ClassVar[str] = _TYPE_PREFIX + "ErrorInfo"
    reason: str = ""
    """The reason of the error (UPPER_SNAKE_CASE)."""
    domain: str = ""
    """The logical grouping of ``reason``, e.g. ``googleapis.com``."""
    metadata: dict[str, str] = {}
    """Additional structured details."""


class RetryInfo(ErrorDetail):
    """``google.rpc.RetryInfo``: when to retry."""

    TYPE_URL: ClassVar[str] = _TYPE_PREFIX + "RetryInfo"
    retry_delay: Duration | None = None
    """Wait at least this long before retrying (``"35s"`` on the wire)."""


class QuotaViolation(WireModel):
    """One exceeded quota (open: Google adds fields such as ``quotaValue``)."""

    wire_open: ClassVar[bool] = True
    subject: str | None = None
    description: str | None = None
    quota_metric: str | None = None
    """E.g. ``generativelanguage.googleapis.com/generate_content_free_tier_requests``."""
    quota_id: str | None = None
    """E.g. ``GenerateRequestsPerMinutePerProjectPerModel-FreeTier``."""
    quota_dimensions: dict[str, str] = {}
    quota_value: str | None = None
    """The quota's value (an int64, hence a string on the wire)."""


class QuotaFailure(ErrorDetail):
    """``google.rpc.QuotaFailure``: which quotas were exceeded."""

    TYPE_URL: ClassVar[str] = _TYPE_PREFIX + "QuotaFailure"
    violations: list[QuotaViolation] = []
    """The exceeded quotas."""


class HelpLink(WireModel):
    """A link to documentation."""

    description: str = ""
    url: str = ""


class Help(ErrorDetail):
    """``google.rpc.Help``: links to documentation."""

    TYPE_URL: ClassVar[str] = _TYPE_PREFIX + "Help"
    links: list[HelpLink] = []


class LocalizedMessage(ErrorDetail):
    """``google.rpc.LocalizedMessage``: the error in the user's language."""

    TYPE_URL: ClassVar[str] = _TYPE_PREFIX + "LocalizedMessage"
    locale: str = ""
    message: str = ""


_D = TypeVar("_D", bound=ErrorDetail)


class Status(WireModel):
    """``google.rpc.Status`` in the REST envelope: ``code`` is the HTTP status there."""

    code: int
    """HTTP status in the REST envelope (the gRPC code in gRPC)."""
    message: str = ""
    """Developer-facing English message."""
    status: StatusCode | None = None
    """The code's name, e.g. ``INVALID_ARGUMENT``."""
    details: list[dict[str, Any]] = []
    """Detail messages, each a JSON object with an ``@type``."""

    @classmethod
    def of(cls, status: StatusCode, message: str, *, details: Sequence[ErrorDetail] = ()) -> Status:
        """A Status with the HTTP code of ``status`` and the given typed details.

        >>> Status.of(StatusCode.NOT_FOUND, "Document not found.").code
        404
        """
        return cls(
            code=status.http_status,
            message=message,
            status=status,
            details=[detail.to_detail() for detail in details],
        )

    @property
    def status_code(self) -> StatusCode:
        """``status`` if given, else derived from the HTTP ``code``."""
        return self.status or StatusCode.from_http(self.code)

    def detail(self, kind: type[_D]) -> _D | None:
        """The first detail of type ``kind`` (matched by ``@type``), parsed; else ``None``."""
        for raw in self.details:
            if raw.get("@type") == kind.TYPE_URL:
                fields = {key: value for key, value in raw.items() if key != "@type"}
                try:
                    return kind.model_validate(fields)
                except ValidationError:
                    return None  # a malformed detail must not hide the error itself
        return None

    def bad_request(self) -> BadRequest | None:
        """The ``BadRequest`` detail, if any."""
        return self.detail(BadRequest)

    def field_violations(self) -> list[FieldViolation]:
        """The field violations of the ``BadRequest`` detail (``[]`` if none)."""
        detail = self.bad_request()
        return detail.field_violations if detail is not None else []

    def error_info(self) -> ErrorInfo | None:
        """The ``ErrorInfo`` detail, if any."""
        return self.detail(ErrorInfo)

    def retry_info(self) -> RetryInfo | None:
        """The ``RetryInfo`` detail, if any."""
        return self.detail(RetryInfo)

    def retry_delay(self) -> timedelta | None:
        """``RetryInfo.retryDelay``, if the error says when to retry."""
        info = self.retry_info()
        return info.retry_delay if info is not None else None

    def quota_failure(self) -> QuotaFailure | None:
        """The ``QuotaFailure`` detail, if any."""
        return self.detail(QuotaFailure)


class ErrorBody(WireModel):
    """The whole error response: ``{"error": {...}}``."""

    error: Status
    """The status."""


def error_body(
    status: StatusCode, message: str, *, details: Sequence[ErrorDetail] = ()
) -> dict[str, Any]:
    """The JSON error body Google sends, for the engine to return.

    >>> error_body(StatusCode.NOT_FOUND, "Chunk not found.")
    {'error': {'code': 404, 'message': 'Chunk not found.', 'status': 'NOT_FOUND'}}
    """
    return to_wire(ErrorBody(error=Status.of(status, message, details=details)), omit_defaults=True)


def parse_error_body(data: Any) -> Status | None:
    """The Status in an error response body, or ``None`` if it is not Google's shape.

    Tolerates the list form some streaming endpoints use (``[{"error": ...}]``).
    """
    if isinstance(data, list) and len(data) == 1:
        data = data[0]
    if not isinstance(data, dict) or not isinstance(data.get("error"), dict):
        return None
    try:
        return ErrorBody.model_validate(data).error
    except ValidationError:
        return None
