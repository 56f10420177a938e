"""BEIR ingestion through the API: IDs, chunking, reuse, resume, and what is refused."""

from __future__ import annotations

import json
from pathlib import Path

import anyio
import pytest

from ragkit.client import Client
from ragkit.config import Settings
from ragkit.eval.beir_corpus import (
    MARKER_ID,
    IngestSummary,
    beir_chunks,
    default_corpus_name,
    document_id_for,
    ingest_beir,
    slug_id,
)
from ragkit.eval.datasets import BeirDataset, CorpusDoc, DatasetError
from ragkit.tokens import count_tokens
from ragkit.types.names import is_valid_id
from tests.eval_cli.conftest import BEIR_DOCS, write_beir

CORPUS = "corpora/beir-test"


def _ingest(settings: Settings, root: Path, corpus: str = CORPUS, **kwargs: int) -> IngestSummary:
    async def run() -> IngestSummary:
        async with settings.async_client() as client:
            return await ingest_beir(BeirDataset.open(root), corpus, client=client, **kwargs)

    return anyio.run(run)


@pytest.mark.parametrize(
    "beir_id",
    ["4983", "MED_10", "Doc 7", "-leading", "x" * 60, "ÄÖÜ", "ragkit-eval-complete", "a" * 40],
)
def test_document_ids_are_valid_and_keep_valid_ids(beir_id: str) -> None:
    derived = document_id_for(beir_id)
    assert is_valid_id(derived)
    assert derived != MARKER_ID
    if is_valid_id(beir_id) and beir_id != MARKER_ID:
        assert derived == beir_id


def test_ids_that_slug_alike_stay_apart() -> None:
    assert document_id_for("MED_10") != document_id_for("med-10-") != document_id_for("MED 10")
    assert document_id_for("MED_10") != document_id_for("MED-10")


def test_default_corpus_name_comes_from_the_folder(tmp_path: Path) -> None:
    assert default_corpus_name(tmp_path / "scifact") == "corpora/beir-scifact"
    assert is_valid_id(default_corpus_name(tmp_path / "My Data_Set")[len("corpora/") :])
    assert slug_id("nfcorpus", prefix="beir-") == "beir-nfcorpus"


def test_short_document_is_one_chunk_of_title_and_text() -> None:
    assert beir_chunks(CorpusDoc("1", "Title", "Body.")) == ["Title Body."]
    assert beir_chunks(CorpusDoc("1", "", "Only body.")) == ["Only body."]


def test_long_document_splits_at_words_under_the_limit() -> None:
    words = [f"word{i}" for i in range(400)]
    doc = CorpusDoc("1", "Long", " ".join(words))
    chunks = beir_chunks(doc, max_tokens=100)
    assert len(chunks) > 1
    assert all(count_tokens(chunk) <= 100 for chunk in chunks)
    assert " ".join(chunks).split() == ["Long", *words]


def test_a_word_longer_than_a_chunk_is_cut() -> None:
    blob = "Q" * 2000
    chunks = beir_chunks(CorpusDoc("1", "", blob), max_tokens=50)
    assert "".join(chunks) == blob
    assert all(count_tokens(chunk) <= 50 for chunk in chunks)


def test_ingest_stores_one_document_per_beir_doc(
    settings: Settings, client: Client, beir_dir: Path
) -> None:
    seen: list[tuple[int, int | None]] = []
    summary = _ingest_with_progress(settings, beir_dir, seen)
    assert (summary.documents, summary.chunks, summary.created_documents) == (12, 12, 12)
    assert not summary.reused
    assert seen[-1] == (12, 12)
    documents = list(client.corpora.documents.list(CORPUS))
    assert len(documents) == 13  # plus the marker
    by_id = {
        next(m.value for m in doc.custom_metadata if m.key == "beir_id"): doc
        for doc in documents
        if doc.name != f"{CORPUS}/documents/{MARKER_ID}"
    }
    assert set(by_id) == {doc_id for doc_id, _, _ in BEIR_DOCS}
    med = by_id["MED_10"]
    assert med.name == f"{CORPUS}/documents/{document_id_for('MED_10')}"
    assert med.display_name == "Vitamin D"
    chunk = client.corpora.documents.chunks.get(f"{med.name}/chunks/c0")
    assert chunk.data is not None
    assert chunk.data.string_value == (
        "Vitamin D Vitamin D deficiency is common in winter at northern latitudes."
    )


