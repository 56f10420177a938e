"""Settings of the local engine (env prefix ``RAGKIT_ENGINE_``).

Several fields pick a side where the reference is uncertain; each such choice is
listed with its reason in ``docs/engine-choices.md``.

>>> EngineSettings(max_corpora=5).max_corpora
5
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from ragkit.paths import ragkit_home
from ragkit.types import limits


class EngineSettings(BaseSettings):
    """How the local engine behaves; every default mirrors the hosted service where known."""

    model_config = SettingsConfigDict(env_prefix="RAGKIT_ENGINE_", extra="forbid", frozen=True)

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
        "minilm", description="Embedder spec for new corpora (see ragkit.engine.search.embed)."
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

    def data_dir(self) -> Path:
        """The directory holding the engine database."""
        return (self.home or ragkit_home()).expanduser()
