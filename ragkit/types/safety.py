"""Safety settings and ratings (reference §6.9)."""

from __future__ import annotations

from ragkit.types._base import ProtoEnum, WireModel

__all__ = [
    "HarmBlockThreshold",
    "HarmCategory",
    "HarmProbability",
    "SafetyRating",
    "SafetySetting",
]


class HarmCategory(ProtoEnum):
    """Harm categories. generateAnswer supports HARASSMENT, HATE_SPEECH, SEXUALLY_EXPLICIT
    and DANGEROUS_CONTENT; the first six are PaLM-era values."""

    HARM_CATEGORY_UNSPECIFIED = "HARM_CATEGORY_UNSPECIFIED"
    HARM_CATEGORY_DEROGATORY = "HARM_CATEGORY_DEROGATORY"
    HARM_CATEGORY_TOXICITY = "HARM_CATEGORY_TOXICITY"
    HARM_CATEGORY_VIOLENCE = "HARM_CATEGORY_VIOLENCE"
    HARM_CATEGORY_SEXUAL = "HARM_CATEGORY_SEXUAL"
    HARM_CATEGORY_MEDICAL = "HARM_CATEGORY_MEDICAL"
    HARM_CATEGORY_DANGEROUS = "HARM_CATEGORY_DANGEROUS"
    HARM_CATEGORY_HARASSMENT = "HARM_CATEGORY_HARASSMENT"
    HARM_CATEGORY_HATE_SPEECH = "HARM_CATEGORY_HATE_SPEECH"
    HARM_CATEGORY_SEXUALLY_EXPLICIT = "HARM_CATEGORY_SEXUALLY_EXPLICIT"
    HARM_CATEGORY_DANGEROUS_CONTENT = "HARM_CATEGORY_DANGEROUS_CONTENT"
    HARM_CATEGORY_CIVIC_INTEGRITY = "HARM_CATEGORY_CIVIC_INTEGRITY"
    """Deprecated."""


class HarmBlockThreshold(ProtoEnum):
    """Block at and above a harm probability."""

    HARM_BLOCK_THRESHOLD_UNSPECIFIED = "HARM_BLOCK_THRESHOLD_UNSPECIFIED"
    BLOCK_LOW_AND_ABOVE = "BLOCK_LOW_AND_ABOVE"
    """Allow NEGLIGIBLE only."""
    BLOCK_MEDIUM_AND_ABOVE = "BLOCK_MEDIUM_AND_ABOVE"
    """Allow NEGLIGIBLE and LOW."""
    BLOCK_ONLY_HIGH = "BLOCK_ONLY_HIGH"
    """Allow NEGLIGIBLE, LOW and MEDIUM."""
    BLOCK_NONE = "BLOCK_NONE"
    """Allow everything."""
    OFF = "OFF"
    """Turn the safety filter off."""


class HarmProbability(ProtoEnum):
    """Probability that content is harmful (not its severity)."""

    HARM_PROBABILITY_UNSPECIFIED = "HARM_PROBABILITY_UNSPECIFIED"
    NEGLIGIBLE = "NEGLIGIBLE"
    LOW = "LOW"
    MEDIUM = "MEDIUM"
    HIGH = "HIGH"


class SafetySetting(WireModel):
    """Blocking threshold for one harm category (at most one setting per category)."""

    category: HarmCategory
    """Required. The category this setting applies to."""
    threshold: HarmBlockThreshold
    """Required. The probability threshold at which content is blocked."""


class SafetyRating(WireModel):
    """The probability of harm of a piece of content in one category."""

    category: HarmCategory | None = None
    """Required. The category of this rating."""
    probability: HarmProbability | None = None
    """Required. The probability of harm."""
    blocked: bool | None = None
    """Whether the content was blocked because of this rating."""
