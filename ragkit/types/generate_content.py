"""``models.generateContent``: free generation, the fallback when AQA cannot answer (§13.5).

Tools, tool config and generation config are modelled in part and kept open: their schemas
grow with every model release and ragkit only needs the common fields.
"""

# ruff: noqa: RUF012  (pydantic copies mutable field defaults per instance; ruff only
# recognises direct BaseModel subclasses, not WireModel ones)

from __future__ import annotations

from typing import Any, ClassVar

from ragkit.types._base import ProtoEnum, WireModel
from ragkit.types.candidate import Candidate
from ragkit.types.content import Content
from ragkit.types.safety import SafetyRating, SafetySetting

__all__ = [
    "GenerateContentRequest",
    "GenerateContentResponse",
    "GenerationConfig",
    "Modality",
    "ModalityTokenCount",
    "PromptBlockReason",
    "PromptFeedback",
    "Tool",
    "ToolConfig",
    "UsageMetadata",
]


class Modality(ProtoEnum):
    """Content modality."""

    MODALITY_UNSPECIFIED = "MODALITY_UNSPECIFIED"
    TEXT = "TEXT"
    IMAGE = "IMAGE"
    VIDEO = "VIDEO"
    AUDIO = "AUDIO"
    DOCUMENT = "DOCUMENT"


class ModalityTokenCount(WireModel):
    """Tokens of one modality."""

    modality: Modality | None = None
    token_count: int = 0


class GenerationConfig(WireModel):
    """Generation options (open: only the common fields are typed)."""

    wire_open: ClassVar[bool] = True
    wire_presence: ClassVar[frozenset[str]] = frozenset(
        {
            "candidate_count",
            "max_output_tokens",
            "temperature",
            "top_p",
            "top_k",
            "seed",
            "presence_penalty",
            "frequency_penalty",
            "response_logprobs",
            "logprobs",
        }
    )
    stop_sequences: list[str] = []
    """Optional. Up to 5 sequences that stop generation."""
    candidate_count: int | None = None
    """Optional. Number of candidates to return."""
    max_output_tokens: int | None = None
    """Optional. Maximum tokens in a candidate."""
    temperature: float | None = None
    """Optional. Randomness, in [0, 2]."""
    top_p: float | None = None
    """Optional. Nucleus-sampling probability mass."""
    top_k: int | None = None
    """Optional. Top-k sampling."""
    seed: int | None = None
    """Optional. Decoding seed."""
    response_mime_type: str | None = None
    """Optional. ``text/plain`` (default), ``application/json`` or ``text/x.enum``."""
    response_schema: dict[str, Any] | None = None
    """Optional. OpenAPI-subset schema of a JSON response."""
    presence_penalty: float | None = None
    frequency_penalty: float | None = None
    response_logprobs: bool | None = None
    logprobs: int | None = None
    response_modalities: list[Modality] = []
    """Optional. Modalities the response may contain."""
    thinking_config: dict[str, Any] | None = None
    """Optional. Thinking budget etc. for thinking models."""


class Tool(WireModel):
    """A tool the model may use (open: function declarations, search, code execution,
    url context, file search, maps, ...)."""

    wire_open: ClassVar[bool] = True
    function_declarations: list[dict[str, Any]] = []
    """Functions the model may call."""
    google_search: dict[str, Any] | None = None
    """Google Search grounding."""
    google_search_retrieval: dict[str, Any] | None = None
    """Legacy Google Search retrieval."""
    code_execution: dict[str, Any] | None = None
    """Code execution."""
    url_context: dict[str, Any] | None = None
    """URL context retrieval."""
    file_search: dict[str, Any] | None = None
    """File Search over ``fileSearchStores`` (the corpora successor)."""


class ToolConfig(WireModel):
    """Tool-use configuration (open)."""

    wire_open: ClassVar[bool] = True
    function_calling_config: dict[str, Any] | None = None
    """Mode (AUTO, ANY, NONE, VALIDATED) and allowed function names."""


class GenerateContentRequest(WireModel):
    """``POST /v1beta/{model=models/*}:generateContent`` (and ``:streamGenerateContent``)."""

    model: str | None = None
    """The model (bound from the URL)."""
    contents: list[Content]
    """Required. The conversation so far, ending with the prompt."""
    system_instruction: Content | None = None
    """Optional. System instructions (text only)."""
    tools: list[Tool] = []
    """Optional. Tools the model may use."""
    tool_config: ToolConfig | None = None
    """Optional. Tool configuration."""
    safety_settings: list[SafetySetting] = []
    """Optional. At most one setting per category."""
    generation_config: GenerationConfig | None = None
    """Optional. Generation options."""
    cached_content: str | None = None
    """Optional. ``cachedContents/{id}`` to use as context."""


class PromptBlockReason(ProtoEnum):
    """Why a prompt was blocked (generateContent)."""

    BLOCK_REASON_UNSPECIFIED = "BLOCK_REASON_UNSPECIFIED"
    SAFETY = "SAFETY"
    OTHER = "OTHER"
    BLOCKLIST = "BLOCKLIST"
    PROHIBITED_CONTENT = "PROHIBITED_CONTENT"
    IMAGE_SAFETY = "IMAGE_SAFETY"


class PromptFeedback(WireModel):
    """Content-filter feedback on the prompt."""

    block_reason: PromptBlockReason | None = None
    """Optional. If set, the prompt was blocked and no candidates are returned."""
    safety_ratings: list[SafetyRating] = []
    """Ratings for the safety of the prompt."""


class UsageMetadata(WireModel):
    """Token usage of a generation request."""

    prompt_token_count: int = 0
    """Tokens in the prompt (including cached content)."""
    cached_content_token_count: int = 0
    """Tokens in the cached part of the prompt."""
    candidates_token_count: int = 0
    """Tokens in all candidates."""
    tool_use_prompt_token_count: int = 0
    """Tokens in tool-use prompts."""
    thoughts_token_count: int = 0
    """Tokens of thoughts (thinking models)."""
    total_token_count: int = 0
    """Prompt plus candidates."""
    prompt_tokens_details: list[ModalityTokenCount] = []
    cache_tokens_details: list[ModalityTokenCount] = []
    candidates_tokens_details: list[ModalityTokenCount] = []
    tool_use_prompt_tokens_details: list[ModalityTokenCount] = []


class GenerateContentResponse(WireModel):
    """Candidates, prompt feedback and usage; one chunk of a stream has the same shape."""

    candidates: list[Candidate] = []
    """Candidate responses (none if the prompt was blocked)."""
    prompt_feedback: PromptFeedback | None = None
    """Feedback on the prompt."""
    usage_metadata: UsageMetadata | None = None
    """Output only. Token usage."""
    model_version: str | None = None
    """Output only. Model version that produced the response."""
    response_id: str | None = None
    """Output only. ID of this response."""

    @property
    def text(self) -> str:
        """Text of the first candidate (``""`` if there is none)."""
        return self.candidates[0].text if self.candidates else ""
