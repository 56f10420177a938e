"""`ragkit ingest` as users run it: in-process (CliRunner) and as a real subprocess."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from ragkit.cli import main
from ragkit.cli._common import ExitCode
from ragkit.client import Client
from ragkit.engine import inprocess
from tests.conftest import REPO_ROOT
from tests.ingest_sync.conftest import corpus_state

JSON_KEYS = {
    "corpus",
    "dry_run",
    "counts",
    "chunks",
    "tokens",
    "files",
    "removed",
    "problems",
    "corpus_after",
    "rate_limited",
}
FILE_KEYS = {
    "path",
    "outcome",
    "document",
    "chunks",
    "tokens",
    "uploaded",
    "resumed",
    "reason",
    "warnings",
}


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["ingest", *args])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def _client(home: Path) -> Client:
    return Client(base_url=inprocess.INPROCESS_BASE_URL, transport=inprocess.sync_transport(home))


pytestmark = pytest.mark.usefixtures("fast_engine_env")


def test_ingest_a_folder_then_again(docs: Path) -> None:
    code, out, err = _run(str(docs), "--corpus", "papers")
    assert code == ExitCode.OK, out + err
    assert "corpora/papers" in out
    assert "new" in out and "unchanged" in out  # the summary table's columns
    assert "ingesting 4 file(s)" in err  # progress lines on stderr, not stdout
    code, out, _ = _run(str(docs), "--corpus", "papers", "--json")
    assert code == ExitCode.OK
    payload = json.loads(out)
    assert set(payload) == JSON_KEYS
    assert payload["counts"] == {"new": 0, "replaced": 0, "unchanged": 4, "removed": 0, "failed": 0}
    assert all(set(entry) == FILE_KEYS for entry in payload["files"])
    assert payload["chunks"]["uploaded"] == 0
    assert payload["corpus_after"]["documents"] == 4


def test_modified_file_is_replaced_and_the_others_are_not_touched(
    docs: Path, _isolated_home: Path
) -> None:
    _run(str(docs))

    def update_times() -> dict[str, object]:
        with _client(_isolated_home) as client:
            return {
                str(d.display_name): d.update_time
                for d in client.corpora.documents.list("corpora/ragkit")
            }

    before = update_times()
    with (docs / "pypdf_extract_text.md").open("a", encoding="utf-8") as handle:
        handle.write("\n## Added\n\nA new closing section.\n")
    code, out, _ = _run(str(docs), "--json")
    assert code == ExitCode.OK
    payload = json.loads(out)
    assert payload["counts"]["replaced"] == 1 and payload["counts"]["unchanged"] == 3
    after = update_times()
    changed = [name for name in before if after[name] != before[name]]
    assert changed == ["pypdf_extract_text.md"]


def test_a_missing_corpus_is_created_with_the_flag_as_its_name(
    docs: Path, _isolated_home: Path
) -> None:
    code, _, _ = _run(str(docs / "pep0257.rst"), "--corpus", "corpora/my-notes")
    assert code == ExitCode.OK
    with _client(_isolated_home) as client:
        corpus = client.corpora.get("corpora/my-notes")
    assert corpus.display_name == "my-notes"


def test_hard_files_give_reasons_and_the_partial_exit_code(hard_docs: Path) -> None:
    code, out, _ = _run(str(hard_docs))
    assert code == ExitCode.PARTIAL
    assert "failed    hard/encrypted_password.pdf: encrypted: a password is required" in out
    assert "failed    hard/truncated_fips199.pdf: broken PDF" in out
    code, out, _ = _run(str(hard_docs), "--json")
    payload = json.loads(out)
    assert payload["counts"]["failed"] == 2 and payload["counts"]["unchanged"] == 5


def test_nothing_stored_is_an_error(hard_docs: Path) -> None:
    hard = hard_docs / "hard"
    code, out, _ = _run(str(hard / "encrypted_password.pdf"), str(hard / "truncated_fips199.pdf"))
    assert code == ExitCode.ERROR
    assert out.count("failed    ") == 2


def test_no_files_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8")
    code, _, err = _run(str(tmp_path))
    assert code == ExitCode.ERROR
    assert "no files to ingest" in err


def test_dry_run_prints_the_plan_and_sends_nothing(docs: Path, _isolated_home: Path) -> None:
    code, out, _ = _run(str(docs), "--corpus", "plan", "--dry-run", "--chunk-tokens", "200")
    assert code == ExitCode.OK
    assert "dry run: nothing was sent" in out
    for name in ("nist_fips199.pdf", "pep0257.rst", "pypdf_extract_text.md"):
        assert name in out
    with _client(_isolated_home) as client:
        assert [c.name for c in client.corpora.list()] == []
    code, out, _ = _run(str(docs), "--corpus", "plan", "--dry-run", "--json")
    payload = json.loads(out)
    assert payload["dry_run"] is True and payload["counts"]["new"] == 4
    assert payload["tokens"] > 0 and payload["chunks"]["total"] > 0


def test_include_and_exclude(docs: Path) -> None:
    code, out, _ = _run(str(docs), "--include", "*.pdf", "--include", "*.md", "--json")
    assert code == ExitCode.OK
    paths = [f["path"] for f in json.loads(out)["files"]]
    assert paths == ["nist_fips199.pdf", "pypdf_extract_text.md"]
    code, out, _ = _run(str(docs), "--exclude", "*.pdf", "--json", "--corpus", "other")
    paths = [f["path"] for f in json.loads(out)["files"]]
    assert "nist_fips199.pdf" not in paths and len(paths) == 3


def test_prune_flag(docs: Path) -> None:
    _run(str(docs))
    (docs / "pep0257.rst").unlink()
    code, out, _ = _run(str(docs))
    assert code == ExitCode.OK
    assert "removed   pep0257.rst: kept (pass --prune to delete)" in out
    code, out, _ = _run(str(docs), "--prune", "--json")
    payload = json.loads(out)
    assert payload["counts"]["removed"] == 1
    assert payload["removed"] == [
        {"path": "pep0257.rst", "document": payload["removed"][0]["document"], "deleted": True}
    ]


def test_bad_chunk_sizes_are_usage_errors(docs: Path) -> None:
    code, _, err = _run(str(docs), "--chunk-tokens", "100", "--overlap", "80")
    assert code == ExitCode.USAGE
    assert "overlap must be 0..50" in err


# --- as a subprocess, with the default embedder -----------------------------------------


def _env(home: Path) -> dict[str, str]:
    env = {**os.environ, "RAGKIT_HOME": str(home), "NO_COLOR": "1"}
    env.pop("RAGKIT_ENGINE_EMBEDDER", None)
    return env


def _command(docs: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "ragkit", "ingest", str(docs), "--corpus", "sub", *extra]


def test_subprocess_json_on_stdout_progress_on_stderr(hard_docs: Path, tmp_path: Path) -> None:
    done = subprocess.run(
        _command(hard_docs, "--json"),
        env=_env(tmp_path / "home"),
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == ExitCode.PARTIAL, done.stderr
    payload = json.loads(done.stdout)
    assert payload["counts"]["new"] == 5 and payload["counts"]["failed"] == 2
    assert "new       docs/nist_fips199.pdf (" in done.stderr
    assert "failed    hard/encrypted_password.pdf: encrypted" in done.stderr


def _chunk_count(database: Path) -> int:
    try:
        with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=1) as conn:
            return int(conn.execute("SELECT count(*) FROM chunks").fetchone()[0])
    except sqlite3.Error:  # not created or not migrated yet
        return 0


def _state(home: Path) -> dict[str, Any]:
    try:
        return corpus_state(_client(home), "corpora/sub")
    finally:
        inprocess.close_all()


@pytest.mark.slow
def test_sigkill_mid_ingest_then_rerun_equals_a_clean_run(docs: Path, tmp_path: Path) -> None:
    home = tmp_path / "killed"
    command = _command(docs, "--chunk-tokens", "48", "--overlap", "0")
    process = subprocess.Popen(
        command,
        env=_env(home),
        cwd=REPO_ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 300
    while _chunk_count(home / "engine.sqlite3") == 0:
        assert process.poll() is None, "ingest ended before any chunk was seen"
        assert time.monotonic() < deadline
        time.sleep(0.02)
    process.kill()
    assert process.wait(timeout=60) == -9
    interrupted = _state(home)
    complete = [doc for doc, (_, meta, _) in interrupted.items() if ("complete", "1.0") in meta]
    assert len(complete) < 4  # really interrupted mid-way

    rerun = subprocess.run(
        command, env=_env(home), cwd=REPO_ROOT, capture_output=True, timeout=600, check=False
    )
    assert rerun.returncode == ExitCode.OK, rerun.stderr
    clean_home = tmp_path / "clean"
    clean = subprocess.run(
        command, env=_env(clean_home), cwd=REPO_ROOT, capture_output=True, timeout=600, check=False
    )
    assert clean.returncode == ExitCode.OK, clean.stderr
    resumed, fresh = _state(home), _state(clean_home)
    assert resumed == fresh
    assert len(resumed) == 4
    texts = [text for _, _, chunks in resumed.values() for text, _ in chunks.values()]
    assert len(texts) == sum(len(chunks) for _, _, chunks in fresh.values())


def test_progress_bars_on_a_terminal() -> None:
    import io

    from rich.console import Console

    from ingest.report import FileResult, Outcome
    from ragkit.cli.ingest import _BarProgress, _progress

    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, width=100)
    with _progress(console) as progress:
        assert isinstance(progress, _BarProgress)
        progress.start(2)
        progress.add_chunks(10)
        progress.chunks_done(10)
        progress.file_done(FileResult("a.md", Outcome.NEW, chunks=10))
        progress.file_done(FileResult("b.pdf", Outcome.FAILED, reason="broken PDF: x"))
    shown = buffer.getvalue()
    assert "2/2" in shown and "10/10" in shown
    assert "b.pdf: broken PDF: x" in shown
