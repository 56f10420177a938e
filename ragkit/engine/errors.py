"""The engine's one error type and its JSON form, Google's error envelope (reference §14).

Every failure a handler reports is an :class:`ApiError`; the app turns it (and any
unexpected exception, as a logged 500) into::

    {"error": {"code": 400, "message": "...", "status": "INVALID_ARGUMENT",
               "details": [{"@type": "type.googleapis.com/google.rpc.BadRequest",
                            "fieldViolations": [{"field": "...", "description": "..."}]}]}}

>>> invalid_argument("bad", [("corpus.name", "too long")]).to_json()["error"]["code"]
400
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

BAD_REQUEST_TYPE = "type.googleapis.com/google.rpc.BadRequest"
ERROR_INFO_TYPE = "type.googleapis.com/google.rpc.ErrorInfo"


# gRPC status name -> the HTTP code Google's front end maps it to (google/rpc/code.proto).
HTTP_CODES: dict[str, int] = {
    "INVALID_ARGUMENT": 400,
    "FAILED_PRECONDITION": 400,
    "OUT_OF_RANGE": 400,
    "UNAUTHENTICATED": 401,
    "PERMISSION_DENIED": 403,
    "NOT_FOUND": 404,
    "ALREADY_EXISTS": 409,
    "ABORTED": 409,
    "RESOURCE_EXHAUSTED": 429,
    "CANCELLED": 499,
    "UNKNOWN": 500,
    "INTERNAL": 500,
    "UNIMPLEMENTED": 501,
    "UNAVAILABLE": 503,
    "DEADLINE_EXCEEDED": 504,
}


class ApiError(Exception):
    """An error response: a status name, a developer-facing message and typed details."""

    def __init__(self, status: str, message: str, details: Sequence[dict[str, Any]] = ()) -> None:
        super().__init__(message)
        if status not in HTTP_CODES:
            raise ValueError(f"unknown status {status!r}")
        self.status = status
        self.message = message
        self.details = list(details)

    @property
    def http_status(self) -> int:
        return HTTP_CODES[self.status]

    def to_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "code": self.http_status,
            "message": self.message,
            "status": self.status,
        }
        if self.details:
            body["details"] = self.details
        return {"error": body}

    def __repr__(self) -> str:
        return f"ApiError({self.status}, {self.message!r})"


def bad_request_detail(violations: Sequence[tuple[str, str]]) -> dict[str, Any]:
    return {
        "@type": BAD_REQUEST_TYPE,
        "fieldViolations": [{"field": f, "description": d} for f, d in violations],
    }


def invalid_argument(message: str, violations: Sequence[tuple[str, str]] = ()) -> ApiError:
    """400 INVALID_ARGUMENT; ``violations`` are ``(field path, description)`` pairs."""
    details = [bad_request_detail(violations)] if violations else []
    return ApiError("INVALID_ARGUMENT", message, details)


def field_error(field: str, description: str) -> ApiError:
    """400 INVALID_ARGUMENT about one field (message and violation say the same)."""
    return invalid_argument(
        f"{field}: {description}" if field else description, [(field, description)]
    )


def failed_precondition(message: str) -> ApiError:
    return ApiError("FAILED_PRECONDITION", message)


def not_found(message: str) -> ApiError:
    return ApiError("NOT_FOUND", message)


def permission_denied(message: str) -> ApiError:
    return ApiError("PERMISSION_DENIED", message)


def already_exists(message: str) -> ApiError:
    return ApiError("ALREADY_EXISTS", message)


def resource_exhausted(message: str) -> ApiError:
    return ApiError("RESOURCE_EXHAUSTED", message)


def internal(message: str = "Internal error encountered.") -> ApiError:
    return ApiError("INTERNAL", message)


def unavailable(message: str) -> ApiError:
    return ApiError("UNAVAILABLE", message)


def status_name_for(http_status: int) -> str:
    """The canonical status name for an HTTP code (for errors raised by the framework)."""
    for name, code in HTTP_CODES.items():
        if code == http_status:
            return name  # the first name listed for a code is the canonical one
    return "INVALID_ARGUMENT" if http_status < 500 else "INTERNAL"
