"""``models.generateAnswer``: attributed question answering with ``models/aqa`` (§12)."""

# ruff: noqa: RUF012  (pydantic copies mutable field defaults per instance; ruff only
# recognises direct BaseModel subclasses, not WireModel ones)

from __future__ import annotations

from typing import Annotated, ClassVar, Self

from pydantic import Field, model_validator

from ragkit.types._base import ProtoEnum, WireModel
from ragkit.types._fields import SourceName
from ragkit.types.attribution import GroundingPassages
from ragkit.types.candidate import Candidate
from ragkit.types.content import Content
from ragkit.types.metadata import MetadataFilter
from ragkit.types.safety import SafetyRating, SafetySetting

__all__ = [
    "AnswerStyle",
    "BlockReason",
    "GenerateAnswerRequest",
    "GenerateAnswerResponse",
    "InputFeedback",
    "SemanticRetrieverConfig",
]


class AnswerStyle(ProtoEnum):
    """Style of a grounded answer."""

    ANSWER_STYLE_UNSPECIFIED = "ANSWER_STYLE_UNSPECIFIED"
    ABSTRACTIVE = "ABSTRACTIVE"
    """Succinct but abstract."""
    EXTRACTIVE = "EXTRACTIVE"
    """Very brief and extractive."""
    VERBOSE = "VERBOSE"
    """Detailed: sentences, paragraphs or bullet points."""


class SemanticRetrieverConfig(WireModel):
    """Ground the answer on chunks retrieved from a corpus or one document."""

    wire_presence: ClassVar[frozenset[str]] = frozenset(
        {"max_chunks_count", "minimum_relevance_score"}
    )
    source: SourceName
    """Required. ``corpora/{c}`` or ``corpora/{c}/documents/{d}``."""
    query: Content
    """Required. Query used to match chunks by similarity."""
    metadata_filters: list[MetadataFilter] = []
    """Optional. Filters selecting documents and/or chunks."""
    max_chunks_count: Annotated[int, Field(ge=0)] | None = None
    """Optional. Maximum number of relevant chunks to retrieve."""
    minimum_relevance_score: float | None = None
    """Optional. Drop chunks scoring below this."""


class GenerateAnswerRequest(WireModel):
    """``POST /v1beta/{model=models/*}:generateAnswer``: exactly one grounding source.

    >>> request = GenerateAnswerRequest(
    ...     contents=[Content.from_text("What is AQA?", role="user")],
    ...     answer_style=AnswerStyle.VERBOSE,
    ...     semantic_retriever=SemanticRetrieverConfig(
    ...         source="corpora/docs", query=Content.from_text("What is AQA?")),
    ... )
    >>> request.semantic_retriever.source
    'corpora/docs'
    """

    wire_presence: ClassVar[frozenset[str]] = frozenset(
        {"inline_passages", "semantic_retriever", "temperature"}
    )
    model: str | None = None
    """The model (bound from the URL): only ``models/aqa`` answers."""
    contents: list[Content]
    """Required. The conversation; the last Content holds the question (English only)."""
    answer_style: AnswerStyle
    """Required. Style of the answer."""
    inline_passages: GroundingPassages | None = None
    """Passages provided inline (one of the two grounding sources)."""
    semantic_retriever: SemanticRetrieverConfig | None = None
    """Chunks retrieved from a corpus (the other grounding source)."""
    safety_settings: list[SafetySetting] = []
    """Optional. At most one setting per category; applied to input and answer."""
    temperature: Annotated[float, Field(ge=0.0, le=1.0)] | None = None
    """Optional. Randomness in [0, 1]; ~0.2 is recommended for AQA."""

    @model_validator(mode="after")
    def _one_grounding_source(self) -> Self:
        if (self.inline_passages is None) == (self.semantic_retriever is None):
            got = "both" if self.inline_passages is not None else "neither"
            raise ValueError(
                "exactly one grounding source must be set: inlinePassages or "
                f"semanticRetriever (got {got})"
            )
        return self


class BlockReason(ProtoEnum):
    """Why the input of a generateAnswer call was blocked."""

    BLOCK_REASON_UNSPECIFIED = "BLOCK_REASON_UNSPECIFIED"
    SAFETY = "SAFETY"
    """Blocked for safety; see ``safety_ratings``."""
    OTHER = "OTHER"
    """Blocked for another reason."""


class InputFeedback(WireModel):
    """Feedback on the input (question, history, grounding sources)."""

    wire_presence: ClassVar[frozenset[str]] = frozenset({"block_reason"})
    block_reason: BlockReason | None = None
    """Optional. If set, the input was blocked and no answer is returned."""
    safety_ratings: list[SafetyRating] = []
    """Ratings for the safety of the input (at most one per category)."""


class GenerateAnswerResponse(WireModel):
    """A grounded answer with the model's estimate that it is answerable.

    ``answerable_probability`` is ``None`` when the service did not send one (unknown).
    """

    wire_presence: ClassVar[frozenset[str]] = frozenset(
        {"answerable_probability", "input_feedback"}
    )
    answer: Candidate | None = None
    """The answer; absent when the input was blocked."""
    answerable_probability: float | None = None
    """Output only. Probability that the answer is correct and grounded (0.5 is a good
    starting threshold for a fallback)."""
    input_feedback: InputFeedback | None = None
    """Output only. Feedback on the input."""
