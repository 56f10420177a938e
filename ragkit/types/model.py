"""``models.get`` / ``models.list``: model descriptions (reference §13.1)."""

# ruff: noqa: RUF012  (pydantic copies mutable field defaults per instance; ruff only
# recognises direct BaseModel subclasses, not WireModel ones)

from __future__ import annotations

from typing import ClassVar

from ragkit.types._base import WireModel
from ragkit.types._fields import PageSize

__all__ = ["GetModelRequest", "ListModelsRequest", "ListModelsResponse", "Model"]


class Model(WireModel):
    """A generative or embedding model, e.g. ``models/aqa`` (input 7168, output 1024 tokens)."""

    wire_presence: ClassVar[frozenset[str]] = frozenset(
        {"temperature", "max_temperature", "top_p", "top_k", "thinking"}
    )
    name: str
    """Required. ``models/{model}``."""
    base_model_id: str | None = None
    """Required. Base model name, e.g. ``aqa``."""
    version: str | None = None
    """Required. Major version, e.g. ``001``."""
    display_name: str | None = None
    """Human-readable name."""
    description: str | None = None
    """Short description."""
    input_token_limit: int | None = None
    """Maximum input tokens."""
    output_token_limit: int | None = None
    """Maximum output tokens."""
    supported_generation_methods: list[str] = []
    """Methods the model supports, e.g. ``generateAnswer``."""
    temperature: float | None = None
    """Default temperature."""
    max_temperature: float | None = None
    """Maximum temperature."""
    top_p: float | None = None
    """Default nucleus-sampling mass."""
    top_k: int | None = None
    """Default top-k."""
    thinking: bool | None = None
    """Whether the model supports thinking."""


class GetModelRequest(WireModel):
    """``GET /v1beta/{name=models/*}``."""

    name: str
    """Required. ``models/{model}``."""


class ListModelsRequest(WireModel):
    """``GET /v1beta/models?pageSize=&pageToken=``."""

    page_size: PageSize | None = None
    """Optional. Models per page: default 50, maximum 1000."""
    page_token: str | None = None
    """Optional. ``nextPageToken`` of the previous page."""


class ListModelsResponse(WireModel):
    """A page of models."""

    models: list[Model] = []
    """The models."""
    next_page_token: str | None = None
    """Token of the next page; absent on the last page."""
