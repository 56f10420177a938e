"""``/openapi.json``: an OpenAPI 3.1 document generated from the route table and the models.

Paths, operations, parameters and schemas all come from ``ragkit.engine.routes`` and
the pydantic wire models, so the document cannot drift from what the app serves.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from ragkit._version import __version__
from ragkit.engine.routes import ROUTES, Route
from ragkit.types import ErrorBody

_REF = "#/components/schemas/{model}"


def _body_model(route: Route) -> type[BaseModel] | None:
    if route.body is None:
        return None
    if route.body == "*":
        return route.request
    annotation = route.request.model_fields[route.body].annotation
    assert isinstance(annotation, type) and issubclass(annotation, BaseModel)
    return annotation


def _query_schema(route: Route, name: str) -> dict[str, Any]:
    if name == "updateMask":  # a FieldMask travels as one comma-separated string
        return {"type": "string", "description": "Comma-separated field paths to update."}
    properties = route.request.model_json_schema(by_alias=True, ref_template=_REF)["properties"]
    schema: dict[str, Any] = properties.get(name, {"type": "string"})
    return {key: value for key, value in schema.items() if key != "title"}


@cache
def openapi_document() -> dict[str, Any]:
    """The OpenAPI document of every route the engine serves (built once per process)."""
    models: set[type[BaseModel]] = {ErrorBody}
    for route in ROUTES:
        models.add(route.request)
        if route.response is not None:
            models.add(route.response)
        body = _body_model(route)
        if body is not None:
            models.add(body)
    ordered = sorted(models, key=lambda m: m.__name__)
    _, top = models_json_schema(
        [(model, "validation") for model in ordered], ref_template=_REF, by_alias=True
    )
    schemas: dict[str, Any] = dict(top.get("$defs", {}))
    paths: dict[str, dict[str, Any]] = {}
    for route in ROUTES:
        path = route.openapi_path
        params: list[dict[str, Any]] = [
            {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
            for name in _path_params(path)
        ]
        params += [
            {
                "name": name,
                "in": "query",
                "required": False,
                "schema": _query_schema(route, name),
            }
            for name in route.query
        ]
        operation: dict[str, Any] = {
            "operationId": route.operation,
            "summary": (route.request.__doc__ or "").strip().splitlines()[0],
            "parameters": params,
            "responses": {
                "200": {
                    "description": "Success (fields at their default value are omitted).",
                    "content": {"application/json": {"schema": _response_schema(route)}},
                },
                "default": {
                    "description": "Google's error envelope (google.rpc.Status).",
                    "content": {
                        "application/json": {"schema": {"$ref": _REF.format(model="ErrorBody")}}
                    },
                },
            },
        }
        body = _body_model(route)
        if body is not None:
            operation["requestBody"] = {
                "required": True,
                "content": {
                    "application/json": {"schema": {"$ref": _REF.format(model=body.__name__)}}
                },
            }
        paths.setdefault(path, {})[route.method.lower()] = operation
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "ragkit local engine (Google Semantic Retriever API, v1beta)",
            "version": __version__,
        },
        "paths": paths,
        "components": {"schemas": schemas},
    }


def _response_schema(route: Route) -> dict[str, Any]:
    if route.response is None:
        return {"type": "object", "description": "google.protobuf.Empty: always {}"}
    return {"$ref": _REF.format(model=route.response.__name__)}


def _path_params(path: str) -> list[str]:
    return re.findall(r"\{([^}]+)\}", path)
