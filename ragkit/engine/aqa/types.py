"""Plain data types of the local attributed-QA answerer (no HTTP, no storage)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

AnswerStyle = Literal["EXTRACTIVE", "ABSTRACTIVE", "VERBOSE"]
ANSWER_STYLES: tuple[AnswerStyle, ...] = ("EXTRACTIVE", "ABSTRACTIVE", "VERBOSE")


@dataclass(frozen=True)
class Passage:
    """One grounding passage: an inline passage or a retrieved chunk.

    ``id`` is echoed in attributions (an inline passage id or a chunk resource name);
    ``parts`` are the text parts of its content, in order; ``relevance`` is the retrieval
    score in [0, 1] when the passage came from the semantic retriever.

    >>> Passage("p1", ("Designed in 1929.", "It opened in 1932."), relevance=0.8)
    Passage(id='p1', parts=('Designed in 1929.', 'It opened in 1932.'), relevance=0.8)
    """

    id: str
    parts: tuple[str, ...]
    relevance: float | None = None


@dataclass(frozen=True)
class Attribution:
    """A passage part that supports the answer; ``text`` is that part's whole content."""

    passage_id: str
    part_index: int
    text: str


@dataclass(frozen=True)
class AqaAnswer:
    """The answer: always some text, the parts it rests on, and P(answer is grounded)."""

    text: str
    attributions: tuple[Attribution, ...]
    answerable_probability: float
