"""`ragkit ask`, `search`, `chat` and the admin commands, run as a user runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from ragkit.cli import main
from ragkit.cli._common import ExitCode
from ragkit.config import load_settings
from ragkit.render.json import load_schema
from tests.qa.conftest import CORPUS, build_corpus


@pytest.fixture
def corpus() -> Iterator[str]:
    client = load_settings().client()
    build_corpus(client)
    client.close()
    yield CORPUS


def _run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), input=stdin)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def test_ask_prints_a_cited_answer(corpus: str) -> None:
    code, out, _ = _run("ask", "What are the three levels of potential impact?", "--corpus", corpus)
    assert code == ExitCode.OK
    assert "low, moderate and high" in out
    assert "[1] nist/fips199.pdf p.6" in out
    assert "answerable" in out


def test_ask_json_follows_the_published_schema(corpus: str) -> None:
    code, out, _ = _run("ask", "When did the bridge open?", "--corpus", corpus, "--json")
    assert code == ExitCode.OK
    payload = json.loads(out)
    jsonschema.validate(payload, load_schema("answer"))
    assert payload["answered"] is True
    assert "1932" in payload["answer"]
    citation = payload["citations"][0]
    assert {"file", "pages", "quote", "chunk", "score"} <= set(citation)
    assert citation["file"] == "notes/bridge.md"


def test_ask_markdown(corpus: str) -> None:
    code, out, _ = _run("ask", "When did the bridge open?", "--corpus", corpus, "--markdown")
    assert code == ExitCode.OK
    assert "notes/bridge.md" in out
    assert "> " in out


def test_refusal_has_its_own_exit_code_and_is_not_a_crash(corpus: str) -> None:
    code, out, _ = _run("ask", "Who won the 1966 World Cup final?", "--corpus", corpus)
    assert code == ExitCode.REFUSED
    assert "don't answer" in out


def test_refusal_in_json_says_refused(corpus: str) -> None:
    code, out, _ = _run("ask", "Who won the 1966 World Cup final?", "--corpus", corpus, "--json")
    assert code == ExitCode.REFUSED
    payload = json.loads(out)
    assert payload["answered"] is False
    assert payload["nearest"]


def test_where_filters_and_reports_what_the_api_cannot_express(corpus: str) -> None:
    code, out, _ = _run(
        "search", "impact", "--corpus", corpus, "--where", "type=markdown", "--json"
    )
    assert code == ExitCode.OK
    assert {hit["file"] for hit in json.loads(out)["hits"]} == {"notes/bridge.md"}
    code, _, err = _run("ask", "x", "--corpus", corpus, "--where", "title>=abc")
    assert code == ExitCode.ERROR
    assert "cannot order strings" in err


def test_search_prints_a_table_of_hits(corpus: str) -> None:
    code, out, _ = _run("search", "catastrophic adverse effect", "--corpus", corpus)
    assert code == ExitCode.OK
    assert "nist/fips199.pdf" in out
    assert "7" in out


def test_missing_corpus_says_how_to_fix_it() -> None:
    code, _, err = _run("ask", "anything", "--corpus", "nothing-here")
    assert code == ExitCode.ERROR
    assert "ragkit ingest" in err


def test_chat_keeps_history_and_shows_sources(corpus: str) -> None:
    script = "When did the bridge open to traffic?\n/sources\nAnd when was it designed?\n/quit\n"
    code, out, err = _run("chat", "--corpus", corpus, "--style", "extractive", stdin=script)
    assert code == ExitCode.OK
    assert "1932" in out
    assert "[1] notes/bridge.md" in out
    assert "1929" in out
    assert "/sources" in err


def test_corpora_and_docs_administration(corpus: str) -> None:
    code, out, _ = _run("corpora", "list", "--json")
    assert code == ExitCode.OK
    assert CORPUS in {item["name"] for item in json.loads(out)}
    code, out, _ = _run("corpora", "stats", corpus, "--json")
    stats = json.loads(out)
    assert (stats["documents"], stats["chunks"]) == (2, 4)
    code, out, _ = _run("docs", "list", "--corpus", corpus, "--json")
    assert sorted(item["displayName"] for item in json.loads(out)) == [
        "nist/fips199.pdf",
        "notes/bridge.md",
    ]
    code, out, _ = _run("chunks", "list", "bridge", "--corpus", corpus)
    assert code == ExitCode.OK and "1932" in out
    code, out, _ = _run("docs", "get", "bridge", "--corpus", corpus)
    assert json.loads(out)["name"] == f"{CORPUS}/documents/bridge"
    code, _, _ = _run("docs", "delete", "bridge", "--corpus", corpus, "--yes")
    assert code == ExitCode.OK
    code, out, _ = _run("corpora", "stats", corpus, "--json")
    assert json.loads(out)["documents"] == 1


def test_corpora_create_share_and_delete_with_confirmation() -> None:
    code, out, _ = _run("corpora", "create", "team-notes", "--display-name", "Team notes")
    assert (code, out.strip()) == (ExitCode.OK, "created corpora/team-notes")
    code, out, _ = _run("corpora", "share", "team-notes", "--everyone")
    assert code == ExitCode.OK and "EVERYONE" in out
    code, out, _ = _run("corpora", "get", "team-notes")
    assert json.loads(out)["displayName"] == "Team notes"
    code, _, err = _run("corpora", "delete", "team-notes", stdin="n\n")
    assert code == ExitCode.ERROR and "not deleted" in err
    code, _, _ = _run("corpora", "delete", "team-notes", stdin="y\n")
    assert code == ExitCode.OK
    code, out, _ = _run("corpora", "list", "--json")
    assert "corpora/team-notes" not in {item["name"] for item in json.loads(out)}


def test_deleting_a_non_empty_corpus_needs_force(corpus: str) -> None:
    code, _, err = _run("corpora", "delete", corpus, "--yes")
    assert code == ExitCode.ERROR
    assert "FAILED_PRECONDITION" in err
    code, _, _ = _run("corpora", "delete", corpus, "--yes", "--force")
    assert code == ExitCode.OK


def test_config_show_masks_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOOGLE_API_KEY", "AIza-secret-value-1234")
    code, out, _ = _run("config", "show", "--json")
    shown = json.loads(out)
    assert code == ExitCode.OK
    assert shown["api_key"] == {"value": "****1234", "source": "env"}
    assert shown["backend"]["source"] == "preset local"


def test_ask_as_a_subprocess_writes_results_to_stdout_only(
    corpus: str, _isolated_home: Path
) -> None:
    env = {**os.environ, "RAGKIT_HOME": str(_isolated_home), "NO_COLOR": "1"}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "ragkit",
            "ask",
            "When did the bridge open?",
            "--corpus",
            corpus,
            "--json",
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=120,
    )
    assert done.returncode == ExitCode.OK, done.stderr
    assert json.loads(done.stdout)["answered"] is True
