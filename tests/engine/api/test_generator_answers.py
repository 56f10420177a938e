"""generateAnswer with a configured generator, end to end: ``Client()`` -> in-process engine
-> a fake OpenAI-compatible server on loopback (Starlette under uvicorn in a thread)."""

from __future__ import annotations

import re
import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from ragkit.client import Client, UnavailableError
from ragkit.engine import aqa, inprocess
from ragkit.types import Content, GroundingPassage, Part, SemanticRetrieverConfig
from tests.loopback import serve_on_loopback

KEY = "sk-test-secret-123"
MODEL = "tiny-model"
PASSAGES = {
    "p1": [
        "The Golden Gate Bridge was designed by Joseph Strauss in 1929.",
        "The Golden Gate Bridge opened to traffic in May 1937.",
    ],
    "p2": ["The bridge is painted International Orange to stay visible in fog."],
}
OPENED = "When did the Golden Gate Bridge open to traffic?"


@dataclass
class FakeLLM:
    """Records chat requests; ``reply`` writes the answer from the user prompt."""

    reply: Callable[[str], str] = lambda _prompt: "NOT_IN_PASSAGES"
    requests: list[tuple[dict[str, str], dict[str, Any]]] = field(default_factory=list)

    async def chat(self, request: Request) -> JSONResponse:
        body = await request.json()
        self.requests.append((dict(request.headers), body))
        text = self.reply(body["messages"][-1]["content"])
        return JSONResponse({"choices": [{"message": {"role": "assistant", "content": text}}]})


def number_of(prompt: str, words: str) -> int:
    """The ``[k]`` the prompt gives to the part containing ``words``."""
    match = re.search(r"^\[(\d+)\] [^\n]*" + re.escape(words), prompt, re.MULTILINE)
    assert match, prompt
    return int(match.group(1))


@pytest.fixture
def fake() -> FakeLLM:
    return FakeLLM()


@pytest.fixture
def fake_url(fake: FakeLLM) -> Iterator[str]:
    app = Starlette(routes=[Route("/v1/chat/completions", fake.chat, methods=["POST"])])
    with serve_on_loopback(app, name="fake-llm") as url:
        yield f"{url}/v1"


def _configure(monkeypatch: pytest.MonkeyPatch, url: str) -> None:
    for name, value in {
        "GENERATOR": "openai",
        "GENERATOR_URL": url,
        "GENERATOR_MODEL": MODEL,
        "GENERATOR_API_KEY": KEY,
        "GENERATOR_TIMEOUT": "20",
        "EMBEDDER": "test-hash",
    }.items():
        monkeypatch.setenv(f"RAGKIT_ENGINE_{name}", value)


@pytest.fixture
def client(monkeypatch: pytest.MonkeyPatch, fake_url: str) -> Iterator[Client]:
    _configure(monkeypatch, fake_url)
    with Client(max_retries=0) as http:
        yield http
    inprocess.close_all()


def _passages() -> list[GroundingPassage]:
    return [
        GroundingPassage(id=pid, content=Content(parts=[Part(text=t) for t in parts]))
        for pid, parts in PASSAGES.items()
    ]


def _local(question: str, style: aqa.AnswerStyle) -> aqa.AqaAnswer:
    passages = [aqa.Passage(pid, tuple(parts)) for pid, parts in PASSAGES.items()]
    return aqa.answer(question, passages, style=style)


def _attributed(response: Any) -> list[tuple[Any, str]]:
    return [
        (a.source_id.grounding_passage or a.source_id.semantic_retriever_chunk, a.content.text)
        for a in response.answer.grounding_attributions
    ]


def test_abstractive_answer_comes_from_the_generator_with_its_citations(
    client: Client, fake: FakeLLM
) -> None:
    fake.reply = lambda prompt: f"It opened in May 1937 [{number_of(prompt, 'opened')}]."
    response = client.models.generate_answer(
        contents=OPENED, answer_style="ABSTRACTIVE", inline_passages=_passages(), temperature=0.4
    )
    assert response.answer is not None
    assert response.answer.content.text == "It opened in May 1937."
    (attribution,) = response.answer.grounding_attributions
    assert attribution.source_id.grounding_passage is not None
    assert attribution.source_id.grounding_passage.passage_id == "p1"
    assert attribution.source_id.grounding_passage.part_index == 1
    assert attribution.content.text == PASSAGES["p1"][1]
    # The probability is the local answerer's calibrated one.
    assert response.answerable_probability == _local(OPENED, "ABSTRACTIVE").answerable_probability
    ((headers, body),) = fake.requests
    assert headers["authorization"] == f"Bearer {KEY}"
    assert body["model"] == MODEL and body["temperature"] == 0.4
    assert "[3] The bridge is painted International Orange" in body["messages"][-1]["content"]


