from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.engine.conftest import V, error, ok

URL = f"{V}/models/aqa:generateAnswer"


def _inline(question: str, passages: dict[str, list[str]], **extra: Any) -> dict[str, Any]:
    return {
        "contents": [{"role": "user", "parts": [{"text": question}]}],
        "answerStyle": "EXTRACTIVE",
        "inlinePassages": {
            "passages": [
                {"id": pid, "content": {"parts": [{"text": t} for t in parts]}}
                for pid, parts in passages.items()
            ]
        },
        **extra,
    }


def test_inline_passages_attribute_the_right_part(client: httpx.Client) -> None:
    body = ok(
        client.post(
            URL,
            json=_inline(
                "When was the bridge opened?",
                {
                    "p1": ["The bridge was designed in 1929.", "It opened to traffic in 1932."],
                },
            ),
        )
    )
    answer = body["answer"]
    assert answer["content"]["parts"][0]["text"] == "1932"
    assert answer["content"]["role"] == "model"
    assert answer["finishReason"] == "STOP"
    (attribution,) = answer["groundingAttributions"]
    assert attribution["sourceId"] == {"groundingPassage": {"passageId": "p1", "partIndex": 1}}
    assert attribution["content"]["parts"][0]["text"] == "It opened to traffic in 1932."
    assert 0.0 <= body["answerableProbability"] <= 1.0


def test_unanswerable_question_scores_lower(client: httpx.Client) -> None:
    passages = {"001": ["Rotate API keys every 90 days to limit the damage of a leak."]}
    good = ok(client.post(URL, json=_inline("How often should API keys be rotated?", passages)))
    bad = ok(client.post(URL, json=_inline("Who painted the Mona Lisa?", passages)))
    assert bad["answerableProbability"] < good["answerableProbability"]


def test_multi_turn_contents_are_accepted(client: httpx.Client) -> None:
    request = _inline(
        "How often should they be rotated?",
        {"a": ["API keys identify a project.", "Rotate keys every 90 days."]},
    )
    request["contents"] = [
        {"role": "user", "parts": [{"text": "What does the guide say about API keys?"}]},
        {"role": "model", "parts": [{"text": "It covers creating and rotating them."}]},
        *request["contents"],
    ]
    request["answerStyle"] = "VERBOSE"
    body = ok(client.post(URL, json=request))
    assert "90 days" in body["answer"]["content"]["parts"][0]["text"]


@pytest.mark.parametrize(
    ("change", "status"),
    [
        ({"answerStyle": "ANSWER_STYLE_UNSPECIFIED"}, "INVALID_ARGUMENT"),
        ({"answerStyle": None}, "INVALID_ARGUMENT"),
        (
            {"semanticRetriever": {"source": "corpora/x", "query": {"parts": [{"text": "q"}]}}},
            "INVALID_ARGUMENT",
        ),
        ({"inlinePassages": None}, "INVALID_ARGUMENT"),
        ({"inlinePassages": {"passages": []}}, "INVALID_ARGUMENT"),
        (
            {"inlinePassages": {"passages": [{"content": {"parts": [{"text": "x"}]}}]}},
            "INVALID_ARGUMENT",
        ),
        ({"contents": []}, "INVALID_ARGUMENT"),
        ({"temperature": 1.5}, "INVALID_ARGUMENT"),
        (
            {"safetySettings": [{"category": "HARM_CATEGORY_MEDICAL", "threshold": "BLOCK_NONE"}]},
            "INVALID_ARGUMENT",
        ),
    ],
)
def test_validation(client: httpx.Client, change: dict[str, Any], status: str) -> None:
    request = _inline("What?", {"a": ["Something."]})
    for key, value in change.items():
        if value is None:
            request.pop(key)
        else:
            request[key] = value
    error(client.post(URL, json=request), 400, status)


def test_other_models_get_the_observed_message(client: httpx.Client) -> None:
    body = error(
        client.post(
            f"{V}/models/gemini-1.5-flash:generateAnswer", json=_inline("What?", {"a": ["x"]})
        ),
        400,
        "INVALID_ARGUMENT",
    )
    assert body["message"] == "* GenerateAnswerRequest.model: unexpected model name format\n"


def test_semantic_retriever_on_an_unknown_corpus_is_403(client: httpx.Client) -> None:
    request = _inline("What?", {"a": ["x"]})
    del request["inlinePassages"]
    request["semanticRetriever"] = {
        "source": "corpora/missing",
        "query": {"parts": [{"text": "What?"}]},
    }
    error(client.post(URL, json=request), 403, "PERMISSION_DENIED")
