"""The route table: every REST method the engine serves, in Google's URL-template syntax.

The app dispatches with it and ``/openapi.json`` is generated from it, so the two
cannot drift. Templates are gRPC-transcoding paths as in the reference
(``/v1beta/{name=corpora/*}:query``): ``{field=pattern}`` binds one request field,
``*`` matches one path segment, ``:verb`` is a custom method.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from pydantic import BaseModel

from ragkit.engine.handlers import answer as answer_handlers
from ragkit.engine.handlers import chunks, corpora, documents, models, permissions, query
from ragkit.types import (
    BatchCreateChunksRequest,
    BatchCreateChunksResponse,
    BatchDeleteChunksRequest,
    BatchEmbedContentsRequest,
    BatchEmbedContentsResponse,
    BatchUpdateChunksRequest,
    BatchUpdateChunksResponse,
    Chunk,
    Corpus,
    CountTokensRequest,
    CountTokensResponse,
    CreateChunkRequest,
    CreateCorpusRequest,
    CreateDocumentRequest,
    CreatePermissionRequest,
    DeleteChunkRequest,
    DeleteCorpusRequest,
    DeleteDocumentRequest,
    DeletePermissionRequest,
    Document,
    EmbedContentRequest,
    EmbedContentResponse,
    GenerateAnswerRequest,
    GenerateAnswerResponse,
    GetChunkRequest,
    GetCorpusRequest,
    GetDocumentRequest,
    GetModelRequest,
    GetPermissionRequest,
    ListChunksRequest,
    ListChunksResponse,
    ListCorporaRequest,
    ListCorporaResponse,
    ListDocumentsRequest,
    ListDocumentsResponse,
    ListModelsRequest,
    ListModelsResponse,
    ListPermissionsRequest,
    ListPermissionsResponse,
    Model,
    Permission,
    QueryCorpusRequest,
    QueryCorpusResponse,
    QueryDocumentRequest,
    QueryDocumentResponse,
    UpdateChunkRequest,
    UpdateCorpusRequest,
    UpdateDocumentRequest,
    UpdatePermissionRequest,
    WireModel,
)

Handler = Callable[..., BaseModel | None]

_BINDING = re.compile(r"\{([a-z_.]+)(?:=([^}]+))?\}")
_SEGMENT = "[^/:]+"  # a name segment; IDs are validated by the handler (400, not 404)

PAGING = ("pageSize", "pageToken")


@dataclass(frozen=True)
class Route:
    """One REST method: HTTP verb, URL template, messages and handler."""

    operation: str  # Google's method id, e.g. "corpora.documents.query"
    method: str
    template: str
    request: type[WireModel]
    response: type[WireModel] | None  # None: google.protobuf.Empty ({})
    handler: Handler
    body: str | None = None  # None: no body; "*": the whole request; else the field name
    query: tuple[str, ...] = field(default=())  # query-string fields (camelCase)

    @cached_property
    def bindings(self) -> list[tuple[str, str]]:
        """``(request field path, segment pattern)`` of every ``{...}`` in the template."""
        return [(m.group(1), m.group(2) or "*") for m in _BINDING.finditer(self.template)]

    @cached_property
    def regex(self) -> re.Pattern[str]:
        pattern, last = "", 0
        for index, match in enumerate(_BINDING.finditer(self.template)):
            pattern += re.escape(self.template[last : match.start()])
            inner = re.escape(match.group(2) or "*").replace(r"\*", _SEGMENT)
            pattern += f"(?P<b{index}>{inner})"
            last = match.end()
        pattern += re.escape(self.template[last:])
        return re.compile(f"^{pattern}$")

    def match(self, path: str) -> dict[str, str] | None:
        """Bound field values when ``path`` fits this route's template."""
        found = self.regex.match(path)
        if found is None:
            return None
        return {name: found.group(f"b{i}") for i, (name, _) in enumerate(self.bindings)}

    @cached_property
    def openapi_path(self) -> str:
        """The template with one ``{param}`` per ``*`` segment (OpenAPI has no patterns)."""

        def expand(match: re.Match[str]) -> str:
            pattern = match.group(2) or "*"
            parts = pattern.split("/")
            out = []
            for i, part in enumerate(parts):
                if part == "*":
                    # Name each wildcard after the collection before it: corpora/* -> {corpus}.
                    out.append("{" + _singular(parts[i - 1] if i else match.group(1)) + "}")
                else:
                    out.append(part)
            return "/".join(out)

        return _BINDING.sub(expand, self.template)