def test_verbose_over_the_semantic_retriever_attributes_chunks(
    client: Client, fake: FakeLLM
) -> None:
    corpus = client.corpora.create(name="bridges")
    document = client.corpora.documents.create(corpus.name, name="golden-gate")
    texts = [*PASSAGES["p1"], *PASSAGES["p2"]]
    chunks = client.corpora.documents.chunks.batch_create(document.name, chunks=texts).chunks
    name_of = {chunk.data.string_value: chunk.name for chunk in chunks}
    fake.reply = lambda prompt: (
        f"Joseph Strauss designed it in 1929 [{number_of(prompt, 'designed')}], and it opened "
        f"to traffic in May 1937 [{number_of(prompt, 'opened')}]."
    )
    response = client.models.generate_answer(
        contents=OPENED,
        answer_style="VERBOSE",
        semantic_retriever=SemanticRetrieverConfig(
            source=corpus.name, query=Content.from_text(OPENED)
        ),
    )
    assert response.answer is not None
    assert response.answer.content.text == (
        "Joseph Strauss designed it in 1929, and it opened to traffic in May 1937."
    )
    cited = response.answer.grounding_attributions
    assert [a.content.text for a in cited] == PASSAGES["p1"]
    for attribution in cited:
        chunk = attribution.source_id.semantic_retriever_chunk
        assert chunk is not None and chunk.source == corpus.name
        assert chunk.chunk == name_of[attribution.content.text]
    assert response.answerable_probability is not None
    assert response.answerable_probability > 0.5
    assert "Give a fuller answer" in fake.requests[0][1]["messages"][0]["content"]


def test_refusal_returns_the_local_answer_as_an_abstention(client: Client, fake: FakeLLM) -> None:
    fake.reply = lambda _prompt: "NOT_IN_PASSAGES"
    response = client.models.generate_answer(
        contents=OPENED, answer_style="ABSTRACTIVE", inline_passages=_passages()
    )
    local = _local(OPENED, "ABSTRACTIVE")
    assert local.answerable_probability > 0.5  # so the generator was asked
    assert len(fake.requests) == 1
    assert response.answer is not None
    assert response.answer.content.text == local.text
    assert [a.content.text for a in response.answer.grounding_attributions] == [
        a.text for a in local.attributions
    ]
    assert response.answerable_probability == 0.5


def test_local_abstention_skips_the_generator(client: Client, fake: FakeLLM) -> None:
    question = "Who painted the Mona Lisa?"
    response = client.models.generate_answer(
        contents=question, answer_style="ABSTRACTIVE", inline_passages=_passages()
    )
    local = _local(question, "ABSTRACTIVE")
    assert fake.requests == []
    assert response.answer is not None and response.answer.content.text == local.text
    assert response.answerable_probability == local.answerable_probability <= 0.5


def test_extractive_never_calls_the_generator(client: Client, fake: FakeLLM) -> None:
    response = client.models.generate_answer(
        contents=OPENED, answer_style="EXTRACTIVE", inline_passages=_passages()
    )
    assert fake.requests == []
    assert response.answer is not None
    assert response.answer.content.text == _local(OPENED, "EXTRACTIVE").text


def test_generator_down_is_503_unavailable_without_the_key(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with socket.socket() as sock:  # a loopback port with nobody listening
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    _configure(monkeypatch, f"http://127.0.0.1:{port}/v1")
    with Client(max_retries=0) as client, pytest.raises(UnavailableError) as caught:
        client.models.generate_answer(
            contents=OPENED, answer_style="VERBOSE", inline_passages=_passages()
        )
    inprocess.close_all()
    error = caught.value
    assert error.status_code == 503 and error.status == "UNAVAILABLE"
    assert error.message == (
        f"The openai generator (model '{MODEL}' at 127.0.0.1:{port}) is unavailable: "
        "could not connect."
    )
    body = error.response.json()
    assert set(body) == {"error"} and body["error"]["code"] == 503
    assert KEY not in error.response.text
