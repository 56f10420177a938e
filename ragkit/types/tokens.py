"""``models.countTokens`` (reference §13.4)."""

# ruff: noqa: RUF012  (pydantic copies mutable field defaults per instance; ruff only
# recognises direct BaseModel subclasses, not WireModel ones)

from __future__ import annotations

from typing import Self

from pydantic import model_validator

from ragkit.types._base import WireModel
from ragkit.types.content import Content
from ragkit.types.generate_content import GenerateContentRequest, ModalityTokenCount

__all__ = ["CountTokensRequest", "CountTokensResponse"]


class CountTokensRequest(WireModel):
    """``POST /v1beta/{model=models/*}:countTokens``: ``contents`` or a whole
    ``generate_content_request``, never both."""

    model: str | None = None
    """The model (bound from the URL)."""
    contents: list[Content] = []
    """Optional. The prompt."""
    generate_content_request: GenerateContentRequest | None = None
    """Optional. A whole generateContent request (prompt, system instruction, tools)."""

    @model_validator(mode="after")
    def _not_both(self) -> Self:
        if self.contents and self.generate_content_request is not None:
            raise ValueError("set contents or generateContentRequest, never both")
        return self


class CountTokensResponse(WireModel):
    """The model's token count of the prompt."""

    total_tokens: int = 0
    """Tokens the model splits the prompt into."""
    cached_content_token_count: int = 0
    """Tokens in the cached part of the prompt."""
    prompt_tokens_details: list[ModalityTokenCount] = []
    """Output only. Per-modality tokens of the input."""
    cache_tokens_details: list[ModalityTokenCount] = []
    """Output only. Per-modality tokens of the cached content."""
