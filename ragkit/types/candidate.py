"""``Candidate``: one answer or generation, shared by generateAnswer and generateContent."""

# ruff: noqa: RUF012  (pydantic copies mutable field defaults per instance; ruff only
# recognises direct BaseModel subclasses, not WireModel ones)

from __future__ import annotations

from typing import Any, ClassVar

from ragkit.types._base import ProtoEnum, WireModel, proto_numbers
from ragkit.types.attribution import GroundingAttribution
from ragkit.types.content import Content
from ragkit.types.safety import SafetyRating

__all__ = [
    "Candidate",
    "CitationMetadata",
    "CitationSource",
    "FinishReason",
    "GroundingChunk",
    "GroundingMetadata",
    "GroundingSupport",
    "Segment",
]


@proto_numbers(
    FINISH_REASON_UNSPECIFIED=0,
    STOP=1,
    MAX_TOKENS=2,
    SAFETY=3,
    RECITATION=4,
    LANGUAGE=6,
    OTHER=5,
    BLOCKLIST=7,
    PROHIBITED_CONTENT=8,
    SPII=9,
    MALFORMED_FUNCTION_CALL=10,
    IMAGE_SAFETY=11,
    IMAGE_PROHIBITED_CONTENT=14,
    IMAGE_OTHER=15,
    NO_IMAGE=16,
    IMAGE_RECITATION=17,
    UNEXPECTED_TOOL_CALL=12,
    TOO_MANY_TOOL_CALLS=13,
)
class FinishReason(ProtoEnum):
    """Why the model stopped generating. Treat anything but ``STOP`` as a failed answer."""

    FINISH_REASON_UNSPECIFIED = "FINISH_REASON_UNSPECIFIED"
    STOP = "STOP"
    MAX_TOKENS = "MAX_TOKENS"
    SAFETY = "SAFETY"
    RECITATION = "RECITATION"
    LANGUAGE = "LANGUAGE"
    OTHER = "OTHER"
    BLOCKLIST = "BLOCKLIST"
    PROHIBITED_CONTENT = "PROHIBITED_CONTENT"
    SPII = "SPII"
    MALFORMED_FUNCTION_CALL = "MALFORMED_FUNCTION_CALL"
    IMAGE_SAFETY = "IMAGE_SAFETY"
    IMAGE_PROHIBITED_CONTENT = "IMAGE_PROHIBITED_CONTENT"
    IMAGE_OTHER = "IMAGE_OTHER"
    NO_IMAGE = "NO_IMAGE"
    IMAGE_RECITATION = "IMAGE_RECITATION"
    UNEXPECTED_TOOL_CALL = "UNEXPECTED_TOOL_CALL"
    TOO_MANY_TOOL_CALLS = "TOO_MANY_TOOL_CALLS"


class CitationSource(WireModel):
    """A source quoted in a generated text (recitation)."""

    wire_presence: ClassVar[frozenset[str]] = frozenset(
        {"start_index", "end_index", "uri", "license"}
    )
    start_index: int | None = None
    """Optional. Start of the cited segment, in bytes."""
    end_index: int | None = None
    """Optional. End (exclusive) of the cited segment, in bytes."""
    uri: str | None = None
    """Optional. URI of the source."""
    license: str | None = None
    """Optional. License of the source, if it is code."""


class CitationMetadata(WireModel):
    """Citations of a candidate."""

    citation_sources: list[CitationSource] = []
    """Citations to sources for a specific response."""


class Segment(WireModel):
    """A segment of a generated part (grounding support)."""

    part_index: int | None = None
    start_index: int | None = None
    end_index: int | None = None
    text: str | None = None


class GroundingSupport(WireModel):
    """Which grounding chunks support one segment of the answer."""

    segment: Segment | None = None
    grounding_chunk_indices: list[int] = []
    confidence_scores: list[float] = []


class GroundingChunk(WireModel):
    """One retrieved source of generateContent grounding (web, file search, maps); open."""

    wire_open: ClassVar[bool] = True
    web: dict[str, Any] | None = None
    """A web source: ``uri`` and ``title``."""
    retrieved_context: dict[str, Any] | None = None
    """A File Search source: ``uri``, ``title``, ``text``, ``fileSearchStore``."""
    maps: dict[str, Any] | None = None
    """A Google Maps place."""


class GroundingMetadata(WireModel):
    """Grounding of a generateContent candidate. Modelled minimally and kept open: its
    schema keeps growing with new tools."""

    wire_open: ClassVar[bool] = True
    grounding_chunks: list[GroundingChunk] = []
    """Supporting references retrieved from the grounding source."""
    grounding_supports: list[GroundingSupport] = []
    """Which chunks support which segment."""
    web_search_queries: list[str] = []
    """Web search queries of a follow-up search."""
    search_entry_point: dict[str, Any] | None = None
    """Google search entry point (rendered HTML etc.)."""
    retrieval_metadata: dict[str, Any] | None = None
    """Metadata of the retrieval flow."""


class Candidate(WireModel):
    """A response candidate. generateAnswer fills ``grounding_attributions``;
    generateContent fills ``grounding_metadata``."""

    wire_presence: ClassVar[frozenset[str]] = frozenset({"index", "finish_message"})
    index: int | None = None
    """Output only. Index of the candidate in the list."""
    content: Content | None = None
    """Output only. Generated content."""
    finish_reason: FinishReason | None = None
    """Output only. Why generation stopped; absent while still generating."""
    finish_message: str | None = None
    """Output only. Details of ``finish_reason``."""
    safety_ratings: list[SafetyRating] = []
    """Ratings for the safety of the candidate (at most one per category)."""
    citation_metadata: CitationMetadata | None = None
    """Output only. Recitation information."""
    token_count: int = 0
    """Output only. Token count of this candidate."""
    grounding_attributions: list[GroundingAttribution] = []
    """Output only. Sources that contributed to a grounded answer (generateAnswer)."""
    grounding_metadata: GroundingMetadata | None = None
    """Output only. Grounding metadata (generateContent)."""
    avg_logprobs: float | None = None
    """Output only. Average log probability of the candidate."""
    logprobs_result: dict[str, Any] | None = None
    """Output only. Log-likelihood scores of the tokens."""
    url_context_metadata: dict[str, Any] | None = None
    """Output only. Metadata of the url-context tool."""

    @property
    def text(self) -> str:
        """The text of ``content`` (``""`` if there is none)."""
        return self.content.text if self.content is not None else ""
