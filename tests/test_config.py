from __future__ import annotations

from pathlib import Path

import pytest

from ragkit.config import ConfigError, explain_settings, load_settings, preset_names


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _sources(**flags: object) -> dict[str, str]:
    return {item.name: item.source for item in explain_settings(**flags)}


def test_defaults_come_from_the_local_preset(workdir: Path) -> None:
    settings = load_settings()
    assert settings.backend == "local"
    assert settings.threshold == 0.5
    assert settings.temperature == 0.2
    assert _sources()["backend"] == "preset local"


def test_flag_beats_env_beats_file_beats_preset(
    workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (workdir / "ragkit.toml").write_text(
        'corpus = "corpora/from-file"\ntop_k = 7\nmode = "server"\n'
    )
    monkeypatch.setenv("RAGKIT_CORPUS", "corpora/from-env")
    monkeypatch.setenv("RAGKIT_TOP_K", "8")
    settings = load_settings(top_k=3)
    assert (settings.corpus, settings.top_k, settings.mode) == ("corpora/from-env", 3, "server")
    sources = _sources(top_k=3)
    assert sources["top_k"] == "flag"
    assert sources["corpus"] == "env"
    assert sources["mode"].startswith("file ") and sources["mode"].endswith("ragkit.toml")


def test_a_flag_of_none_means_not_given(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RAGKIT_TOP_K", "8")
    assert load_settings(top_k=None).top_k == 8


def test_working_directory_file_wins_over_user_file(workdir: Path, _isolated_home: Path) -> None:
    user_dir = _isolated_home / "config"
    user_dir.mkdir(parents=True)
    (user_dir / "ragkit.toml").write_text('corpus = "corpora/user"\nstyle = "VERBOSE"\n')
    (workdir / "ragkit.toml").write_text('corpus = "corpora/project"\n')
    settings = load_settings()
    assert (settings.corpus, settings.style) == ("corpora/project", "VERBOSE")


def test_google_preset_is_chosen_by_env_and_reads_key_from_google_variables(
    workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RAGKIT_PRESET", "google")
    monkeypatch.setenv("GEMINI_API_KEY", "AIza-test-key-123456")
    settings = load_settings()
    assert settings.backend == "google"
    assert settings.base_url == "https://generativelanguage.googleapis.com"
    assert settings.api_key is not None
    assert settings.api_key.get_secret_value() == "AIza-test-key-123456"


def test_secrets_are_masked_when_explained(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOOGLE_API_KEY", "AIza-very-secret-value-9876")
    shown = {item.name: item.display() for item in explain_settings()}
    assert shown["api_key"] == "****9876"
    assert "secret" not in shown["api_key"]


def test_user_preset_overrides_bundled_one(workdir: Path, _isolated_home: Path) -> None:
    presets = _isolated_home / "config" / "presets"
    presets.mkdir(parents=True)
    (presets / "server.toml").write_text('backend = "server"\nbase_url = "http://127.0.0.1:9999"\n')
    (presets / "team.toml").write_text('backend = "server"\nbase_url = "http://127.0.0.1:7000"\n')
    assert load_settings(preset="server").base_url == "http://127.0.0.1:9999"
    assert load_settings(preset="team").base_url == "http://127.0.0.1:7000"
    assert {"local", "server", "google", "team"} <= set(preset_names())


def test_unknown_preset_names_the_known_ones(workdir: Path) -> None:
    with pytest.raises(ConfigError, match=r"unknown preset 'nope'.*google, local, server"):
        load_settings(preset="nope")


def test_bad_file_is_named_in_the_error(workdir: Path) -> None:
    (workdir / "ragkit.toml").write_text("corpus = \n")
    with pytest.raises(ConfigError, match=r"ragkit\.toml: not valid TOML"):
        load_settings()
    (workdir / "ragkit.toml").write_text('corpuz = "x"\n')
    with pytest.raises(ConfigError, match=r"ragkit\.toml: unknown setting\(s\) corpuz"):
        load_settings()


def test_invalid_value_names_the_field(workdir: Path) -> None:
    with pytest.raises(ConfigError, match=r"threshold"):
        load_settings(threshold=1.5)


def test_non_local_backend_needs_a_base_url(workdir: Path) -> None:
    settings = load_settings(backend="server", base_url=None)
    with pytest.raises(ConfigError, match="needs base_url"):
        settings.model_copy(update={"base_url": None})._client_arguments(asynchronous=False)


def test_a_base_url_over_the_local_preset_means_a_server(
    workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RAGKIT_BASE_URL", "http://127.0.0.1:8765")
    settings = load_settings()
    assert (settings.backend, settings.base_url) == ("server", "http://127.0.0.1:8765")
