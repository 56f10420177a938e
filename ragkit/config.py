"""ragkit's settings, resolved from four layers, highest first.

1. command-line flags (passed to :func:`load_settings` as keyword arguments);
2. the environment: ``RAGKIT_*`` (``RAGKIT_CORPUS``, ``RAGKIT_BASE_URL`` …), and the
   API key also from ``GOOGLE_API_KEY`` or ``GEMINI_API_KEY``;
3. a ``ragkit.toml``: the working directory's first, then the user config directory's
   (``RAGKIT_CONFIG_DIR`` moves that directory);
4. a named preset: ``local`` (the default), ``server`` or ``google`` from ``configs/``,
   or a file ``presets/NAME.toml`` in the user config directory, which wins over the
   bundled one of the same name.

Every field falls back to its default. :func:`explain_settings` says which layer gave
each value; ``ragkit config show`` prints it with secrets masked.

Example::

    settings = load_settings(corpus="corpora/papers")
    client = settings.client()
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from platformdirs import user_config_dir
from pydantic import AliasChoices, Field, SecretStr, ValidationError, model_validator
from pydantic_settings import BaseSettings, EnvSettingsSource, SettingsConfigDict

if TYPE_CHECKING:
    from ragkit.client import AsyncClient, Client

CONFIG_DIR_ENV = "RAGKIT_CONFIG_DIR"
CONFIG_FILE_NAME = "ragkit.toml"
DEFAULT_PRESET = "local"
_SECRET_FIELDS = frozenset({"api_key", "access_token"})

Backend = Literal["local", "server", "google"]
QueryMode = Literal["inline", "server"]
AnswerStyleName = Literal["ABSTRACTIVE", "EXTRACTIVE", "VERBOSE"]


class ConfigError(ValueError):
    """A settings file, preset or value is invalid; the message names which."""


class Settings(BaseSettings):
    """Everything a ragkit command needs to know, with the reason for each default."""

    model_config = SettingsConfigDict(env_prefix="RAGKIT_", extra="forbid")

    preset: str = Field(DEFAULT_PRESET, description="Named preset the other values start from.")
    backend: Backend = Field(
        "local",
        description="local: the embedded engine in this process; server: a `ragkit serve` "
        "over HTTP; google: Google's hosted Semantic Retriever.",
    )
    base_url: str | None = Field(
        None, description="API host for the server and google backends (no /v1beta suffix)."
    )
    api_key: SecretStr | None = Field(
        None,
        validation_alias=AliasChoices(
            "api_key", "RAGKIT_API_KEY", "GOOGLE_API_KEY", "GEMINI_API_KEY"
        ),
        description="API key sent as x-goog-api-key.",
    )
    access_token: SecretStr | None = Field(
        None, description="OAuth access token sent as a Bearer token (Google's corpora need it)."
    )
    home: Path | None = Field(
        None, description="Data directory of the local engine (default: the per-user data dir)."
    )
    corpus: str = Field(
        "corpora/ragkit",
        description="Corpus that ingest, ask, search and chat use when none is given.",
    )
    mode: QueryMode = Field(
        "inline",
        description="inline: corpora:query, then generateAnswer over those passages (every "
        "citation maps to a chunk we fetched); server: generateAnswer retrieves by itself.",
    )
    style: AnswerStyleName = Field(
        "ABSTRACTIVE", description="Answer style: ABSTRACTIVE (short), EXTRACTIVE, VERBOSE."
    )
    top_k: int = Field(
        10,
        ge=1,
        le=100,
        description="Passages given to the answerer; Google suggests about 10 for AQA.",
    )
    min_score: float | None = Field(
        None, ge=0.0, le=1.0, description="Drop passages whose relevance score is below this."
    )
    threshold: float = Field(
        0.5,
        ge=0.0,
        le=1.0,
        description="Refuse when answerableProbability is at or below this (Google's advice).",
    )
    temperature: float = Field(
        0.2, ge=0.0, le=1.0, description="AQA temperature; 0.2 is models/aqa's default."
    )
    chunk_tokens: int = Field(
        300, ge=16, le=2000, description="Target chunk size: Google advises ~300 tokens for AQA."
    )
    overlap_tokens: int = Field(50, ge=0, description="Tokens shared by neighbouring chunks.")
    concurrency: int = Field(4, ge=1, le=64, description="Upload requests in flight at once.")
    timeout: float = Field(60.0, gt=0, description="Seconds per request (Google's default).")
    max_retries: int = Field(
        4, ge=0, le=20, description="Retries of a failed request (5 attempts, as Google's own)."
    )

    @model_validator(mode="after")
    def _base_url_means_a_server(self) -> Settings:
        # RAGKIT_BASE_URL or --base-url on top of the local preset means "talk to that
        # server": the local backend has no URL, so keeping it would ignore the user.
        if self.backend == "local" and self.base_url:
            self.backend = "server"
        return self

    def client(self, **extra: Any) -> Client:
        """A synchronous client for this configuration's backend.

        ``extra`` goes to :class:`ragkit.client.Client` as is, e.g. ``default_headers``
        or ``event_hooks``.
        """
        from ragkit.client import Client

        return Client(**self._client_arguments(asynchronous=False), **extra)

    def async_client(self, **extra: Any) -> AsyncClient:
        """An asynchronous client for this configuration's backend (``extra`` as above)."""
        from ragkit.client import AsyncClient

        return AsyncClient(**self._client_arguments(asynchronous=True), **extra)

    def _client_arguments(self, *, asynchronous: bool) -> dict[str, Any]:
        arguments: dict[str, Any] = {"timeout": self.timeout, "max_retries": self.max_retries}
        if self.backend == "local":
            # Explicit in-process transport: a GOOGLE_API_KEY in the environment must not
            # silently move a local user to Google.
            from ragkit.engine.inprocess import INPROCESS_BASE_URL, async_transport, sync_transport

            make = async_transport if asynchronous else sync_transport
            arguments.update(base_url=INPROCESS_BASE_URL, transport=make(self.home))
            return arguments
        if not self.base_url:
            raise ConfigError(f"backend {self.backend!r} needs base_url (RAGKIT_BASE_URL)")
        arguments["base_url"] = self.base_url
        if self.api_key is not None:
            arguments["api_key"] = self.api_key.get_secret_value()
        if self.access_token is not None:
            arguments["access_token"] = self.access_token.get_secret_value()
        return arguments