def _ingest_with_progress(
    settings: Settings, root: Path, seen: list[tuple[int, int | None]]
) -> IngestSummary:
    async def run() -> IngestSummary:
        async with settings.async_client() as client:
            return await ingest_beir(
                BeirDataset.open(root),
                CORPUS,
                client=client,
                concurrency=3,
                progress=lambda stage, done, total: seen.append((done, total)),
            )

    return anyio.run(run)


def test_a_complete_corpus_is_reused_without_uploading(settings: Settings, beir_dir: Path) -> None:
    _ingest(settings, beir_dir)
    again = _ingest(settings, beir_dir)
    assert again.reused
    assert (again.documents, again.chunks, again.created_documents) == (12, 12, 0)


def test_an_interrupted_ingest_resumes_without_duplicates(
    settings: Settings, client: Client, beir_dir: Path
) -> None:
    _ingest(settings, beir_dir)
    # Simulate a run that stopped early: no marker, and some documents missing.
    client.corpora.documents.delete(f"{CORPUS}/documents/{MARKER_ID}")
    for beir_id in ("d1", "MED_10", "d12"):
        client.corpora.documents.delete(
            f"{CORPUS}/documents/{document_id_for(beir_id)}", force=True
        )
    resumed = _ingest(settings, beir_dir)
    assert not resumed.reused
    assert (resumed.documents, resumed.created_documents) == (12, 3)
    chunks = client.corpora.documents.chunks.list(f"{CORPUS}/documents/d3")
    assert len(list(chunks)) == 1


def test_a_corpus_holding_another_data_set_is_refused(
    settings: Settings, beir_dir: Path, tmp_path: Path
) -> None:
    _ingest(settings, beir_dir)
    other = write_beir(tmp_path / "other", BEIR_DOCS[:5])
    with pytest.raises(ValueError, match="holds another data set"):
        _ingest(settings, other)


def test_a_changed_chunk_limit_is_a_different_layout(settings: Settings, beir_dir: Path) -> None:
    _ingest(settings, beir_dir)
    with pytest.raises(ValueError, match="another data set or layout"):
        _ingest(settings, beir_dir, max_chunk_tokens=512)


def test_long_documents_get_several_chunks(
    settings: Settings, client: Client, tmp_path: Path
) -> None:
    long_text = " ".join(f"sentence{i} about glaciers." for i in range(120))
    root = write_beir(tmp_path / "long", [*BEIR_DOCS[:3], ("long", "Glaciers", long_text)])
    summary = _ingest(settings, root, max_chunk_tokens=100)
    assert summary.chunks > summary.documents == 4
    names = [c.name for c in client.corpora.documents.chunks.list(f"{CORPUS}/documents/long")]
    assert len(names) == summary.chunks - 3


def test_ids_that_collide_are_a_dataset_error(settings: Settings, tmp_path: Path) -> None:
    # Two valid-looking IDs cannot collide; force it with an ID equal to a derived one.
    derived = document_id_for("MED_10")
    root = write_beir(tmp_path / "clash", [("MED_10", "a", "b"), (derived, "c", "d")])
    with pytest.raises(DatasetError, match="map to the same ID"):
        _ingest(settings, root)


def test_a_malformed_corpus_line_surfaces_as_one_error(settings: Settings, tmp_path: Path) -> None:
    root = write_beir(tmp_path / "bad", BEIR_DOCS[:3])
    with (root / "corpus.jsonl").open("a", encoding="utf-8") as handle:
        handle.write(json.dumps({"_id": "x"}) + "\n")  # no text
    with pytest.raises(DatasetError, match="'text'"):
        _ingest(settings, root)


def test_a_users_own_corpus_is_never_filled_with_beir_documents(
    settings: Settings, client: Client, beir_dir: Path
) -> None:
    client.corpora.create(name="corpora/mine")
    client.corpora.documents.create(
        "corpora/mine", name="notes", custom_metadata={"source": "a.md"}
    )
    with pytest.raises(ValueError, match="not from a BEIR data set"):
        _ingest(settings, beir_dir, corpus="corpora/mine")
    assert [d.name for d in client.corpora.documents.list("corpora/mine")] == [
        "corpora/mine/documents/notes"
    ]
