"""The engine's ASGI app: Google's REST surface over the route table, errors as Google's JSON.

Every response body is JSON. Errors of every kind (unknown path, bad JSON, a
validation failure, a handler's :class:`ApiError`, an unexpected exception) come
back as ``{"error": {"code", "message", "status", "details"}}``; an unexpected
exception is logged and reported as 500 INTERNAL. Handlers block (SQLite,
embedding), so they run on worker threads and never stall the event loop.

>>> from ragkit.engine.settings import EngineSettings
>>> app = create_app(EngineSettings(home=__import__("pathlib").Path("/tmp/ragkit-doc")))
"""

from __future__ import annotations

import json
import logging
from typing import Any

import anyio.to_thread
from pydantic import BaseModel
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route as StarletteRoute

from ragkit.engine import principal, retrieval, routes
from ragkit.engine.engine import get_engine
from ragkit.engine.errors import ApiError, internal, invalid_argument, not_found
from ragkit.engine.openapi import openapi_document
from ragkit.engine.settings import EngineSettings
from ragkit.types import RequestError, parse_request, to_wire

log = logging.getLogger("ragkit.engine")

# Standard system parameters Google accepts on every method (reference §2); ignored here
# except for the credentials (read by ragkit.engine.principal) and prettyPrint.
SYSTEM_PARAMETERS = frozenset(
    {
        "key",
        "access_token",
        "oauth_token",
        "alt",
        "fields",
        "prettyPrint",
        "quotaUser",
        "$.xgafv",
        "callback",
        "upload_protocol",
        "uploadType",
    }
)
_METHODS = ["GET", "POST", "PATCH", "DELETE", "PUT", "HEAD", "OPTIONS"]


def json_response(body: dict[str, Any], status: int = 200, *, pretty: bool = True) -> Response:
    # Google pretty-prints by default; ?prettyPrint=false gives compact JSON.
    text = json.dumps(body, ensure_ascii=False, indent=2 if pretty else None)
    return Response(text, status_code=status, media_type="application/json; charset=UTF-8")


def error_response(error: ApiError, *, pretty: bool = True) -> Response:
    return json_response(error.to_json(), error.http_status, pretty=pretty)


def _snake_to_camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(word[:1].upper() + word[1:] for word in rest)


async def _request_data(request: Request, route: routes.Route, bound: dict[str, str]) -> Any:
    """The request message as JSON: body, URL bindings and query parameters merged."""
    data: dict[str, Any] = {}
    if route.body is not None:
        raw = await request.body()
        try:
            body = json.loads(raw) if raw.strip() else {}
        except ValueError as exc:
            raise invalid_argument(f"Invalid JSON payload received. {exc}.") from None
        if not isinstance(body, dict):
            raise invalid_argument("Invalid JSON payload received. Expected an object.")
        data = body if route.body == "*" else {route.body: body}
    for dotted, value in bound.items():
        existing: Any = data
        for part in dotted.split("."):
            existing = existing.get(part) if isinstance(existing, dict) else None
        if existing not in (None, value):
            raise invalid_argument(
                f"{dotted} in the body ({existing!r}) does not match the URL ({value!r})",
                [(dotted, "must match the resource name in the URL")],
            )
        try:
            routes.set_path(data, dotted, value)
        except TypeError:
            raise invalid_argument(f"Invalid JSON payload received at '{dotted}'.") from None
    for raw_name in request.query_params:
        if raw_name in SYSTEM_PARAMETERS:
            continue
        name = _snake_to_camel(raw_name)
        if name not in route.query:
            raise invalid_argument(
                f'Invalid JSON payload received. Unknown name "{raw_name}": Cannot bind query '
                f"parameter. Field '{raw_name}' could not be found in request message.",
                [("", f"unknown query parameter {raw_name!r}")],
            )
        values = request.query_params.getlist(raw_name)
        data[name] = ",".join(values) if name == "updateMask" else values[-1]
    return data


def _retrieval_mode(request: Request) -> retrieval.RetrievalMode | None:
    value = request.headers.get(retrieval.RETRIEVAL_HEADER)
    if value is None:
        return None
    mode = value.strip().lower()
    if mode not in retrieval.RETRIEVAL_MODES:
        raise invalid_argument(
            f"{retrieval.RETRIEVAL_HEADER} must be one of {', '.join(retrieval.RETRIEVAL_MODES)}"
            f", not {value!r}",
            [(retrieval.RETRIEVAL_HEADER, "unknown retrieval mode")],
        )
    return mode  # type: ignore[return-value]


def create_app(settings: EngineSettings | None = None) -> Starlette:
    """The ASGI app serving the local engine for ``settings`` (default: from the env).

    Mount it in any ASGI server, or call it in-process through httpx::

        transport = httpx.ASGITransport(app=create_app())
        async with httpx.AsyncClient(transport=transport, base_url="http://x") as client:
            (await client.get("/v1beta/models/aqa")).json()["name"]  # 'models/aqa'
    """
    engine = get_engine(settings)

    async def dispatch(request: Request) -> Response:
        pretty = request.query_params.get("prettyPrint", "true").lower() != "false"
        try:
            route, bound = routes.find(request.method, request.url.path)
            if route is None:
                raise not_found(
                    f"Method not found: {request.method} {request.url.path}"
                    if bound
                    else f"The requested URL {request.url.path} was not found on this server."
                )
            assert isinstance(bound, dict)
            who = principal.from_request(request.headers, request.query_params)
            data = await _request_data(request, route, bound)
            try:
                message = parse_request(route.request, data, field="")
            except RequestError as exc:
                raise invalid_argument(
                    exc.message, [(v.field, v.description) for v in exc.violations]
                ) from None
            mode = _retrieval_mode(request)
            token = retrieval.retrieval_mode.set(mode or "hybrid")
            try:
                # anyio copies the context into the worker thread, mode included.
                result = await anyio.to_thread.run_sync(route.handler, engine, who, message)
            finally:
                retrieval.retrieval_mode.reset(token)
            body = to_wire(result, omit_defaults=True) if isinstance(result, BaseModel) else {}
            response = json_response(body, pretty=pretty)
            if mode is not None:
                response.headers[retrieval.RETRIEVAL_HEADER] = mode
            return response
        except ApiError as exc:
            return error_response(exc, pretty=pretty)
        except Exception:
            log.exception("unexpected error serving %s %s", request.method, request.url.path)
            return error_response(internal(), pretty=pretty)

    async def openapi(request: Request) -> Response:
        return json_response(openapi_document())

    app = Starlette(
        routes=[
            StarletteRoute("/openapi.json", openapi, methods=["GET"]),
            StarletteRoute("/{path:path}", dispatch, methods=_METHODS),
        ]
    )
    app.state.engine = engine
    return app
