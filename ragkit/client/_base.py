"""Everything the sync and async clients share; no I/O happens here.

Backend selection, URL and request building, timeouts, response parsing, error
mapping and the retry decision live in ``BaseClient``. ``Client`` and
``AsyncClient`` (in ``_client.py``) only send requests and sleep.
"""

from __future__ import annotations

import copy
import json
import logging
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Final, Generic, Literal, TypeVar

import httpx

from ragkit._version import __version__
from ragkit.client._auth import ApiKeyAuth, BearerTokenAuth, TokenProvider
from ragkit.client._errors import (
    APIConnectionError,
    APITimeoutError,
    RagkitAPIError,
    RagkitError,
    error_from_response,
)
from ragkit.client._retry import (
    DEFAULT_TIMEOUT,
    GENERATION_TIMEOUT,
    RetryPolicy,
    RetrySafety,
    parse_retry_after,
)
from ragkit.client._types import NotGiven, TimeoutTypes
from ragkit.types import QuotaFailure

T = TypeVar("T")

GOOGLE_BASE_URL: Final = "https://generativelanguage.googleapis.com"
DEFAULT_API_VERSION: Final = "v1beta"
API_KEY_ENV_VARS: Final = ("GOOGLE_API_KEY", "GEMINI_API_KEY")
BASE_URL_ENV_VAR: Final = "RAGKIT_BASE_URL"

log = logging.getLogger("ragkit.client")

HttpMethod = Literal["GET", "POST", "PATCH", "DELETE"]
QueryParams = Mapping[str, str | int | bool]


class UnexpectedResponseError(RagkitError):
    """A 2xx response whose body is not the JSON the method returns."""

    def __init__(self, message: str, *, response: httpx.Response) -> None:
        super().__init__(message)
        self.response = response


@dataclass(frozen=True)
class APICall(Generic[T]):
    """One API method invocation, fully described before any I/O.

    ``path`` is relative to the version root (``"corpora/x:query"``); ``parse``
    turns the decoded JSON body into the method's return value.
    """

    method: HttpMethod
    path: str
    parse: Callable[[Any], T]
    safety: RetrySafety
    params: QueryParams = field(default_factory=dict)
    body: Mapping[str, Any] | None = None
    generation: bool = False
    """A generation call: the longer default timeout applies."""

    def with_params(self, **params: str | int | bool | None) -> APICall[T]:
        """A copy with extra query parameters; ``None`` values are dropped."""
        merged = {**self.params, **{k: v for k, v in params.items() if v is not None}}
        return replace(self, params=merged)


@dataclass(frozen=True)
class Backend:
    """Where requests go and how they authenticate."""

    base_url: str
    auth: httpx.Auth | None
    inprocess: bool


def resolve_backend(
    *,
    base_url: str | None,
    api_key: str | None,
    access_token: str | TokenProvider | None,
    user_project: str | None,
    api_version: str,
    has_transport: bool,
    environ: Mapping[str, str] = os.environ,
) -> Backend:
    """Pick the backend from arguments, then the environment, then the default.

    Order: ``base_url`` argument > ``RAGKIT_BASE_URL``; key argument >
    ``GOOGLE_API_KEY`` > ``GEMINI_API_KEY``. With no URL, no credentials and no
    transport the in-process engine is used; with credentials or a transport but
    no URL, Google's host.
    """
    if api_key and access_token:
        raise ValueError("pass either api_key or access_token, not both")
    url = base_url or environ.get(BASE_URL_ENV_VAR) or None
    key = api_key or next((environ[n] for n in API_KEY_ENV_VARS if environ.get(n)), None)
    auth: httpx.Auth | None = None
    if access_token:
        auth = BearerTokenAuth(access_token, user_project=user_project)
    elif key:
        auth = ApiKeyAuth(key, user_project=user_project)
    if url is None and auth is None and not has_transport:
        return Backend(base_url="", auth=None, inprocess=True)
    return Backend(
        base_url=_normalise_base_url(url or GOOGLE_BASE_URL, api_version),
        auth=auth,
        inprocess=False,
    )


def _normalise_base_url(url: str, api_version: str) -> str:
    # The base URL is the host root; forgive a copied ".../v1beta" suffix.
    url = url.rstrip("/")
    return url.removesuffix(f"/{api_version}")


def _is_hard_quota(error: RagkitAPIError) -> bool:
    # Google's rate limits say when to come back (RetryInfo). A QuotaFailure with no
    # delay is a count limit (corpora per project, documents per corpus): waiting a few
    # seconds cannot lift it, so it is raised at once instead of retried.
    return (
        error.status_code == 429
        and error.retry_after is None
        and error.detail(QuotaFailure) is not None
    )


def _as_timeout(value: TimeoutTypes) -> httpx.Timeout:
    return value if isinstance(value, httpx.Timeout) else httpx.Timeout(value)


