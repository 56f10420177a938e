"""A small corpus built through the client, with the metadata ingest writes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ragkit import docmeta
from ragkit.client import Client
from ragkit.config import load_settings
from ragkit.types import Chunk, ChunkData, CustomMetadata

CORPUS = "corpora/qa-test"

# (document id, source file, title, type, [(page, section, text)])
DOCUMENTS = [
    (
        "fips199",
        "nist/fips199.pdf",
        "FIPS PUB 199",
        "pdf",
        [
            (
                6,
                "Categorization",
                "FIPS 199 defines three levels of potential impact on organizations or "
                "individuals should there be a breach of security: low, moderate and high.",
            ),
            (
                7,
                "Categorization",
                "The potential impact is high if the loss of confidentiality, integrity, or "
                "availability could be expected to have a severe or catastrophic adverse effect.",
            ),
        ],
    ),
    (
        "bridge",
        "notes/bridge.md",
        "The old bridge",
        "markdown",
        [
            (None, "History", "The bridge was designed in 1929. It opened to traffic in 1932."),
            (None, "Maintenance", "The deck was repainted in 1998 and again in 2015."),
        ],
    ),
]


def build_corpus(client: Client) -> None:
    client.corpora.create(name=CORPUS, display_name="QA test")
    for doc_id, source, title, kind, chunks in DOCUMENTS:
        document = client.corpora.documents.create(
            CORPUS,
            name=f"{CORPUS}/documents/{doc_id}",
            display_name=source,
            custom_metadata=[
                CustomMetadata.of(docmeta.SOURCE, source),
                CustomMetadata.of(docmeta.TITLE, title),
                CustomMetadata.of(docmeta.TYPE, kind),
                CustomMetadata.of(docmeta.COMPLETE, 1),
            ],
        )
        assert document.name is not None
        client.corpora.documents.chunks.batch_create(
            document.name,
            chunks=[
                Chunk(
                    data=ChunkData(string_value=text),
                    custom_metadata=docmeta.chunk_metadata(
                        index=index, first_page=page, last_page=page, section=section
                    ),
                )
                for index, (page, section, text) in enumerate(chunks)
            ],
        )


@pytest.fixture
def qa_client() -> Iterator[Client]:
    client = load_settings().client()
    build_corpus(client)
    try:
        yield client
    finally:
        client.close()
