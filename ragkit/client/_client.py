"""``Client`` and ``AsyncClient``: the I/O twins over ``BaseClient``.

Each twin sends a request, sleeps between retries and hands bytes to the shared
logic; nothing else differs between them.
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from functools import cached_property
from types import TracebackType
from typing import Any, Self, TypeVar

import anyio
import httpx

from ragkit.client._base import (
    DEFAULT_API_VERSION,
    DEFAULT_RETRY_POLICY,
    APICall,
    BaseClient,
)
from ragkit.client._errors import RagkitError
from ragkit.client._pagination import AsyncPager, HasNextPageToken, SyncPager
from ragkit.client._retry import DEFAULT_MAX_RETRIES, RetryPolicy
from ragkit.client._streaming import AsyncStream, Stream
from ragkit.client._types import NOT_GIVEN, NotGiven, TimeoutTypes
from ragkit.client.resources.corpora import AsyncCorpora, Corpora
from ragkit.client.resources.models import AsyncModels, Models

T = TypeVar("T")
ItemT = TypeVar("ItemT")
PageT = TypeVar("PageT", bound=HasNextPageToken)


def _inprocess_engine() -> Any:
    # Imported lazily: the engine pulls in SQLite, numpy and ONNX, which a client
    # pointed at Google never needs.
    try:
        return importlib.import_module("ragkit.engine.inprocess")
    except ImportError as exc:
        raise RagkitError(
            "No backend configured and the local engine (ragkit.engine.inprocess) is not "
            f"available ({exc}). Pass base_url= (e.g. a `ragkit serve` URL), or api_key= / "
            "access_token= for Google, or set RAGKIT_BASE_URL / GOOGLE_API_KEY."
        ) from exc


def _check_transport_args(transport: object, http_client: object) -> None:
    if transport is not None and http_client is not None:
        raise ValueError("pass either transport or http_client, not both")


def _hooks(
    event_hooks: Mapping[str, list[Callable[..., Any]]] | None,
) -> dict[str, list[Callable[..., Any]]]:
    # httpx's own event hooks ("request"/"response"), e.g. to read a response header the
    # typed methods do not surface. A caller-given http_client carries its own.
    return {name: list(hooks) for name, hooks in (event_hooks or {}).items()}


class Client(BaseClient):
    """Synchronous client for the Semantic Retriever API (Google's or ragkit's engine).

    With no arguments and no environment it talks to the local engine in this
    process; ``base_url`` points it at ``ragkit serve`` and ``api_key`` or
    ``access_token`` at Google. ``GOOGLE_API_KEY``/``GEMINI_API_KEY`` and
    ``RAGKIT_BASE_URL`` fill in what is not passed.

    >>> from ragkit.client import Client
    >>> with Client() as client:  # doctest: +SKIP
    ...     corpus = client.corpora.create(name="corpora/papers", display_name="Papers")
    ...     for doc in client.corpora.documents.list(corpus.name):
    ...         print(doc.name)

    ``transport`` or ``http_client`` replace the network (tests pass
    ``httpx.MockTransport``); a given ``http_client`` is not closed by ``close()``.
    ``event_hooks`` are httpx's request/response hooks for the client it creates.
    """

    # Replaced by tests to skip real waiting.
    _sleep: Callable[[float], None] = staticmethod(time.sleep)

    def __init__(
        self,
        *,
        base_url: str | None = None,
        api_key: str | None = None,
        access_token: str | Callable[[], str] | None = None,
        user_project: str | None = None,
        api_version: str = DEFAULT_API_VERSION,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int = DEFAULT_MAX_RETRIES,
        retry_policy: RetryPolicy = DEFAULT_RETRY_POLICY,
        default_headers: Mapping[str, str] | None = None,
        transport: httpx.BaseTransport | None = None,
        http_client: httpx.Client | None = None,
        event_hooks: Mapping[str, list[Callable[..., Any]]] | None = None,
    ) -> None:
        _check_transport_args(transport, http_client)
        super().__init__(
            base_url=base_url,
            api_key=api_key,
            access_token=access_token,
            user_project=user_project,
            api_version=api_version,
            timeout=timeout,
            max_retries=max_retries,
            retry_policy=retry_policy,
            default_headers=default_headers,
            has_transport=transport is not None or http_client is not None,
        )
        if http_client is not None:
            self._http = http_client
            self._owns_http = False
            return
        if self.is_inprocess:
            engine = _inprocess_engine()
            transport = engine.sync_transport()
            self._use_inprocess_base_url(engine.INPROCESS_BASE_URL)
        self._http = httpx.Client(transport=transport, event_hooks=_hooks(event_hooks))

    @cached_property
    def corpora(self) -> Corpora:
        """Corpora, and through them documents, chunks and permissions."""
        return Corpora(self)

    @cached_property
    def models(self) -> Models:
        """Models: generateAnswer, embeddings, countTokens, generateContent."""
        return Models(self)

    def with_options(
        self,
        *,
        max_retries: int | NotGiven = NOT_GIVEN,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        retry_policy: RetryPolicy | NotGiven = NOT_GIVEN,
    ) -> Client:
        """A client sharing this one's connections with some options changed.

        >>> client.with_options(max_retries=0).corpora.get("corpora/docs")  # doctest: +SKIP
        """
        clone: Client = self._copy_with(
            max_retries=max_retries, timeout=timeout, retry_policy=retry_policy
        )
        return clone

    def close(self) -> None:
        """Close the connection pool (unless it belongs to a caller-given ``http_client``)."""
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- I/O ---------------------------------------------------------------

    def _send(self, call: APICall[Any], *, stream: bool = False) -> httpx.Response:
        retries_taken = 0
        while True:
            request = self._build_request(self._http, call)
            try:
                response = self._http.send(request, auth=self._backend.auth, stream=stream)
            except httpx.TransportError as exc:
                delay = self._delay_after_exception(call, exc, retries_taken)
                if delay is None:
                    raise self._connection_error(exc, request, retries_taken) from exc
            else:
                if response.is_success:
                    return response
                response.read()
                response.close()
                error = self._error_for(response, retries_taken)
                delay = self._delay_after_error(call, error, retries_taken)
                if delay is None:
                    raise error
            self._sleep(delay)
            retries_taken += 1

    def _request(self, call: APICall[T]) -> T:
        return self._parse_success(call, self._send(call))

    def _stream(self, call: APICall[T]) -> Stream[T]:
        return Stream(self._send(call, stream=True), call.parse)

    def _paged(
        self, call: APICall[PageT], items: Callable[[PageT], Sequence[ItemT]]
    ) -> SyncPager[ItemT, PageT]:
        return SyncPager(lambda token: self._request(call.with_params(pageToken=token)), items)


class AsyncClient(BaseClient):
    """The asynchronous twin of ``Client``: the same arguments and resources, awaited.

    >>> async with AsyncClient() as client:  # doctest: +SKIP
    ...     async for corpus in client.corpora.list():
    ...         print(corpus.name)
    """

    _sleep: Callable[[float], Awaitable[None]] = staticmethod(anyio.sleep)

    def __init__(
        self,
        *,
        base_url: str | None = None,
        api_key: str | None = None,
        access_token: str | Callable[[], str] | None = None,
        user_project: str | None = None,
        api_version: str = DEFAULT_API_VERSION,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int = DEFAULT_MAX_RETRIES,
        retry_policy: RetryPolicy = DEFAULT_RETRY_POLICY,
        default_headers: Mapping[str, str] | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        http_client: httpx.AsyncClient | None = None,
        event_hooks: Mapping[str, list[Callable[..., Any]]] | None = None,
    ) -> None:
        _check_transport_args(transport, http_client)
        super().__init__(
            base_url=base_url,
            api_key=api_key,
            access_token=access_token,
            user_project=user_project,
            api_version=api_version,
            timeout=timeout,
            max_retries=max_retries,
            retry_policy=retry_policy,
            default_headers=default_headers,
            has_transport=transport is not None or http_client is not None,
        )
        if http_client is not None:
            self._http = http_client
            self._owns_http = False
            return
        if self.is_inprocess:
            engine = _inprocess_engine()
            transport = engine.async_transport()
            self._use_inprocess_base_url(engine.INPROCESS_BASE_URL)
        self._http = httpx.AsyncClient(transport=transport, event_hooks=_hooks(event_hooks))

    @cached_property
    def corpora(self) -> AsyncCorpora:
        """Corpora, and through them documents, chunks and permissions."""
        return AsyncCorpora(self)

    @cached_property
    def models(self) -> AsyncModels:
        """Models: generateAnswer, embeddings, countTokens, generateContent."""
        return AsyncModels(self)

    def with_options(
        self,
        *,
        max_retries: int | NotGiven = NOT_GIVEN,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        retry_policy: RetryPolicy | NotGiven = NOT_GIVEN,
    ) -> AsyncClient:
        """A client sharing this one's connections with some options changed."""
        clone: AsyncClient = self._copy_with(
            max_retries=max_retries, timeout=timeout, retry_policy=retry_policy
        )
        return clone

    async def close(self) -> None:
        """Close the connection pool (unless it belongs to a caller-given ``http_client``)."""
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    # -- I/O ---------------------------------------------------------------

    async def _send(self, call: APICall[Any], *, stream: bool = False) -> httpx.Response:
        retries_taken = 0
        while True:
            request = self._build_request(self._http, call)
            try:
                response = await self._http.send(request, auth=self._backend.auth, stream=stream)
            except httpx.TransportError as exc:
                delay = self._delay_after_exception(call, exc, retries_taken)
                if delay is None:
                    raise self._connection_error(exc, request, retries_taken) from exc
            else:
                if response.is_success:
                    return response
                await response.aread()
                await response.aclose()
                error = self._error_for(response, retries_taken)
                delay = self._delay_after_error(call, error, retries_taken)
                if delay is None:
                    raise error
            await self._sleep(delay)
            retries_taken += 1

    async def _request(self, call: APICall[T]) -> T:
        return self._parse_success(call, await self._send(call))

    async def _stream(self, call: APICall[T]) -> AsyncStream[T]:
        return AsyncStream(await self._send(call, stream=True), call.parse)

    def _paged(
        self, call: APICall[PageT], items: Callable[[PageT], Sequence[ItemT]]
    ) -> AsyncPager[ItemT, PageT]:
        return AsyncPager(lambda token: self._request(call.with_params(pageToken=token)), items)
