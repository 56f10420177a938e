from __future__ import annotations

import httpx
import numpy as np
import pytest

from ragkit.tokens import count_tokens
from tests.engine.conftest import V, error, ok

EMBED = "models/local-test-hash"  # the test embedder's served name


def _embed_body(text: str, **extra: object) -> dict[str, object]:
    return {"content": {"parts": [{"text": text}]}, **extra}


def test_models_list_and_get(client: httpx.Client) -> None:
    listed = ok(client.get(f"{V}/models"))
    names = [m["name"] for m in listed["models"]]
    assert names == ["models/aqa", EMBED]
    aqa = ok(client.get(f"{V}/models/aqa"))
    assert aqa["inputTokenLimit"] == 7168 and aqa["outputTokenLimit"] == 1024
    assert aqa["supportedGenerationMethods"] == ["generateAnswer"]
    assert aqa["version"] == "001" and aqa["temperature"] == 0.2 and aqa["topK"] == 40
    error(client.get(f"{V}/models/gemini-1.5-flash"), 404, "NOT_FOUND")
    one = ok(client.get(f"{V}/models", params={"pageSize": 1}))
    rest = ok(client.get(f"{V}/models", params={"pageToken": one["nextPageToken"]}))
    assert [m["name"] for m in one["models"] + rest["models"]] == names


def test_embed_content_is_unit_length_and_task_aware(client: httpx.Client) -> None:
    vector = ok(client.post(f"{V}/{EMBED}:embedContent", json=_embed_body("rotate keys")))
    values = np.array(vector["embedding"]["values"])
    assert values.shape == (64,) and abs(np.linalg.norm(values) - 1) < 1e-5
    short = ok(
        client.post(
            f"{V}/{EMBED}:embedContent", json=_embed_body("rotate keys", outputDimensionality=8)
        )
    )
    assert len(short["embedding"]["values"]) == 8
    error(
        client.post(f"{V}/{EMBED}:embedContent", json=_embed_body("x", outputDimensionality=65)),
        400,
        "INVALID_ARGUMENT",
    )
    error(
        client.post(f"{V}/{EMBED}:embedContent", json=_embed_body("x", title="T")),
        400,
        "INVALID_ARGUMENT",
    )
    ok(
        client.post(
            f"{V}/{EMBED}:embedContent",
            json=_embed_body("x", title="T", taskType="RETRIEVAL_DOCUMENT"),
        )
    )


@pytest.mark.parametrize("model", ["models/aqa", "models/gemini-embedding-001", "models/nope"])
def test_embed_content_on_other_models_is_404(client: httpx.Client, model: str) -> None:
    error(client.post(f"{V}/{model}:embedContent", json=_embed_body("x")), 404, "NOT_FOUND")


def test_batch_embed_contents(client: httpx.Client) -> None:
    requests = [{"model": EMBED, **_embed_body(f"text {i}")} for i in range(100)]
    body = ok(client.post(f"{V}/{EMBED}:batchEmbedContents", json={"requests": requests}))
    assert len(body["embeddings"]) == 100
    single = ok(client.post(f"{V}/{EMBED}:embedContent", json=_embed_body("text 7")))
    assert body["embeddings"][7] == single["embedding"]
    over = error(
        client.post(f"{V}/{EMBED}:batchEmbedContents", json={"requests": [*requests, requests[0]]}),
        400,
        "INVALID_ARGUMENT",
    )
    assert "at most 100 requests can be in one batch" in over["message"]
    error(
        client.post(
            f"{V}/{EMBED}:batchEmbedContents",
            json={"requests": [{"model": "models/other", **_embed_body("x")}]},
        ),
        400,
        "INVALID_ARGUMENT",
    )


def test_count_tokens_uses_the_offline_encoding(client: httpx.Client) -> None:
    text = "Rotate keys every 90 days."
    body = ok(
        client.post(
            f"{V}/{EMBED}:countTokens",
            json={"contents": [{"parts": [{"text": text}, {"text": text}]}]},
        )
    )
    assert body == {"totalTokens": 2 * count_tokens(text)}
    nested = ok(
        client.post(
            f"{V}/models/aqa:countTokens",
            json={"generateContentRequest": {"contents": [{"parts": [{"text": text}]}]}},
        )
    )
    assert nested == {"totalTokens": count_tokens(text)}
    assert ok(client.post(f"{V}/models/aqa:countTokens", json={})) == {}
    error(client.post(f"{V}/models/nope:countTokens", json={}), 404, "NOT_FOUND")
