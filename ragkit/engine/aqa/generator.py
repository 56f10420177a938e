"""An optional abstractive generator for the ABSTRACTIVE and VERBOSE answer styles.

The local answerer (:func:`ragkit.engine.aqa.answer`) can only quote the passages. When
the engine is configured with a generator (any OpenAI-compatible chat endpoint, or
Gemini with a key), the ``generateAnswer`` handler asks it to write the answer from the
same passages, numbered ``[1] .. [n]`` (one number per passage *part*), and to cite
every claim with ``[k]``. The reply is parsed back into text and attributions.

This module holds the three pieces: the prompt (:func:`build_prompt`), the reply parser
(:func:`parse_reply`) and the HTTP clients (:class:`OpenAICompatibleGenerator`,
:class:`GeminiGenerator`). :func:`generate` chains them.

>>> from ragkit.engine.aqa.types import Passage
>>> prompt = build_prompt("When did it open?", [Passage("p1", ("Built 1929.", "Opened 1932."))],
...                       style="ABSTRACTIVE")
>>> reply = parse_reply("It opened in 1932 [2].", prompt.sources)
>>> reply.text, [(a.passage_id, a.part_index) for a in reply.attributions]
('It opened in 1932.', [('p1', 1)])
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable
from urllib.parse import urlsplit

import httpx

from ragkit.client._errors import error_from_response
from ragkit.engine.aqa.budget import INPUT_TOKEN_LIMIT, fit_budget
from ragkit.engine.aqa.types import AnswerStyle, Attribution, Passage
from ragkit.tokens import count_tokens
from ragkit.types import GenerationConfig

# The whole reply a generator gives when the passages do not answer the question.
REFUSAL_TOKEN = "NOT_IN_PASSAGES"
GEMINI_BASE_URL = "https://generativelanguage.googleapis.com"
GEMINI_DEFAULT_MODEL = "gemini-2.5-flash"
DEFAULT_TIMEOUT = 60.0  # seconds; a local model on a CPU easily needs tens of seconds

# "[3]", "[1, 2]", "[1][4]": a citation is a bracketed list of passage numbers.
_CITATION = re.compile(r"\s*\[\s*(\d+(?:\s*,\s*\d+)*)\s*\]")
_SPACE_BEFORE_PUNCT = re.compile(r"\s+([.,;:!?])")

_STYLE_INSTRUCTIONS: dict[AnswerStyle, str] = {
    "EXTRACTIVE": "Answer with the shortest exact phrase from the passages.",
    "ABSTRACTIVE": "Answer in one or two sentences, in your own words.",
    "VERBOSE": (
        "Give a fuller answer of several sentences that draws on every passage that supports it."
    ),
}


class GeneratorError(Exception):
    """The generator could not answer (connection, timeout, HTTP error, unreadable reply).

    The message names the cause only: never the API key, never the upstream error body
    (which may quote parts of a key).
    """


@runtime_checkable
class Generator(Protocol):
    """Something that completes a (system, user) prompt pair with free text."""

    @property
    def label(self) -> str:
        """Who answers, for error messages: kind, model and URL host (never the key)."""
        ...

    def complete(self, system: str, user: str, *, temperature: float) -> str:
        """The model's reply text; raises :class:`GeneratorError` on any failure."""
        ...

    def close(self) -> None:
        """Release the HTTP connections."""
        ...


@dataclass(frozen=True)
class Prompt:
    """The two messages sent to the generator and the parts numbered in them.

    ``sources[k - 1]`` is the passage part the generator cites as ``[k]``.
    """

    system: str
    user: str
    sources: tuple[Attribution, ...]


@dataclass(frozen=True)
class GeneratedAnswer:
    """The generator's answer: text without citation markers and the parts it cited."""

    text: str
    attributions: tuple[Attribution, ...]


