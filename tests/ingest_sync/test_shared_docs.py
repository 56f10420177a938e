"""Ingest the real document set in ../shared/data/docs, hard PDFs included."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.identity import document_id
from ingest.report import Outcome
from tests.ingest_sync.conftest import Engine

# Each hard file that cannot go in, with the start of its reason.
HARD_REASONS = {
    "hard/encrypted_password.pdf": "encrypted: a password is required",
    "hard/huge_image_page.pdf": "no text layer",
    "hard/nounicode_japanese.pdf": "garbled text",
    "hard/scanned_wikipedia_ocr.pdf": "no text layer",
    "hard/truncated_fips199.pdf": "broken PDF",
}


@pytest.mark.slow
@pytest.mark.shared_data
def test_shared_docs_go_in_and_hard_files_say_why(engine: Engine, shared_data: Path) -> None:
    docs = shared_data / "docs"
    report = engine.ingest([docs])
    failed = {r.path: str(r.reason) for r in report.failed}
    assert set(failed) == set(HARD_REASONS)
    for path, start in HARD_REASONS.items():
        assert failed[path].startswith(start), (path, failed[path])
    expected = sorted(str(p.relative_to(docs)) for p in docs.rglob("*") if p.is_file())
    stored = sorted(r.path for r in report.files if r.outcome is Outcome.NEW)
    assert stored == [p for p in expected if p not in HARD_REASONS]
    assert "hard/encrypted_empty_userpw.pdf" in stored
    state = engine.state()
    assert set(state) == {document_id(path) for path in stored}
    chunks = sum(len(chunks) for _, _, chunks in state.values())
    assert chunks == report.to_json()["chunks"]["total"] > 2000
    pages = {dict(meta)["source"]: dict(meta).get("pages") for _, meta, _ in state.values()}
    assert pages["pdf/nist_sp800_57pt1r4.pdf"] == "160.0"

    engine.recorder.clear()
    again = engine.ingest([docs])
    assert again.count(Outcome.UNCHANGED) == len(stored)
    assert engine.recorder.writes() == []
