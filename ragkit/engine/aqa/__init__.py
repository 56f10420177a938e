"""The local attributed-QA answerer behind ``models/aqa:generateAnswer``.

A pure function: plain Python in, plain Python out (no HTTP, no storage). The engine
calls it for inline passages and for semantic-retriever results alike.

>>> from ragkit.engine.aqa import Passage, answer
>>> a = answer("How often should API keys be rotated?",
...            [Passage("001", ("Rotate keys every 90 days.",))], style="EXTRACTIVE")
>>> a.text, a.attributions[0].passage_id
('90 days', '001')
"""

from __future__ import annotations

from ragkit.engine.aqa.answerer import NO_EVIDENCE_TEXT, answer
from ragkit.engine.aqa.budget import INPUT_TOKEN_LIMIT
from ragkit.engine.aqa.generator import (
    REFUSAL_TOKEN,
    GeminiGenerator,
    Generator,
    GeneratorError,
    OpenAICompatibleGenerator,
)
from ragkit.engine.aqa.types import ANSWER_STYLES, AnswerStyle, AqaAnswer, Attribution, Passage

__all__ = [
    "ANSWER_STYLES",
    "INPUT_TOKEN_LIMIT",
    "NO_EVIDENCE_TEXT",
    "REFUSAL_TOKEN",
    "AnswerStyle",
    "AqaAnswer",
    "Attribution",
    "GeminiGenerator",
    "Generator",
    "GeneratorError",
    "OpenAICompatibleGenerator",
    "Passage",
    "answer",
]