class BaseClient:
    """Configuration and request logic common to ``Client`` and ``AsyncClient``."""

    # cached_property resources; a copy made by with_options must rebuild them.
    _resource_names: tuple[str, ...] = ("corpora", "models")

    def __init__(
        self,
        *,
        base_url: str | None,
        api_key: str | None,
        access_token: str | TokenProvider | None,
        user_project: str | None,
        api_version: str,
        timeout: TimeoutTypes | NotGiven,
        max_retries: int,
        retry_policy: RetryPolicy,
        default_headers: Mapping[str, str] | None,
        has_transport: bool,
    ) -> None:
        if max_retries < 0:
            raise ValueError(f"max_retries must be >= 0, got {max_retries}")
        self._api_version = api_version.strip("/")
        self._backend = resolve_backend(
            base_url=base_url,
            api_key=api_key,
            access_token=access_token,
            user_project=user_project,
            api_version=self._api_version,
            has_transport=has_transport,
        )
        self._timeout = timeout
        self._max_retries = max_retries
        self._retry_policy = retry_policy
        self._headers = {"User-Agent": f"ragkit/{__version__} httpx/{httpx.__version__}"}
        self._headers.update(default_headers or {})
        self._owns_http = True

    def _use_inprocess_base_url(self, url: str) -> None:
        self._backend = replace(self._backend, base_url=url)

    @property
    def base_url(self) -> str:
        """The host root requests go to (without the ``/v1beta`` part)."""
        return self._backend.base_url

    @property
    def api_version(self) -> str:
        """The API version segment, ``"v1beta"`` by default."""
        return self._api_version

    @property
    def is_inprocess(self) -> bool:
        """True when talking to the local engine inside this process."""
        return self._backend.inprocess

    @property
    def max_retries(self) -> int:
        """Retries after the first attempt (0 disables retrying)."""
        return self._max_retries

    @property
    def retry_policy(self) -> RetryPolicy:
        """The backoff shape used between retries."""
        return self._retry_policy

    def _copy_with(
        self,
        *,
        max_retries: int | NotGiven,
        timeout: TimeoutTypes | NotGiven,
        retry_policy: RetryPolicy | NotGiven,
    ) -> Any:
        clone = copy.copy(self)
        for name in self._resource_names:
            clone.__dict__.pop(name, None)
        if not isinstance(max_retries, NotGiven):
            if max_retries < 0:
                raise ValueError(f"max_retries must be >= 0, got {max_retries}")
            clone._max_retries = max_retries
        if not isinstance(timeout, NotGiven):
            clone._timeout = timeout
        if not isinstance(retry_policy, NotGiven):
            clone._retry_policy = retry_policy
        # The copy shares the connection pool; only the original may close it.
        clone._owns_http = False
        return clone

    # -- request building -------------------------------------------------

    def _url(self, path: str) -> str:
        return f"{self._backend.base_url}/{self._api_version}/{path}"

    def _timeout_for(self, call: APICall[Any]) -> httpx.Timeout:
        if isinstance(self._timeout, NotGiven):
            return GENERATION_TIMEOUT if call.generation else DEFAULT_TIMEOUT
        return _as_timeout(self._timeout)

    def _build_request(
        self, http: httpx.Client | httpx.AsyncClient, call: APICall[Any]
    ) -> httpx.Request:
        return http.build_request(
            call.method,
            self._url(call.path),
            params=dict(call.params) or None,
            json=dict(call.body) if call.body is not None else None,
            headers=self._headers,
            timeout=self._timeout_for(call),
        )

    # -- responses --------------------------------------------------------

    @staticmethod
    def _parse_success(call: APICall[T], response: httpx.Response) -> T:
        try:
            data = json.loads(response.content) if response.content.strip() else {}
        except ValueError as exc:
            raise UnexpectedResponseError(
                f"{call.method} {call.path}: the response is not JSON", response=response
            ) from exc
        try:
            return call.parse(data)
        except ValueError as exc:  # pydantic.ValidationError is a ValueError
            raise UnexpectedResponseError(
                f"{call.method} {call.path}: unexpected response body: {exc}", response=response
            ) from exc

    @staticmethod
    def _error_for(response: httpx.Response, retries_taken: int) -> RagkitAPIError:
        error = error_from_response(
            response, retry_after=parse_retry_after(response.headers.get("retry-after"))
        )
        error.retries_taken = retries_taken
        return error

    @staticmethod
    def _connection_error(
        exc: httpx.TransportError, request: httpx.Request, retries_taken: int
    ) -> APIConnectionError:
        cls = APITimeoutError if isinstance(exc, httpx.TimeoutException) else APIConnectionError
        error = cls(f"{type(exc).__name__}: {exc}", request=request)
        error.retries_taken = retries_taken
        return error

    # -- retry decisions ----------------------------------------------------

    def _delay_after_error(
        self, call: APICall[Any], error: RagkitAPIError, retries_taken: int
    ) -> float | None:
        """Seconds to wait before retrying after an error status, or ``None`` to raise."""
        if retries_taken >= self._max_retries:
            return None
        if not self._retry_policy.should_retry_status(error.status_code, call.safety):
            return None
        if _is_hard_quota(error):
            return None
        delay = self._retry_policy.delay(retries_taken, retry_after=error.retry_after)
        return self._log_retry(call, str(error.status_code), retries_taken, delay)

    def _delay_after_exception(
        self, call: APICall[Any], exc: httpx.TransportError, retries_taken: int
    ) -> float | None:
        """Seconds to wait before retrying after a transport failure, or ``None`` to raise."""
        if retries_taken >= self._max_retries:
            return None
        if not self._retry_policy.should_retry_exception(exc, call.safety):
            return None
        delay = self._retry_policy.backoff(retries_taken)
        return self._log_retry(call, type(exc).__name__, retries_taken, delay)

    def _log_retry(
        self, call: APICall[Any], outcome: str, retries_taken: int, delay: float | None
    ) -> float | None:
        if delay is not None:
            where = f"{call.method} {call.path}"
            attempt = f"{retries_taken + 1}/{self._max_retries}"
            log.info("%s -> %s; retry %s in %.2fs", where, outcome, attempt, delay)
        return delay


DEFAULT_RETRY_POLICY: Final = RetryPolicy()
