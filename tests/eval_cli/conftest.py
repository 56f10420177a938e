"""Small BEIR and QA data sets written into tmp_path, and a corpus laid out like ingest's."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from ragkit.client import Client
from ragkit.config import Settings, load_settings
from ragkit.types import Chunk, ChunkData, CustomMetadata

# Written for these tests. IDs mix valid resource IDs with BEIR-style ones that are not
# ("MED_10", "Doc 7") to exercise the ID derivation.
BEIR_DOCS = [
    ("d1", "Key rotation", "Rotate API keys every ninety days and revoke the old key at once."),
    ("MED_10", "Vitamin D", "Vitamin D deficiency is common in winter at northern latitudes."),
    ("d3", "Backups", "Database backups run nightly and are kept for thirty days."),
    ("Doc 7", "Tunnels", "The railway tunnel under the river was opened in 1904."),
    ("d5", "Espresso", "Espresso is brewed by forcing hot water through finely ground coffee."),
    ("d6", "Glaciers", "Alpine glaciers have lost a third of their volume since 1980."),
    ("d7", "Bees", "Honey bees communicate the direction of flowers with a waggle dance."),
    ("d8", "Tides", "Ocean tides are caused mainly by the gravitational pull of the moon."),
    ("d9", "Volcanoes", "Basaltic lava flows are hotter and more fluid than rhyolitic lava."),
    ("d10", "Chess", "In chess the queen is the most powerful piece on the board."),
    ("d11", "Bread", "Sourdough bread rises with wild yeast and lactic acid bacteria."),
    ("d12", "Comets", "A comet's tail always points away from the sun because of solar wind."),
]
BEIR_QUERIES = [
    ("q1", "how often should API keys be rotated"),
    ("q2", "vitamin D deficiency in winter"),
    ("q3", "when was the railway tunnel under the river opened"),
    ("q4", "why does a comet tail point away from the sun"),
    ("q5", "an unjudged query about bread"),
]
BEIR_QRELS = [("q1", "d1", 1), ("q2", "MED_10", 1), ("q3", "Doc 7", 2), ("q4", "d12", 1)]


def write_beir(root: Path, docs: list[tuple[str, str, str]] = BEIR_DOCS) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    with (root / "corpus.jsonl").open("w", encoding="utf-8") as handle:
        for doc_id, title, text in docs:
            handle.write(json.dumps({"_id": doc_id, "title": title, "text": text}) + "\n")
    with (root / "queries.jsonl").open("w", encoding="utf-8") as handle:
        for query_id, text in BEIR_QUERIES:
            handle.write(json.dumps({"_id": query_id, "text": text}) + "\n")
    lines = ["query-id\tcorpus-id\tscore"] + [f"{q}\t{d}\t{s}" for q, d, s in BEIR_QRELS]
    (root / "qrels-test.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


@pytest.fixture
def beir_dir(tmp_path: Path) -> Path:
    """A dozen-document BEIR data set in ``<tmp>/minibeir``."""
    return write_beir(tmp_path / "minibeir")


@pytest.fixture
def settings() -> Settings:
    """Default settings: the in-process engine in this test's RAGKIT_HOME."""
    return load_settings()


@pytest.fixture
def client(settings: Settings) -> Iterator[Client]:
    with settings.client() as made:
        yield made


# A corpus laid out as `ragkit ingest` writes it (docmeta keys): a PDF with pages and an
# HTML page without. Questions below cite them by file and page.
QA_CORPUS = "corpora/qa-fixture"
QA_DOCUMENTS = {
    "keys-policy": (
        "policies/keys.pdf",
        [
            (1, "Key management policy. This policy applies to every production service."),
            (2, "API keys must be rotated every 90 days by the owning team."),
            (3, "Revoked keys are listed in the security register for one year."),
        ],
    ),
    "office-guide": (
        "guides/office.html",
        [
            (None, "The office opens at 8 am and the front desk is staffed until 6 pm."),
            (None, "Visitors must sign in at the front desk and wear a badge."),
        ],
    ),
}
QA_QUESTIONS = [
    {
        "id": "rotate",
        "question": "How often must API keys be rotated?",
        "answers": ["every 90 days", "90 days"],
        "source": {"file": "policies/keys.pdf", "page": 2},
    },
    {
        "id": "register",
        "question": "How long are revoked keys listed in the security register?",
        "answers": ["one year"],
        "source": {"file": "keys.pdf", "pages": [3]},
    },
    {
        "id": "opens",
        "question": "What time does the office open?",
        "answers": ["8 am"],
        "source": {"file": "guides/office.html"},
    },
    {
        "id": "parking",
        "question": "How much does the staff car park cost per month?",
        "answers": [],
    },
]


def build_qa_corpus(client: Client) -> str:
    client.corpora.create(name=QA_CORPUS, display_name="QA fixture")
    for document_id, (source, pages) in QA_DOCUMENTS.items():
        document = client.corpora.documents.create(
            QA_CORPUS,
            name=document_id,
            custom_metadata={"source": source, "complete": 1},
        )
        assert document.name is not None
        chunks = []
        for index, (page, text) in enumerate(pages):
            metadata = [CustomMetadata.of("index", index)]
            if page is not None:
                metadata += [CustomMetadata.of("page", page), CustomMetadata.of("page_last", page)]
            chunks.append(
                Chunk(
                    name=f"{document.name}/chunks/c{index}",
                    data=ChunkData(string_value=text),
                    custom_metadata=metadata,
                )
            )
        client.corpora.documents.chunks.batch_create(document.name, chunks=chunks)
    return QA_CORPUS


@pytest.fixture
def questions_file(tmp_path: Path) -> Path:
    path = tmp_path / "questions.jsonl"
    path.write_text("".join(json.dumps(q) + "\n" for q in QA_QUESTIONS), encoding="utf-8")
    return path


# Written for these tests (not SQuAD text).
SQUAD_ITEMS = [
    (
        "s1",
        "The Harbour Bridge opened in 1932 and carries eight lanes of traffic.",
        "When did the Harbour Bridge open?",
        ["1932"],
    ),
    (
        "s2",
        "Marie Laurent founded the observatory in 1889 on the northern ridge.",
        "Who founded the observatory?",
        ["Marie Laurent"],
    ),
    (
        "s3",
        "The library holds forty thousand maps, most of them printed before 1800.",
        "How many paintings does the museum hold?",
        [],
    ),
]


def write_squad(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    queries = [{"id": i, "context": c, "question": q} for i, c, q, _ in SQUAD_ITEMS]
    truth = {i: {"answers": a, "is_impossible": not a} for i, _, _, a in SQUAD_ITEMS}
    (root / "queries.json").write_text(json.dumps({"queries": queries}), encoding="utf-8")
    (root / "ground_truth.json").write_text(json.dumps(truth), encoding="utf-8")
    return root


@pytest.fixture
def squad_dir(tmp_path: Path) -> Path:
    return write_squad(tmp_path / "minisquad")
