"""The abstractive generator: prompt, reply parsing and the two HTTP clients (MockTransport)."""

from __future__ import annotations

import json
from collections.abc import Callable

import httpx
import pytest

from ragkit.engine.aqa import Attribution, Passage
from ragkit.engine.aqa.generator import (
    REFUSAL_TOKEN,
    GeminiGenerator,
    GeneratedAnswer,
    GeneratorError,
    OpenAICompatibleGenerator,
    build_generator,
    build_prompt,
    generate,
    parse_reply,
)

PASSAGES = [
    Passage("p1", ("The bridge was designed in 1929.", "It opened to traffic in 1932.")),
    Passage("p2", ("It is painted orange.",)),
]
SOURCES = (
    Attribution("p1", 0, "The bridge was designed in 1929."),
    Attribution("p1", 1, "It opened to traffic in 1932."),
    Attribution("p2", 0, "It is painted orange."),
)


# --- prompt -------------------------------------------------------------------------------


def test_prompt_numbers_every_part_in_order() -> None:
    prompt = build_prompt("When did it open?", PASSAGES, style="ABSTRACTIVE")
    assert prompt.sources == SOURCES
    assert "[1] The bridge was designed in 1929.\n\n[2] It opened to traffic in 1932." in (
        prompt.user
    )
    assert "[3] It is painted orange." in prompt.user
    assert prompt.user.endswith("Question: When did it open?")
    assert REFUSAL_TOKEN in prompt.system
    assert "one or two sentences" in prompt.system


def test_prompt_style_changes_the_instruction() -> None:
    short = build_prompt("q?", PASSAGES, style="ABSTRACTIVE").system
    long = build_prompt("q?", PASSAGES, style="VERBOSE").system
    assert short != long
    assert "several sentences" in long


def test_prompt_carries_the_history_before_the_question() -> None:
    history = [("user", "Tell me about the bridge."), ("model", "It is in the bay.")]
    prompt = build_prompt("When did it open?", PASSAGES, style="VERBOSE", history=history)
    assert "Conversation so far:\nuser: Tell me about the bridge.\nmodel: It is in the bay." in (
        prompt.user
    )
    assert prompt.user.index("Conversation so far") < prompt.user.index("Question:")
    assert "Conversation" not in build_prompt("q?", PASSAGES, style="VERBOSE").user


def test_prompt_skips_empty_parts_and_respects_the_token_budget() -> None:
    big = Passage("big", ("word " * 8000,))
    passages = [Passage("a", ("", "Kept.")), big, Passage("c", ("After the big one.",))]
    prompt = build_prompt("q?", passages, style="ABSTRACTIVE")
    # The empty part is not numbered; the passage over budget and all after it are dropped.
    assert prompt.sources == (Attribution("a", 1, "Kept."),)


# --- reply parsing ------------------------------------------------------------------------


def test_parse_strips_markers_and_keeps_cited_parts_in_citation_order() -> None:
    parsed = parse_reply("It opened in 1932 [2], three years after its design [1, 2].", SOURCES)
    assert parsed == GeneratedAnswer(
        "It opened in 1932, three years after its design.", (SOURCES[1], SOURCES[0])
    )


def test_parse_reads_adjacent_markers_and_ignores_out_of_range_numbers() -> None:
    parsed = parse_reply("Orange [3][7]. Built 1929 [0] [1].", SOURCES)
    assert parsed is not None
    assert parsed.text == "Orange. Built 1929."
    assert parsed.attributions == (SOURCES[2], SOURCES[0])


@pytest.mark.parametrize(
    "reply",
    [
        REFUSAL_TOKEN,
        f" {REFUSAL_TOKEN}.\n",
        f"I cannot tell [1]. {REFUSAL_TOKEN}",
        "It opened in 1932.",  # no citation: not grounded
        "It opened in 1932 [9].",  # only out-of-range citations
        "[2]",  # citations but no text
        "",
    ],
)
def test_parse_treats_refusals_and_uncited_replies_as_abstentions(reply: str) -> None:
    assert parse_reply(reply, SOURCES) is None


class _Scripted:
    """A Generator that replies with a fixed text and records its prompts."""

    label = "scripted generator"

    def __init__(self, reply: str) -> None:
        self.reply = reply
        self.calls: list[tuple[str, str, float]] = []

    def complete(self, system: str, user: str, *, temperature: float) -> str:
        self.calls.append((system, user, temperature))
        return self.reply

    def close(self) -> None:
        pass


def test_generate_chains_prompt_call_and_parse() -> None:
    scripted = _Scripted("It opened in 1932 [2].")
    result = generate(scripted, "When?", PASSAGES, style="ABSTRACTIVE", temperature=0.3)
    assert result == GeneratedAnswer("It opened in 1932.", (SOURCES[1],))
    ((system, user, temperature),) = scripted.calls
    assert "[2] It opened to traffic in 1932." in user and temperature == 0.3
    assert REFUSAL_TOKEN in system


def test_generate_without_any_text_does_not_call() -> None:
    scripted = _Scripted("unused [1]")
    assert generate(scripted, "q?", [Passage("a", ("  ",))], style="VERBOSE") is None
    assert scripted.calls == []


# --- HTTP clients -------------------------------------------------------------------------

Handler = Callable[[httpx.Request], httpx.Response]


def _recording(handler: Handler) -> tuple[httpx.MockTransport, list[httpx.Request]]:
    seen: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return handler(request)

    return httpx.MockTransport(record), seen


