"""ingest() against the real engine: what is stored, what is sent, and what is kept."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from ingest.identity import document_id, generation_of
from ingest.pipeline import IngestError
from ingest.plan import Chunking, Limits
from ingest.report import Outcome
from ragkit import docmeta
from tests.ingest_sync.conftest import Engine

DOC_KEYS = {
    "source",
    "title",
    "sha256",
    "bytes",
    "mtime",
    "type",
    "chunks",
    "tokens",
    "chunk_tokens",
    "overlap_tokens",
    "ingest_version",
    "complete",
}


def _paths(report_files: list[dict[str, object]]) -> dict[str, str]:
    return {str(f["path"]): str(f["outcome"]) for f in report_files}


def test_a_folder_goes_in_with_its_metadata(engine: Engine, docs: Path) -> None:
    report = engine.ingest([docs])
    assert report.count(Outcome.NEW) == 4 and not report.failed
    state = engine.state()
    assert set(state) == {document_id(name) for name in _names(docs)}
    pdf = state[document_id("nist_fips199.pdf")]
    display, metadata, chunks = pdf
    assert display == "nist_fips199.pdf"
    values = dict(metadata)
    assert {key for key, _ in metadata} == DOC_KEYS | {"pages"}
    assert values["source"] == "nist_fips199.pdf"
    assert values["type"] == "pdf" and values["pages"] == "13.0"
    assert values["complete"] == "1.0"
    assert float(values["chunks"]) == len(chunks) > 5
    # Chunks: deterministic IDs of one generation, index and pages on each.
    assert len({generation_of(cid) for cid in chunks}) == 1
    indexes = sorted(int(dict(meta)["index"]) for _, meta in chunks.values())
    assert indexes == list(range(len(chunks)))
    assert all("page" in dict(meta) and "page_last" in dict(meta) for _, meta in chunks.values())
    html = state[document_id("v8_blog_wasm_standalone.html")]
    assert "pages" not in dict(html[1])
    assert any("section" in dict(meta) for _, meta in html[2].values())


def _names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_reingesting_an_unchanged_folder_sends_nothing(engine: Engine, docs: Path) -> None:
    engine.ingest([docs])
    before = engine.state()
    engine.recorder.clear()
    report = engine.ingest([docs])
    assert report.count(Outcome.UNCHANGED) == 4
    assert engine.recorder.writes() == []
    # One corpus lookup and one document listing page: no chunk is even listed.
    assert all("/chunks" not in path for _, path in engine.recorder.calls)
    assert engine.state() == before
    assert report.to_json()["chunks"]["uploaded"] == 0


def test_a_modified_file_is_replaced_and_nothing_else_is_touched(
    engine: Engine, docs: Path
) -> None:
    engine.ingest([docs])
    before = engine.state()
    with (docs / "pep0257.rst").open("a", encoding="utf-8") as handle:
        handle.write("\nA closing paragraph that was added later on.\n")
    engine.recorder.clear()
    report = engine.ingest([docs])
    outcomes = _paths(report.to_json()["files"])
    assert outcomes["pep0257.rst"] == "replaced"
    assert list(outcomes.values()).count("unchanged") == 3
    changed = document_id("pep0257.rst")
    assert {path for _, path in engine.recorder.writes()} <= {
        f"/v1beta/corpora/test/documents/{changed}",
        f"/v1beta/corpora/test/documents/{changed}/chunks:batchCreate",
        f"/v1beta/corpora/test/documents/{changed}/chunks:batchDelete",
    }
    after = engine.state()
    assert {k: v for k, v in after.items() if k != changed} == {
        k: v for k, v in before.items() if k != changed
    }
    _, metadata, chunks = after[changed]
    assert len({generation_of(cid) for cid in chunks}) == 1  # old version gone
    assert any("added later on" in text for text, _ in chunks.values())
    assert "pending" not in dict(metadata)


def test_a_removed_file_is_pruned_only_with_prune(engine: Engine, docs: Path) -> None:
    engine.ingest([docs])
    (docs / "pypdf_extract_text.md").unlink()
    gone = document_id("pypdf_extract_text.md")
    report = engine.ingest([docs])
    assert gone in engine.state()
    assert [(r.path, r.deleted) for r in report.removed] == [("pypdf_extract_text.md", False)]
    report = engine.ingest([docs], prune=True)
    assert gone not in engine.state()
    assert report.counts()["removed"] == 1
    assert len(engine.state()) == 3


def test_prune_leaves_documents_ingest_did_not_make(engine: Engine, docs: Path) -> None:
    engine.ingest([docs])
    with engine.client() as client:
        client.corpora.documents.create("test", name="handmade", display_name="mine")
    report = engine.ingest([docs], prune=True)
    assert report.removed == []
    assert "handmade" in engine.state()


def test_prune_refuses_when_nothing_was_found(engine: Engine, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(IngestError, match="refusing to --prune"):
        engine.ingest([empty], prune=True)


def test_new_chunk_size_rechunks_every_document(engine: Engine, docs: Path) -> None:
    engine.ingest([docs])
    before = engine.state()
    report = engine.ingest([docs], chunking=Chunking(120, 20))
    assert report.count(Outcome.REPLACED) == 4
    after = engine.state()
    for key, (_, metadata, chunks) in after.items():
        assert dict(metadata)["chunk_tokens"] == "120.0"
        assert len(chunks) > len(before[key][2])
        assert len({generation_of(cid) for cid in chunks}) == 1


def test_hard_files_each_get_a_reason_and_the_rest_go_in(engine: Engine, hard_docs: Path) -> None:
    report = engine.ingest([hard_docs])
    reasons = {r.path: r.reason for r in report.failed}
    assert reasons == {
        "hard/encrypted_password.pdf": "encrypted: a password is required",
        "hard/truncated_fips199.pdf": reasons["hard/truncated_fips199.pdf"],
    }
    assert str(reasons["hard/truncated_fips199.pdf"]).startswith("broken PDF")
    assert report.stored == 5  # four samples and the PDF with an empty user password
    stored = engine.state()
    assert document_id("hard/encrypted_empty_userpw.pdf") in stored
    assert document_id("hard/encrypted_password.pdf") not in stored


def test_a_file_that_breaks_keeps_its_previous_version(engine: Engine, docs: Path) -> None:
    engine.ingest([docs])
    before = engine.state()[document_id("nist_fips199.pdf")]
    (docs / "nist_fips199.pdf").write_bytes((docs / "nist_fips199.pdf").read_bytes()[:30_000])
    report = engine.ingest([docs])
    assert [r.path for r in report.failed] == ["nist_fips199.pdf"]
    assert engine.state()[document_id("nist_fips199.pdf")] == before


def test_an_upload_error_keeps_the_previous_version(engine: Engine, docs: Path) -> None:
    engine.ingest([docs])
    before = engine.state()
    (docs / "pep0257.rst").write_text("Docstrings\n==========\n\nAll new text.\n")

    def refuse(request: httpx.Request) -> httpx.Response | None:
        if request.url.path.endswith(":batchCreate"):
            body = {"error": {"code": 500, "status": "INTERNAL", "message": "disk full"}}
            return httpx.Response(500, content=json.dumps(body))
        return None

    engine.recorder.hook = refuse
    report = engine.ingest([docs], max_retries=0)
    assert [(r.path, r.reason) for r in report.failed] == [("pep0257.rst", "INTERNAL: disk full")]
    engine.recorder.hook = None
    changed = document_id("pep0257.rst")
    _, metadata, chunks = engine.state()[changed]
    assert chunks == before[changed][2]  # the old chunks still answer queries
    assert "pending" in dict(metadata)
    # The next run finishes the swap.
    report = engine.ingest([docs])
    assert [r.path for r in report.files if r.outcome is Outcome.REPLACED] == ["pep0257.rst"]
    _, metadata, chunks = engine.state()[changed]
    assert [text for text, _ in chunks.values()] == ["Docstrings\n\nAll new text."]
    assert "pending" not in dict(metadata)


def test_an_interrupted_run_is_finished_without_duplicates(
    engine: Engine, docs: Path, tmp_path: Path
) -> None:
    # Every document's second batch fails: long documents are left half stored.
    batches: dict[str, int] = {}

    def second_batch_fails(request: httpx.Request) -> httpx.Response | None:
        path = request.url.path
        if path.endswith(":batchCreate"):
            batches[path] = batches.get(path, 0) + 1
            if batches[path] == 2:
                body = {"error": {"code": 503, "status": "UNAVAILABLE", "message": "gone"}}
                return httpx.Response(503, content=json.dumps(body))
        return None

    small = Chunking(48, 0)
    engine.recorder.hook = second_batch_fails
    first = engine.ingest([docs], chunking=small, max_retries=0)
    assert first.failed
    half = engine.state()[document_id("nist_fips199.pdf")]
    assert "complete" not in dict(half[1]) and len(half[2]) == 100
    engine.recorder.hook = None
    second = engine.ingest([docs], chunking=small)
    assert not second.failed
    assert any(r.resumed for r in second.files)
    assert second.reused >= 100  # what was stored was kept, not sent again
    assert engine.state() == _clean_state(docs, tmp_path, small)


def _clean_state(docs: Path, tmp_path: Path, chunking: Chunking) -> dict[str, object]:
    from ragkit.engine import inprocess
    from ragkit.engine.settings import EngineSettings
    from tests.ingest_sync.conftest import EMBEDDER, Recorder

    settings = EngineSettings(home=tmp_path / "clean", embedder=EMBEDDER)
    clean = Engine(settings, Recorder(inprocess.async_transport(settings=settings)))
    clean.ingest([docs], chunking=chunking)
    return clean.state()


def test_dry_run_sends_nothing_and_reports_broken_limits(engine: Engine, docs: Path) -> None:
    engine.ingest([docs], include=("*.md",))
    engine.recorder.clear()
    limits = Limits(max_documents=2)
    report = engine.ingest([docs], dry_run=True, limits=limits)
    assert engine.recorder.writes() == []
    payload = report.to_json()
    assert payload["dry_run"] is True
    outcomes = _paths(payload["files"])
    assert outcomes["pypdf_extract_text.md"] == "unchanged"
    # Two documents at most: the first new file fits, the next ones would not.
    failed = {r.path: r.reason for r in report.failed}
    assert any("exceed 2 documents" in str(reason) for reason in failed.values())
    assert report.problems and all(":" in problem for problem in report.problems)
    for entry in payload["files"]:
        if entry["outcome"] != "unchanged":
            assert entry["chunks"] > 0 and entry["tokens"] > 0
    assert len(engine.state()) == 1


def test_dry_run_flags_chunk_and_metadata_limits(engine: Engine, docs: Path) -> None:
    limits = Limits(max_chunk_tokens=100, max_metadata_entries=5)
    report = engine.ingest([docs], dry_run=True, limits=limits, chunking=Chunking(300, 0))
    reasons = [str(r.reason) for r in report.failed]
    assert len(reasons) == 4
    assert all("over 100 tokens" in reason for reason in reasons)
    assert all("metadata entries, over the limit of 5" in reason for reason in reasons)
    # The corpus did not exist and still does not.
    with engine.client() as client, pytest.raises(Exception, match="corpora/test"):
        client.corpora.get("test")


def test_dry_run_flags_the_corpus_chunk_limit(engine: Engine, docs: Path) -> None:
    report = engine.ingest([docs], dry_run=True, limits=Limits(max_chunks=40))
    failed = {r.path: str(r.reason) for r in report.failed}
    assert failed and all("exceed 40 chunks" in reason for reason in failed.values())
    assert report.chunks_after <= 40
    assert any("exceed 40 chunks" in problem for problem in report.problems)


def test_a_full_corpus_refuses_new_documents_but_not_changes(engine: Engine, docs: Path) -> None:
    engine.ingest([docs], exclude=("*.html",))
    (docs / "pep0257.rst").write_text("Title\n=====\n\nNew body.\n")
    report = engine.ingest([docs], limits=Limits(max_documents=3))
    outcomes = {r.path: (r.outcome, r.reason) for r in report.files}
    assert outcomes["pep0257.rst"][0] is Outcome.REPLACED
    assert outcomes["v8_blog_wasm_standalone.html"][0] is Outcome.FAILED
    assert "exceed 3 documents" in str(outcomes["v8_blog_wasm_standalone.html"][1])


def test_rate_limits_slow_the_run_down_and_everything_is_stored(engine: Engine, docs: Path) -> None:
    limited = 0

    def throttle(request: httpx.Request) -> httpx.Response | None:
        nonlocal limited
        if request.url.path.endswith(":batchCreate") and limited < 3:
            limited += 1
            body = {"error": {"code": 429, "status": "RESOURCE_EXHAUSTED", "message": "slow"}}
            return httpx.Response(429, headers={"Retry-After": "0"}, content=json.dumps(body))
        return None

    engine.recorder.hook = throttle
    report = engine.ingest([docs])
    assert not report.failed
    assert report.rate_limited == 3
    assert report.to_json()["rate_limited"] == 3
    engine.recorder.hook = None
    assert all(dict(meta)["complete"] == "1.0" for _, meta, _ in engine.state().values())


def test_documents_keep_the_corpus_metadata_limits(engine: Engine, docs: Path) -> None:
    engine.ingest([docs])
    for _, metadata, chunks in engine.state().values():
        assert len(metadata) <= 20
        assert all(len(value) <= 256 for _, value in metadata)
        assert all(len(meta) <= 20 for _, meta in chunks.values())
    assert len(docmeta.DOCUMENT_KEYS) <= 20
