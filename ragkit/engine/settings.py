"""Settings of the local engine (env prefix ``RAGKIT_ENGINE_``).

Several fields pick a side where the reference is uncertain; each such choice is
listed with its reason in ``docs/engine-choices.md``.

>>> EngineSettings(max_corpora=5).max_corpora
5
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from ragkit.engine.search.embed import DEFAULT_EMBEDDER
from ragkit.paths import ragkit_home
from ragkit.types import limits


class EngineSettings(BaseSettings):
    """How the local engine behaves; every default mirrors the hosted service where known."""

    # hide_input_in_errors: a validation error would otherwise quote generator_api_key.
    model_config = SettingsConfigDict(
        env_prefix="RAGKIT_ENGINE_", extra="forbid", frozen=True, hide_input_in_errors=True
    )

    home: Path | None = Field(
        None, description="Data directory (default: RAGKIT_HOME, else the per-user data dir)."
    )
    max_corpora: int = Field(
        10,
        ge=1,
        description="Corpora one principal may own. The reference says 5 (proto, 2024 docs) "
        "and 10 (2025 discovery); the newer figure is the default.",
    )
    missing_corpus_status: Literal["PERMISSION_DENIED", "NOT_FOUND"] = Field(
        "PERMISSION_DENIED",
        description="Error for a corpus that does not exist (observed: 403 PERMISSION_DENIED, "
        "so callers cannot probe which corpus names exist).",
    )
    strict_filter_keys: bool = Field(
        False,
        description="Reject metadata filter keys without a 'chunk.custom_metadata.' or "
        "'document.custom_metadata.' prefix (400) instead of reading them as chunk keys.",
    )
    embedder: str = Field(
        DEFAULT_EMBEDDER,
        description="Embedder spec for new corpora (see ragkit.engine.search.embed).",
    )
    chunk_ready_delay: float = Field(
        0.0,
        ge=0,
        description="Seconds a created or re-embedded chunk stays STATE_PENDING_PROCESSING "
        "before it becomes STATE_ACTIVE and searchable (tests set > 0).",
    )
    max_documents_per_corpus: int = Field(limits.MAX_DOCUMENTS_PER_CORPUS, ge=1)
    max_chunks_per_corpus: int = Field(limits.MAX_CHUNKS_PER_CORPUS, ge=1)
    accept_gemini_embedding_names: bool = Field(
        False,
        description="Serve embedContent also under 'models/gemini-embedding-001' and "
        "'models/text-embedding-004' (off: their vectors would silently differ from Google's).",
    )

    generator: Literal["none", "openai", "gemini"] = Field(
        "none",
        description="Writes ABSTRACTIVE and VERBOSE answers from the passages: 'openai' (any "
        "OpenAI-compatible chat endpoint) or 'gemini'; 'none' answers with the local "
        "extractive answerer only (no network).",
    )
    generator_url: str | None = Field(
        None,
        description="Base URL: the OpenAI-compatible API root holding /chat/completions "
        "(e.g. http://127.0.0.1:11434/v1); for gemini, Google's API by default.",
    )
    generator_model: str | None = Field(
        None, description="Model name (required for openai; gemini defaults to a Flash model)."
    )
    generator_api_key: SecretStr | None = Field(
        None, description="Key for the generator (Bearer for openai, x-goog-api-key for gemini)."
    )
    generator_timeout: float = Field(
        60.0, gt=0, description="Seconds to wait for the generator before answering 503."
    )

    @model_validator(mode="after")
    def _generator_is_complete(self) -> EngineSettings:
        if self.generator == "openai" and not (self.generator_url and self.generator_model):
            raise ValueError("generator 'openai' needs generator_url and generator_model")
        if self.generator == "gemini" and self.generator_api_key is None:
            raise ValueError("generator 'gemini' needs generator_api_key")
        return self

    def data_dir(self) -> Path:
        """The directory holding the engine database."""
        return (self.home or ragkit_home()).expanduser()