def test_openai_request_shape_and_reply() -> None:
    transport, seen = _recording(
        lambda _: httpx.Response(
            200, json={"choices": [{"message": {"role": "assistant", "content": "Hi [1]."}}]}
        )
    )
    generator = OpenAICompatibleGenerator(
        "http://llm.test/v1/", "tiny", "sk-secret", transport=transport
    )
    assert generator.complete("SYS", "USER", temperature=0.1) == "Hi [1]."
    (request,) = seen
    assert str(request.url) == "http://llm.test/v1/chat/completions"
    assert request.headers["authorization"] == "Bearer sk-secret"
    assert json.loads(request.content) == {
        "model": "tiny",
        "messages": [{"role": "system", "content": "SYS"}, {"role": "user", "content": "USER"}],
        "temperature": 0.1,
    }
    generator.close()


def test_openai_without_key_sends_no_authorization() -> None:
    transport, seen = _recording(
        lambda _: httpx.Response(200, json={"choices": [{"message": {"content": "x"}}]})
    )
    generator = OpenAICompatibleGenerator("http://llm.test/v1", "tiny", transport=transport)
    generator.complete("s", "u", temperature=0.0)
    assert "authorization" not in seen[0].headers


def test_gemini_request_shape_and_reply() -> None:
    reply = {
        "candidates": [
            {"content": {"role": "model", "parts": [{"text": "It opened "}, {"text": "[2]."}]}}
        ]
    }
    transport, seen = _recording(lambda _: httpx.Response(200, json=reply))
    generator = GeminiGenerator("g-key", "models/gemini-x", transport=transport)
    assert generator.complete("SYS", "USER", temperature=0.2) == "It opened [2]."
    (request,) = seen
    assert str(request.url) == (
        "https://generativelanguage.googleapis.com/v1beta/models/gemini-x:generateContent"
    )
    assert request.headers["x-goog-api-key"] == "g-key"
    assert "key=" not in str(request.url)
    assert json.loads(request.content) == {
        "systemInstruction": {"parts": [{"text": "SYS"}]},
        "contents": [{"role": "user", "parts": [{"text": "USER"}]}],
        "generationConfig": {"temperature": 0.2},
    }


def test_gemini_blocked_prompt_reads_as_an_empty_reply() -> None:
    blocked = {"promptFeedback": {"blockReason": "SAFETY"}}
    transport, _ = _recording(lambda _: httpx.Response(200, json=blocked))
    generator = GeminiGenerator("g-key", transport=transport)
    assert generator.complete("s", "u", temperature=0.2) == ""


def test_gemini_error_json_gives_status_but_not_message_or_key() -> None:
    body = {
        "error": {
            "code": 400,
            "message": "API key not valid: g-key-123",
            "status": "INVALID_ARGUMENT",
        }
    }
    transport, _ = _recording(lambda _: httpx.Response(400, json=body))
    generator = GeminiGenerator("g-key-123", transport=transport)
    with pytest.raises(GeneratorError) as caught:
        generator.complete("s", "u", temperature=0.2)
    assert str(caught.value) == "HTTP 400 (INVALID_ARGUMENT)"
    assert "g-key" not in generator.label


def _raise(exc: Exception) -> Handler:
    def handler(request: httpx.Request) -> httpx.Response:
        raise exc

    return handler


@pytest.mark.parametrize(
    ("handler", "cause"),
    [
        (_raise(httpx.ConnectError("refused")), "could not connect"),
        (_raise(httpx.ReadTimeout("slow")), "no reply within 5 s"),
        (lambda _: httpx.Response(502, text="bad gateway"), "HTTP 502"),
        (lambda _: httpx.Response(200, text="not json"), "the reply is not JSON"),
        (
            lambda _: httpx.Response(200, json={"choices": []}),
            "the reply has no choices[0].message.content",
        ),
    ],
)
def test_openai_failures_raise_generator_errors(handler: Handler, cause: str) -> None:
    transport, _ = _recording(handler)
    generator = OpenAICompatibleGenerator(
        "http://llm.test:8080/v1", "tiny", "sk-secret", timeout=5, transport=transport
    )
    with pytest.raises(GeneratorError) as caught:
        generator.complete("s", "u", temperature=0.2)
    assert str(caught.value) == cause
    assert generator.label == "openai generator (model 'tiny' at llm.test:8080)"


def test_build_generator_by_kind() -> None:
    assert build_generator("none", url=None, model=None, api_key=None) is None
    openai = build_generator("openai", url="http://h/v1", model="m", api_key=None)
    assert isinstance(openai, OpenAICompatibleGenerator)
    gemini = build_generator("gemini", url=None, model=None, api_key="k")
    assert isinstance(gemini, GeminiGenerator) and gemini.model == "gemini-2.5-flash"
    with pytest.raises(ValueError, match="generator_url"):
        build_generator("openai", url=None, model="m", api_key=None)
    with pytest.raises(ValueError, match="generator_api_key"):
        build_generator("gemini", url=None, model=None, api_key=None)
    with pytest.raises(ValueError, match="unknown generator"):
        build_generator("claude", url=None, model=None, api_key=None)


def test_settings_require_a_complete_generator_and_never_show_the_key() -> None:
    from pydantic import ValidationError

    from ragkit.engine.settings import EngineSettings

    settings = EngineSettings(generator="gemini", generator_api_key="g-key-123")
    assert "g-key-123" not in repr(settings)
    with pytest.raises(ValidationError) as caught:
        EngineSettings(generator="openai", generator_api_key="sk-secret")
    assert "generator_url" in str(caught.value)
    assert "sk-secret" not in str(caught.value)
    with pytest.raises(ValidationError, match="generator_api_key"):
        EngineSettings(generator="gemini")