def _singular(collection: str) -> str:
    return {
        "corpora": "corpus",
        "documents": "document",
        "chunks": "chunk",
        "permissions": "permission",
        "models": "model",
    }.get(collection, collection.rstrip("s"))


V = "/v1beta"

ROUTES: tuple[Route, ...] = (
    # corpora (§8)
    Route("corpora.create", "POST", f"{V}/corpora", CreateCorpusRequest, Corpus,
          corpora.create, body="corpus"),
    Route("corpora.list", "GET", f"{V}/corpora", ListCorporaRequest, ListCorporaResponse,
          corpora.list_, query=PAGING),
    Route("corpora.get", "GET", f"{V}/{{name=corpora/*}}", GetCorpusRequest, Corpus,
          corpora.get),
    Route("corpora.patch", "PATCH", f"{V}/{{corpus.name=corpora/*}}", UpdateCorpusRequest,
          Corpus, corpora.update, body="corpus", query=("updateMask",)),
    Route("corpora.delete", "DELETE", f"{V}/{{name=corpora/*}}", DeleteCorpusRequest, None,
          corpora.delete, query=("force",)),
    Route("corpora.query", "POST", f"{V}/{{name=corpora/*}}:query", QueryCorpusRequest,
          QueryCorpusResponse, query.query_corpus, body="*"),
    # documents (§9)
    Route("corpora.documents.create", "POST", f"{V}/{{parent=corpora/*}}/documents",
          CreateDocumentRequest, Document, documents.create, body="document"),
    Route("corpora.documents.list", "GET", f"{V}/{{parent=corpora/*}}/documents",
          ListDocumentsRequest, ListDocumentsResponse, documents.list_, query=PAGING),
    Route("corpora.documents.get", "GET", f"{V}/{{name=corpora/*/documents/*}}",
          GetDocumentRequest, Document, documents.get),
    Route("corpora.documents.patch", "PATCH", f"{V}/{{document.name=corpora/*/documents/*}}",
          UpdateDocumentRequest, Document, documents.update, body="document",
          query=("updateMask",)),
    Route("corpora.documents.delete", "DELETE", f"{V}/{{name=corpora/*/documents/*}}",
          DeleteDocumentRequest, None, documents.delete, query=("force",)),
    Route("corpora.documents.query", "POST", f"{V}/{{name=corpora/*/documents/*}}:query",
          QueryDocumentRequest, QueryDocumentResponse, query.query_document, body="*"),
    # chunks (§10)
    Route("corpora.documents.chunks.create", "POST",
          f"{V}/{{parent=corpora/*/documents/*}}/chunks", CreateChunkRequest, Chunk,
          chunks.create, body="chunk"),
    Route("corpora.documents.chunks.batchCreate", "POST",
          f"{V}/{{parent=corpora/*/documents/*}}/chunks:batchCreate", BatchCreateChunksRequest,
          BatchCreateChunksResponse, chunks.batch_create, body="*"),
    Route("corpora.documents.chunks.list", "GET",
          f"{V}/{{parent=corpora/*/documents/*}}/chunks", ListChunksRequest, ListChunksResponse,
          chunks.list_, query=PAGING),
    Route("corpora.documents.chunks.get", "GET", f"{V}/{{name=corpora/*/documents/*/chunks/*}}",
          GetChunkRequest, Chunk, chunks.get),
    Route("corpora.documents.chunks.patch", "PATCH",
          f"{V}/{{chunk.name=corpora/*/documents/*/chunks/*}}", UpdateChunkRequest, Chunk,
          chunks.update, body="chunk", query=("updateMask",)),
    Route("corpora.documents.chunks.batchUpdate", "POST",
          f"{V}/{{parent=corpora/*/documents/*}}/chunks:batchUpdate", BatchUpdateChunksRequest,
          BatchUpdateChunksResponse, chunks.batch_update, body="*"),
    Route("corpora.documents.chunks.delete", "DELETE",
          f"{V}/{{name=corpora/*/documents/*/chunks/*}}", DeleteChunkRequest, None,
          chunks.delete),
    Route("corpora.documents.chunks.batchDelete", "POST",
          f"{V}/{{parent=corpora/*/documents/*}}/chunks:batchDelete", BatchDeleteChunksRequest,
          None, chunks.batch_delete, body="*"),
    # permissions (§11)
    Route("corpora.permissions.create", "POST", f"{V}/{{parent=corpora/*}}/permissions",
          CreatePermissionRequest, Permission, permissions.create, body="permission"),
    Route("corpora.permissions.list", "GET", f"{V}/{{parent=corpora/*}}/permissions",
          ListPermissionsRequest, ListPermissionsResponse, permissions.list_, query=PAGING),
    Route("corpora.permissions.get", "GET", f"{V}/{{name=corpora/*/permissions/*}}",
          GetPermissionRequest, Permission, permissions.get),
    Route("corpora.permissions.patch", "PATCH",
          f"{V}/{{permission.name=corpora/*/permissions/*}}", UpdatePermissionRequest,
          Permission, permissions.update, body="permission", query=("updateMask",)),
    Route("corpora.permissions.delete", "DELETE", f"{V}/{{name=corpora/*/permissions/*}}",
          DeletePermissionRequest, None, permissions.delete),
    # models (§12, §13)
    Route("models.generateAnswer", "POST", f"{V}/{{model=models/*}}:generateAnswer",
          GenerateAnswerRequest, GenerateAnswerResponse, answer_handlers.generate_answer,
          body="*"),
    Route("models.embedContent", "POST", f"{V}/{{model=models/*}}:embedContent",
          EmbedContentRequest, EmbedContentResponse, models.embed_content, body="*"),
    Route("models.batchEmbedContents", "POST", f"{V}/{{model=models/*}}:batchEmbedContents",
          BatchEmbedContentsRequest, BatchEmbedContentsResponse, models.batch_embed_contents,
          body="*"),
    Route("models.countTokens", "POST", f"{V}/{{model=models/*}}:countTokens",
          CountTokensRequest, CountTokensResponse, models.count_tokens_, body="*"),
    Route("models.get", "GET", f"{V}/{{name=models/*}}", GetModelRequest, Model, models.get),
    Route("models.list", "GET", f"{V}/models", ListModelsRequest, ListModelsResponse,
          models.list_, query=PAGING),
)  # fmt: skip


def find(method: str, path: str) -> tuple[Route, dict[str, str]] | tuple[None, bool]:
    """The route for a request and its bound values; else ``(None, path_known)``."""
    path_known = False
    for route in ROUTES:
        bound = route.match(path)
        if bound is None:
            continue
        if route.method == method:
            return route, bound
        path_known = True
    return None, path_known


def set_path(data: dict[str, Any], dotted: str, value: str) -> None:
    """Set ``data["a"]["b"] = value`` for ``dotted == "a.b"`` (creating objects on the way)."""
    *parents, last = dotted.split(".")
    target = data
    for part in parents:
        child = target.setdefault(part, {})
        if not isinstance(child, dict):
            raise TypeError(part)
        target = child
    target[last] = value