@dataclass(frozen=True)
class ResolvedValue:
    """One setting, its value and the layer it came from."""

    name: str
    value: Any
    source: str

    @property
    def secret(self) -> bool:
        """Whether the value is a credential that must never be printed in full."""
        return self.name in _SECRET_FIELDS

    def display(self) -> str:
        """The value as ``config show`` prints it, with secrets masked."""
        if self.value is None:
            return ""
        if self.secret:
            raw = (
                self.value.get_secret_value()
                if isinstance(self.value, SecretStr)
                else str(self.value)
            )
            return f"****{raw[-4:]}" if len(raw) > 12 else "****"
        return str(self.value)


def user_config_path() -> Path:
    """The user's config directory (``$RAGKIT_CONFIG_DIR`` or the platform default)."""
    configured = os.environ.get(CONFIG_DIR_ENV)
    return Path(configured).expanduser() if configured else Path(user_config_dir("ragkit"))


def config_files() -> list[Path]:
    """The ``ragkit.toml`` files that exist, highest priority first."""
    candidates = [Path.cwd() / CONFIG_FILE_NAME, user_config_path() / CONFIG_FILE_NAME]
    return [path for path in candidates if path.is_file()]


def preset_names() -> list[str]:
    """Every preset a user can name: bundled ones and those in the user directory."""
    bundled = {
        entry.name.removesuffix(".toml")
        for entry in _bundled_presets().iterdir()
        if entry.name.endswith(".toml")
    }
    user_dir = user_config_path() / "presets"
    user = {path.stem for path in user_dir.glob("*.toml")} if user_dir.is_dir() else set()
    return sorted(bundled | user)


def load_settings(**flags: Any) -> Settings:
    """Resolve the settings; ``flags`` are command-line values (``None`` means not given)."""
    merged = {item.name: item.value for item in explain_settings(**flags) if item.source}
    try:
        return Settings.model_validate(merged)
    except ValidationError as error:
        raise ConfigError(_describe(error)) from error


def explain_settings(**flags: Any) -> list[ResolvedValue]:
    """Each field with its resolved (unvalidated) value and where it came from."""
    layers = _layers({key: value for key, value in flags.items() if value is not None})
    resolved = []
    for name, field in Settings.model_fields.items():
        for source, values in layers:
            if name in values:
                resolved.append(ResolvedValue(name, values[name], source))
                break
        else:
            resolved.append(ResolvedValue(name, field.default, ""))
    return resolved


def _layers(flags: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    environment = {
        key: value
        for key, value in EnvSettingsSource(Settings)().items()
        if key in Settings.model_fields
    }
    files = [(f"file {path}", _read_toml(path)) for path in config_files()]
    layers = [("flag", flags), ("env", environment), *files]
    preset = next((values["preset"] for _, values in layers if "preset" in values), None)
    name = str(preset or DEFAULT_PRESET)
    layers.append((f"preset {name}", _load_preset(name)))
    return layers


def _load_preset(name: str) -> dict[str, Any]:
    user_file = user_config_path() / "presets" / f"{name}.toml"
    if user_file.is_file():
        return _read_toml(user_file)
    bundled = _bundled_presets() / f"{name}.toml"
    if not bundled.is_file():
        raise ConfigError(f"unknown preset {name!r}; known presets: {', '.join(preset_names())}")
    return _parse_toml(bundled.read_text(encoding="utf-8"), f"preset {name}")


def _bundled_presets() -> Any:
    return resources.files("ragkit.configs")


def _read_toml(path: Path) -> dict[str, Any]:
    return _parse_toml(path.read_text(encoding="utf-8"), str(path))


def _parse_toml(text: str, where: str) -> dict[str, Any]:
    try:
        values = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{where}: not valid TOML: {error}") from error
    unknown = sorted(set(values) - set(Settings.model_fields))
    if unknown:
        raise ConfigError(f"{where}: unknown setting(s) {', '.join(unknown)}")
    return values


def _describe(error: ValidationError) -> str:
    problems = [
        f"{'.'.join(str(part) for part in item['loc'])}: {item['msg']}" for item in error.errors()
    ]
    return "invalid settings: " + "; ".join(problems)
