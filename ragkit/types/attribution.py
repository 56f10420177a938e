"""Grounding sources of generateAnswer and the attributions that cite them (reference §12)."""

# ruff: noqa: RUF012  (pydantic copies mutable field defaults per instance; ruff only
# recognises direct BaseModel subclasses, not WireModel ones)

from __future__ import annotations

from typing import ClassVar, Self

from pydantic import model_validator

from ragkit.types._base import WireModel
from ragkit.types.content import Content

__all__ = [
    "AttributionSourceId",
    "GroundingAttribution",
    "GroundingPassage",
    "GroundingPassageId",
    "GroundingPassages",
    "SemanticRetrieverChunk",
]


class GroundingPassage(WireModel):
    """A passage included inline in a generateAnswer request.

    >>> GroundingPassage(id="001", content=Content.from_text("2+2=4")).content.text
    '2+2=4'
    """

    id: str | None = None
    """Identifier of the passage, echoed in ``GroundingPassageId.passage_id``."""
    content: Content | None = None
    """Content of the passage."""


class GroundingPassages(WireModel):
    """A repeated list of inline passages; sort them by decreasing relevance."""

    passages: list[GroundingPassage] = []
    """The passages."""


class GroundingPassageId(WireModel):
    """A part within an inline ``GroundingPassage``."""

    passage_id: str | None = None
    """Output only. ID of the passage matching the request's ``GroundingPassage.id``."""
    part_index: int = 0
    """Output only. Index of the part within that passage's ``content``."""


class SemanticRetrieverChunk(WireModel):
    """A ``Chunk`` retrieved through ``SemanticRetrieverConfig``."""

    source: str | None = None
    """Output only. Echoes ``SemanticRetrieverConfig.source`` (a corpus or document)."""
    chunk: str | None = None
    """Output only. Name of the chunk with the attributed text."""


class AttributionSourceId(WireModel):
    """The source of an attribution: an inline passage or a retrieved chunk (oneof)."""

    wire_presence: ClassVar[frozenset[str]] = frozenset(
        {"grounding_passage", "semantic_retriever_chunk"}
    )
    grounding_passage: GroundingPassageId | None = None
    """Identifier for an inline passage."""
    semantic_retriever_chunk: SemanticRetrieverChunk | None = None
    """Identifier for a chunk fetched via Semantic Retriever."""

    @model_validator(mode="after")
    def _one_source(self) -> Self:
        # At most one: a response without either is odd but harmless to read.
        if self.grounding_passage is not None and self.semantic_retriever_chunk is not None:
            raise ValueError(
                "sourceId holds at most one of groundingPassage, semanticRetrieverChunk"
            )
        return self


class GroundingAttribution(WireModel):
    """A source that contributed to an answer, with the supporting text."""

    source_id: AttributionSourceId | None = None
    """Output only. Identifier of the source."""
    content: Content | None = None
    """Grounding source content that makes up this attribution."""