def build_prompt(
    question: str,
    passages: Sequence[Passage],
    *,
    style: AnswerStyle,
    history: Sequence[tuple[str, str]] = (),
) -> Prompt:
    """The prompt for ``question`` over ``passages`` (kept within the AQA input budget).

    Passages beyond the 7,168-token budget are dropped exactly as the local answerer
    drops them, so both see the same evidence.
    """
    prompt_tokens = count_tokens(question) + sum(count_tokens(text) for _, text in history)
    kept = fit_budget(prompt_tokens, passages, INPUT_TOKEN_LIMIT)
    sources = tuple(
        Attribution(passage.id, index, part)
        for passage in kept
        for index, part in enumerate(passage.parts)
        if part.strip()
    )
    system = (
        "You answer questions using only the numbered passages you are given.\n"
        f"{_STYLE_INSTRUCTIONS[style]}\n"
        "Cite the passage that supports every claim with its number in square brackets, "
        "like [2] or [1, 3], right after the claim.\n"
        "Do not use any knowledge that is not in the passages.\n"
        f"If the passages do not answer the question, reply exactly {REFUSAL_TOKEN} "
        "and nothing else."
    )
    numbered = "\n\n".join(
        f"[{k}] {' '.join(source.text.split())}" for k, source in enumerate(sources, 1)
    )
    lines = [f"Passages:\n{numbered}"]
    if history:
        turns = "\n".join(f"{role}: {text}" for role, text in history)
        lines.append(f"Conversation so far:\n{turns}")
    lines.append(f"Question: {question}")
    return Prompt(system, "\n\n".join(lines), sources)


def parse_reply(reply: str, sources: Sequence[Attribution]) -> GeneratedAnswer | None:
    """The answer in ``reply``, or None when the generator abstained.

    The refusal token anywhere in the reply, or a reply that cites no valid passage
    number, counts as an abstention: an uncited answer is not grounded. Citation numbers
    outside ``1..len(sources)`` are ignored. The markers are removed from the text,
    because Google's ``models/aqa`` answers carry none: clients read the sources from
    ``groundingAttributions`` and render their own citations.
    """
    if REFUSAL_TOKEN in reply:
        return None
    cited: dict[int, None] = {}  # ordered set: first citation first
    for match in _CITATION.finditer(reply):
        for number in match.group(1).split(","):
            k = int(number)
            if 1 <= k <= len(sources):
                cited.setdefault(k - 1)
    text = _SPACE_BEFORE_PUNCT.sub(r"\1", _CITATION.sub("", reply))
    text = " ".join(text.split())
    if not cited or not text:
        return None
    return GeneratedAnswer(text, tuple(sources[k] for k in cited))


def generate(
    generator: Generator,
    question: str,
    passages: Sequence[Passage],
    *,
    style: AnswerStyle,
    history: Sequence[tuple[str, str]] = (),
    temperature: float = 0.2,
) -> GeneratedAnswer | None:
    """Ask ``generator`` for a cited answer; None when it abstains.

    Raises :class:`GeneratorError` when the generator cannot be reached or fails.
    """
    prompt = build_prompt(question, passages, style=style, history=history)
    if not prompt.sources:
        return None
    reply = generator.complete(prompt.system, prompt.user, temperature=temperature)
    return parse_reply(reply, prompt.sources)


def _http_failure(status_code: int, status: str | None) -> GeneratorError:
    """``HTTP 429 (RESOURCE_EXHAUSTED)``: the code and Google's status name (reference §14),
    never the error message, which may quote parts of a key."""
    suffix = f" ({status})" if status and status.isupper() else ""
    return GeneratorError(f"HTTP {status_code}{suffix}")


def _label(kind: str, model: str, base_url: str) -> str:
    host = urlsplit(base_url).netloc or base_url
    return f"{kind} generator (model {model!r} at {host})"


