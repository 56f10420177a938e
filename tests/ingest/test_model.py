"""Data classes passed between ingest stages."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from ingest.model import MAX_SECTION_CHARS, Block, LoadedDocument, LoadError, section_label


@pytest.mark.parametrize("text", ["", " padded", "trailing\n"])
def test_blocks_must_be_stripped_and_non_empty(text: str) -> None:
    with pytest.raises(ValueError):
        Block(text)


def test_pages_are_one_based() -> None:
    with pytest.raises(ValueError):
        Block("x", page=0)


def test_document_text_joins_blocks_with_a_blank_line() -> None:
    doc = LoadedDocument(Path("a.txt"), "text", "A", (Block("one"), Block("two")))
    assert doc.text == "one\n\ntwo"


def test_section_label_drops_outer_headings_first_and_caps_length() -> None:
    assert section_label(["A", " B  c "]) == "A > B c"
    assert section_label(["", " "]) is None
    long = ["Outer " * 50, "Inner heading"]
    assert section_label(long) == "Inner heading"
    single = section_label(["x" * 400])
    assert single is not None and len(single) == MAX_SECTION_CHARS and single.endswith("…")


def test_load_error_names_the_file_and_survives_pickling() -> None:
    err = LoadError(Path("hard/x.pdf"), "encrypted: a password is required")
    assert str(err) == "hard/x.pdf: encrypted: a password is required"
    copy = pickle.loads(pickle.dumps(err))
    assert (copy.path, copy.reason) == (err.path, err.reason)


def test_documents_pickle_for_worker_processes() -> None:
    doc = LoadedDocument(Path("a.pdf"), "pdf", "A", (Block("x", page=1),), 1, ("w",), ("i",))
    assert pickle.loads(pickle.dumps(doc)) == doc
