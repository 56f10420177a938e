"""The typed client for the Semantic Retriever API: ``Client`` and ``AsyncClient``.

>>> from ragkit.client import Client
>>> client = Client(base_url="http://127.0.0.1:8765")  # a `ragkit serve`
>>> client.base_url
'http://127.0.0.1:8765'

With no arguments the client uses the local engine in this process; with
``api_key=``/``access_token=`` (or ``GOOGLE_API_KEY``) it talks to Google.
Resources nest like the URLs: ``client.corpora.documents.chunks.batch_create(...)``.
"""

from __future__ import annotations

from ragkit.client._auth import ApiKeyAuth, BearerTokenAuth
from ragkit.client._base import GOOGLE_BASE_URL, UnexpectedResponseError
from ragkit.client._client import AsyncClient, Client
from ragkit.client._errors import (
    AbortedError,
    AlreadyExistsError,
    APIConnectionError,
    APITimeoutError,
    ConflictError,
    DataLossError,
    DeadlineExceededError,
    FailedPreconditionError,
    InternalError,
    InvalidArgumentError,
    NotFoundError,
    OutOfRangeError,
    PermissionDeniedError,
    RagkitAPIError,
    RagkitError,
    RateLimitError,
    RequestCancelledError,
    UnauthenticatedError,
    UnavailableError,
    UnimplementedError,
    UnknownError,
)
from ragkit.client._pagination import AsyncPager, SyncPager
from ragkit.client._retry import DEFAULT_MAX_RETRIES, RetryPolicy, RetrySafety
from ragkit.client._streaming import AsyncStream, Stream
from ragkit.client._types import NOT_GIVEN, NotGiven
from ragkit.client.resources.operations import Operation

__all__ = [
    "DEFAULT_MAX_RETRIES",
    "GOOGLE_BASE_URL",
    "NOT_GIVEN",
    "APIConnectionError",
    "APITimeoutError",
    "AbortedError",
    "AlreadyExistsError",
    "ApiKeyAuth",
    "AsyncClient",
    "AsyncPager",
    "AsyncStream",
    "BearerTokenAuth",
    "Client",
    "ConflictError",
    "DataLossError",
    "DeadlineExceededError",
    "FailedPreconditionError",
    "InternalError",
    "InvalidArgumentError",
    "NotFoundError",
    "NotGiven",
    "Operation",
    "OutOfRangeError",
    "PermissionDeniedError",
    "RagkitAPIError",
    "RagkitError",
    "RateLimitError",
    "RequestCancelledError",
    "RetryPolicy",
    "RetrySafety",
    "Stream",
    "SyncPager",
    "UnauthenticatedError",
    "UnavailableError",
    "UnexpectedResponseError",
    "UnimplementedError",
    "UnknownError",
]