class OpenAICompatibleGenerator:
    """A chat model behind an OpenAI-compatible ``/chat/completions`` endpoint.

    Works with OpenAI, and with local servers such as Ollama, llama.cpp or vLLM.

    >>> g = OpenAICompatibleGenerator("http://127.0.0.1:11434/v1", "llama3.2")
    >>> g.label
    "openai generator (model 'llama3.2' at 127.0.0.1:11434)"
    >>> g.close()
    """

    def __init__(
        self,
        base_url: str,
        model: str,
        api_key: str | None = None,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.model = model
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._http = httpx.Client(timeout=timeout, headers=headers, transport=transport)
        self._timeout = timeout

    @property
    def label(self) -> str:
        return _label("openai", self.model, self.base_url)

    def complete(self, system: str, user: str, *, temperature: float) -> str:
        body = {
            "model": self.model,
            "messages": [
                {"role": "system", "content": system},
                {"role": "user", "content": user},
            ],
            "temperature": temperature,
        }
        data = self._post(f"{self.base_url}/chat/completions", body)
        try:
            content = data["choices"][0]["message"]["content"]
        except (KeyError, IndexError, TypeError) as exc:
            raise GeneratorError("the reply has no choices[0].message.content") from exc
        return content if isinstance(content, str) else ""

    def _post(self, url: str, body: dict[str, Any]) -> Any:
        try:
            response = self._http.post(url, json=body)
        except httpx.TimeoutException as exc:
            raise GeneratorError(f"no reply within {self._timeout:g} s") from exc
        except httpx.ConnectError as exc:
            raise GeneratorError("could not connect") from exc
        except httpx.HTTPError as exc:
            raise GeneratorError(f"request failed ({type(exc).__name__})") from exc
        if not response.is_success:
            raise _http_failure(response.status_code, error_from_response(response).status)
        try:
            return response.json()
        except ValueError as exc:
            raise GeneratorError("the reply is not JSON") from exc

    def close(self) -> None:
        self._http.close()


class GeminiGenerator:
    """A Gemini model through Google's ``models/{model}:generateContent``.

    The call goes through ragkit's own API client, which already speaks this API: the key
    in the ``x-goog-api-key`` header (never in a URL), Google's error JSON read into
    typed errors. It makes no retries of its own: the engine answers 503 at once and
    the caller's client decides whether to try again.

    >>> g = GeminiGenerator("my-key")
    >>> g.label
    "gemini generator (model 'gemini-2.5-flash' at generativelanguage.googleapis.com)"
    >>> g.close()
    """

    def __init__(
        self,
        api_key: str,
        model: str = GEMINI_DEFAULT_MODEL,
        *,
        base_url: str = GEMINI_BASE_URL,
        timeout: float = DEFAULT_TIMEOUT,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        from ragkit.client import Client

        self.base_url = base_url.rstrip("/")
        self.model = model.removeprefix("models/")
        self._timeout = timeout
        self._client = Client(
            base_url=self.base_url,
            api_key=api_key,
            timeout=timeout,
            max_retries=0,
            transport=transport,
        )

    @property
    def label(self) -> str:
        return _label("gemini", self.model, self.base_url)

    def complete(self, system: str, user: str, *, temperature: float) -> str:
        from ragkit.client import APIConnectionError, APITimeoutError, RagkitAPIError, RagkitError

        try:
            response = self._client.models.generate_content(
                f"models/{self.model}",
                contents=user,
                system_instruction=system,
                generation_config=GenerationConfig(temperature=temperature),
            )
        except APITimeoutError as exc:
            raise GeneratorError(f"no reply within {self._timeout:g} s") from exc
        except APIConnectionError as exc:
            raise GeneratorError("could not connect") from exc
        except RagkitAPIError as exc:
            raise _http_failure(exc.status_code, exc.status) from exc
        except RagkitError as exc:
            raise GeneratorError(f"request failed ({type(exc).__name__})") from exc
        if not response.candidates:
            if response.prompt_feedback is not None:
                return ""  # the prompt was blocked: no answer, read as an abstention
            raise GeneratorError("the reply has no candidates")
        return response.text

    def close(self) -> None:
        self._client.close()


def build_generator(
    kind: str,
    *,
    url: str | None,
    model: str | None,
    api_key: str | None,
    timeout: float = DEFAULT_TIMEOUT,
) -> Generator | None:
    """The generator for the engine settings' ``generator`` kind; None for ``"none"``.

    >>> build_generator("none", url=None, model=None, api_key=None) is None
    True
    """
    if kind == "none":
        return None
    if kind == "openai":
        if not url or not model:
            raise ValueError("the openai generator needs generator_url and generator_model")
        return OpenAICompatibleGenerator(url, model, api_key, timeout=timeout)
    if kind == "gemini":
        if not api_key:
            raise ValueError("the gemini generator needs generator_api_key")
        return GeminiGenerator(
            api_key, model or GEMINI_DEFAULT_MODEL, base_url=url or GEMINI_BASE_URL, timeout=timeout
        )
    raise ValueError(f"unknown generator {kind!r}; expected none, openai or gemini")
