"""Document and chunk IDs: valid, stable, collision-safe, readable."""

from __future__ import annotations

import re
import unicodedata
from pathlib import PurePosixPath

from hypothesis import given
from hypothesis import strategies as st

from ingest.identity import (
    INGEST_VERSION,
    chunk_id,
    document_id,
    generation,
    generation_of,
    relative_key,
    slug,
)
from ragkit.types import names

VALID_ID = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$")


@given(st.text(min_size=1, max_size=600))
def test_every_path_gives_a_valid_id(path: str) -> None:
    doc_id = document_id(path)
    assert VALID_ID.match(doc_id), doc_id
    assert len(doc_id) <= 40


def test_ids_are_readable_and_stable() -> None:
    doc_id = document_id("pdf/nist_sp800_63b.pdf")
    assert doc_id.startswith("pdf-nist-sp800-63b-pdf-")
    assert doc_id == document_id("pdf/nist_sp800_63b.pdf")
    # The hash part is 12 characters after the last dash.
    assert len(doc_id.rsplit("-", 1)[1]) == 12


def test_paths_that_slug_alike_get_different_ids() -> None:
    paths = ["a b.pdf", "a-b.pdf", "a_b.pdf", "A B.pdf", "a  b.pdf", "dir/a b.pdf"]
    ids = {document_id(path) for path in paths}
    assert len(ids) == len(paths)
    assert {slug(path) for path in paths[:5]} == {"a-b-pdf"}


def test_ten_thousand_paths_do_not_collide() -> None:
    ids = {document_id(f"folder/{n // 100}/report-{n}.pdf") for n in range(10_000)}
    assert len(ids) == 10_000


def test_long_and_symbol_only_paths() -> None:
    long_id = document_id("x" * 300 + ".pdf")
    assert len(long_id) == 40
    assert document_id("日本語/文書.pdf").startswith("pdf-")
    only_symbols = document_id("日本語/文書")
    assert VALID_ID.match(only_symbols) and len(only_symbols) == 12


def test_relative_key_is_nfc_with_forward_slashes() -> None:
    decomposed = unicodedata.normalize("NFD", "café/é.md")
    assert relative_key(decomposed) == unicodedata.normalize("NFC", "café/é.md")
    assert document_id(decomposed) == document_id(unicodedata.normalize("NFC", "café/é.md"))
    assert relative_key("a\\b.md") == "a/b.md"
    assert relative_key(PurePosixPath("a/b.md")) == "a/b.md"


def test_generation_changes_with_content_and_chunking() -> None:
    base = generation("a" * 64, 300, 50)
    assert base == generation("a" * 64, 300, 50)
    assert base != generation("b" * 64, 300, 50)
    assert base != generation("a" * 64, 200, 50)
    assert base != generation("a" * 64, 300, 0)
    assert isinstance(INGEST_VERSION, int)


def test_chunk_ids_are_valid_and_parse_back() -> None:
    tag = generation("c" * 64, 300, 50)
    for index in (0, 7, 99_999):
        cid = chunk_id(tag, index)
        assert VALID_ID.match(cid)
        name = names.chunk_name("c", "d", cid)
        assert generation_of(name) == tag
    assert generation_of("corpora/c/documents/d/chunks/abc123def456") == ""
