from __future__ import annotations

import httpx
import jsonschema

from ragkit.engine.routes import ROUTES
from tests.engine.conftest import ok


def test_openapi_lists_every_route_with_its_schemas(client: httpx.Client) -> None:
    document = ok(client.get("/openapi.json"))
    assert document["openapi"].startswith("3.1")
    operations = {
        op["operationId"]: (method.upper(), path)
        for path, item in document["paths"].items()
        for method, op in item.items()
    }
    assert set(operations) == {route.operation for route in ROUTES}
    assert len(ROUTES) == 31
    assert operations["corpora.query"] == ("POST", "/v1beta/corpora/{corpus}:query")
    assert operations["corpora.documents.chunks.batchCreate"] == (
        "POST",
        "/v1beta/corpora/{corpus}/documents/{document}/chunks:batchCreate",
    )
    schemas = document["components"]["schemas"]
    for name in ("Corpus", "Chunk", "GenerateAnswerRequest", "QueryCorpusResponse", "ErrorBody"):
        assert name in schemas
    patch = document["paths"]["/v1beta/corpora/{corpus}"]["patch"]
    assert [p["name"] for p in patch["parameters"]] == ["corpus", "updateMask"]
    assert patch["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("/Corpus")


def test_openapi_schemas_validate_real_responses(client: httpx.Client) -> None:
    document = ok(client.get("/openapi.json"))
    created = ok(client.post("/v1beta/corpora", json={"displayName": "Docs"}))
    schema = {"$ref": "#/components/schemas/Corpus", "components": document["components"]}
    jsonschema.validate(created, schema)
    failure = client.get("/v1beta/corpora/missing").json()
    jsonschema.validate(
        failure, {"$ref": "#/components/schemas/ErrorBody", "components": document["components"]}
    )
