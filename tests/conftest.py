"""Shared fixtures: a private RAGKIT_HOME per test and access to ../shared/data."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
FIXTURES = REPO_ROOT / "tests" / "fixtures"
SAMPLE_DOCS = FIXTURES / "docs"
SHARED_DATA = Path(os.environ.get("RAGKIT_SHARED_DATA", REPO_ROOT.parent / "shared" / "data"))

# Variables that would point a test at a real backend or a user's own settings.
_ISOLATED_ENV = ("GOOGLE_API_KEY", "GEMINI_API_KEY", "RAGKIT_BASE_URL", "RAGKIT_API_KEY")


@pytest.fixture(scope="session")
def _session_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache for the whole run: the int8 embedding graph is derived once, not per test."""
    return tmp_path_factory.mktemp("ragkit-cache")


@pytest.fixture(autouse=True)
def _isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch, _session_cache: Path
) -> Iterator[Path]:
    """Every test gets its own data and config directory and no credentials."""
    home = tmp_path_factory.mktemp("ragkit-home")
    monkeypatch.setenv("RAGKIT_HOME", str(home))
    monkeypatch.setenv("RAGKIT_CACHE", str(_session_cache))
    monkeypatch.setenv("RAGKIT_CONFIG_DIR", str(home / "config"))
    for name in _ISOLATED_ENV:
        monkeypatch.delenv(name, raising=False)
    yield home


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """``../shared/data`` beside the checkout; tests that need it skip in a plain clone."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"needs the shared data set at {SHARED_DATA} (not part of a plain clone)")
    return SHARED_DATA


@pytest.fixture
def anyio_backend() -> str:
    """Async tests (``@pytest.mark.anyio``) run on asyncio, the loop Jupyter uses."""
    return "asyncio"
