"""proto ``oneof`` groups: the models refuse ambiguous or empty values."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from pydantic import ValidationError

from ragkit.types import (
    AnswerStyle,
    AttributionSourceId,
    ChunkData,
    Condition,
    Content,
    CountTokensRequest,
    CustomMetadata,
    GenerateAnswerRequest,
    GenerateContentRequest,
    GroundingPassageId,
    GroundingPassages,
    Operator,
    Part,
    SemanticRetrieverChunk,
    SemanticRetrieverConfig,
    StringList,
)

QUESTION = [Content.from_text("q")]
RETRIEVER = SemanticRetrieverConfig(source="corpora/c", query=Content.from_text("q"))

VIOLATIONS: list[tuple[str, Callable[[], Any], str]] = [
    (
        "metadata without value",
        lambda: CustomMetadata(key="k"),
        "exactly one of stringValue, stringListValue, numericValue (got 0)",
    ),
    (
        "metadata with two values",
        lambda: CustomMetadata(key="k", string_value="a", numeric_value=1),
        "exactly one of stringValue, stringListValue, numericValue (got 2)",
    ),
    (
        "metadata with three values",
        lambda: CustomMetadata(
            key="k", string_value="a", numeric_value=1, string_list_value=StringList(values=[])
        ),
        "(got 3)",
    ),
    (
        "condition without value",
        lambda: Condition(operation=Operator.EQUAL),
        "exactly one of stringValue, numericValue (got neither)",
    ),
    (
        "condition with both values",
        lambda: Condition(operation=Operator.EQUAL, string_value="a", numeric_value=1),
        "exactly one of stringValue, numericValue (got both)",
    ),
    ("chunk data without text", lambda: ChunkData.model_validate({}), "stringValue"),
    (
        "answer without grounding",
        lambda: GenerateAnswerRequest(contents=QUESTION, answer_style=AnswerStyle.ABSTRACTIVE),
        "inlinePassages or semanticRetriever (got neither)",
    ),
    (
        "answer with both groundings",
        lambda: GenerateAnswerRequest(
            contents=QUESTION,
            answer_style=AnswerStyle.ABSTRACTIVE,
            inline_passages=GroundingPassages(),
            semantic_retriever=RETRIEVER,
        ),
        "inlinePassages or semanticRetriever (got both)",
    ),
    (
        "attribution with both sources",
        lambda: AttributionSourceId(
            grounding_passage=GroundingPassageId(passage_id="1"),
            semantic_retriever_chunk=SemanticRetrieverChunk(source="corpora/c"),
        ),
        "at most one of groundingPassage, semanticRetrieverChunk",
    ),
    (
        "part with two data fields",
        lambda: Part.model_validate({"text": "a", "inlineData": {"mimeType": "text/plain"}}),
        "at most one data field (got text, inlineData)",
    ),
    (
        "count tokens with both inputs",
        lambda: CountTokensRequest(
            contents=QUESTION, generate_content_request=GenerateContentRequest(contents=QUESTION)
        ),
        "set contents or generateContentRequest, never both",
    ),
]


@pytest.mark.parametrize(
    ("build", "message"),
    [pytest.param(build, message, id=label) for label, build, message in VIOLATIONS],
)
def test_oneof_violation_is_rejected(build: Callable[[], Any], message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        build()
    assert message in str(caught.value)


def test_each_single_value_is_accepted() -> None:
    assert CustomMetadata.of("s", "a").value == "a"
    assert CustomMetadata.of("n", 0).value == 0.0
    assert CustomMetadata.of("l", ("a", "b")).value == ["a", "b"]
    assert Condition(operation=Operator.EQUAL, numeric_value=0).numeric_value == 0.0
    assert (
        GenerateAnswerRequest(
            contents=QUESTION, answer_style=AnswerStyle.EXTRACTIVE, semantic_retriever=RETRIEVER
        ).semantic_retriever
        == RETRIEVER
    )
    assert AttributionSourceId().grounding_passage is None  # output-only: tolerant when empty
    assert Part(thought=True, thought_signature=b"sig").text is None


def test_a_bool_is_not_a_metadata_value() -> None:
    with pytest.raises(TypeError, match="bool"):
        CustomMetadata.of("flag", True)
