"""The chunker's choices: sizes, structure-first cuts, sections, overlap."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from ingest.chunking import (
    API_CHUNK_TOKEN_LIMIT,
    DEFAULT_CHUNK_TOKENS,
    MAX_CHUNK_TOKENS,
    chunk_document,
    split_text,
)
from ingest.loaders import load_document
from ingest.model import Block, LoadedDocument
from ragkit.tokens import count_tokens
from tests.conftest import SAMPLE_DOCS


def _doc(*blocks: Block) -> LoadedDocument:
    return LoadedDocument(Path("d.md"), "markdown", "D", blocks)


def _sentences(n: int, word: str = "alpha") -> str:
    return " ".join(f"Sentence {i} says {word} beta gamma delta." for i in range(n))


def test_the_default_size_follows_googles_advice_and_stays_under_the_api_limit() -> None:
    assert DEFAULT_CHUNK_TOKENS == 300
    assert MAX_CHUNK_TOKENS < API_CHUNK_TOKEN_LIMIT * 0.8


@pytest.mark.parametrize(
    ("size", "overlap", "limit"),
    [
        (7, 0, MAX_CHUNK_TOKENS),
        (400, 201, MAX_CHUNK_TOKENS),
        (2000, 0, MAX_CHUNK_TOKENS),
        (300, 50, 2044),
        (300, -1, MAX_CHUNK_TOKENS),
    ],
)
def test_sizes_out_of_range_are_refused(size: int, overlap: int, limit: int) -> None:
    with pytest.raises(ValueError):
        list(split_text("Some text.", chunk_tokens=size, overlap_tokens=overlap, hard_limit=limit))


def test_a_short_text_is_one_chunk_and_blank_text_none() -> None:
    assert [(s.start, s.end) for s in split_text("  One sentence.  ")] == [(2, 15)]
    assert list(split_text(" \n\n ")) == []


def test_a_full_chunk_ends_at_a_paragraph_rather_than_mid_paragraph() -> None:
    # Two paragraphs of ~70% and ~60% of a chunk: the cut falls between them,
    # not after the first sentences of the second paragraph.
    first, second = _sentences(6), _sentences(5, "omega")
    size = count_tokens(first) * 10 // 7
    text = f"{first}\n\n{second}"
    spans = list(split_text(text, chunk_tokens=size, overlap_tokens=0))
    assert text[spans[0].start : spans[0].end] == first


def test_a_full_chunk_ends_at_a_sentence_rather_than_mid_sentence() -> None:
    text = _sentences(40)
    for span in split_text(text, chunk_tokens=60, overlap_tokens=0):
        assert text[span.start : span.end].endswith(".")


def test_overlap_repeats_whole_sentences_when_they_fit() -> None:
    text = _sentences(40)
    spans = list(split_text(text, chunk_tokens=80, overlap_tokens=30))
    assert all(s.overlap for s in spans[1:])
    for span in spans[1:]:
        assert text[span.start : span.start + 8] == "Sentence"
        assert count_tokens(text[span.start : span.start + span.overlap]) <= 30


def test_overlap_falls_back_to_words_inside_a_long_sentence() -> None:
    text = " ".join(f"word{i}" for i in range(400)) + "."
    spans = list(split_text(text, chunk_tokens=100, overlap_tokens=20))
    for span in spans[1:]:
        assert 10 <= count_tokens(text[span.start : span.start + span.overlap]) <= 20
        assert text[span.start - 1] == " "


def test_zero_overlap_means_none() -> None:
    spans = list(split_text(_sentences(40), chunk_tokens=60, overlap_tokens=0))
    assert len(spans) > 3
    assert all(s.overlap == 0 for s in spans)


def test_a_new_section_starts_a_new_chunk_without_overlap() -> None:
    doc = _doc(
        Block("Keys", section="Keys"),
        Block(_sentences(6), section="Keys"),
        Block("Rotation", section="Rotation"),
        Block(_sentences(6, "rotate"), section="Rotation"),
    )
    chunks = list(chunk_document(doc, chunk_tokens=200, overlap_tokens=50))
    assert [c.section for c in chunks] == ["Keys", "Rotation"]
    assert chunks[1].text.startswith("Rotation\n\n") and chunks[1].overlap == 0


def test_a_heading_is_never_left_alone_in_a_chunk() -> None:
    doc = _doc(
        Block("Part one", section="Part one"),
        Block("Details", section="Part one > Details"),
        Block(_sentences(4), section="Part one > Details"),
    )
    chunks = list(chunk_document(doc, chunk_tokens=200))
    assert len(chunks) == 1
    assert chunks[0].text.startswith("Part one\n\nDetails\n\n")
    assert chunks[0].section == "Part one > Details"  # where most of the text is


def test_overlap_stays_inside_the_section() -> None:
    doc = _doc(Block("Tiny.", section="A"), Block(_sentences(30), section="B"))
    chunks = list(chunk_document(doc, chunk_tokens=60, overlap_tokens=30))
    text = doc.text
    body_start = text.index("Sentence 0")
    assert all(c.start >= body_start for c in chunks[1:])


def test_chunks_carry_pages_of_their_first_and_last_block() -> None:
    doc = _doc(*(Block(_sentences(4, f"p{n}"), page=n) for n in range(1, 6)))
    chunks = list(chunk_document(doc, chunk_tokens=60, overlap_tokens=0))
    spanning = [c for c in chunks if c.first_page != c.last_page]
    assert chunks[0].first_page == 1 and chunks[-1].last_page == 5
    for chunk in spanning:
        assert f"says p{chunk.last_page}" in chunk.text


def test_a_word_longer_than_a_chunk_is_cut_to_fit() -> None:
    blob = base64.b64encode(bytes(range(256)) * 20).decode()
    text = f"Before the blob. {blob} After the blob."
    spans = list(split_text(text, chunk_tokens=50, overlap_tokens=10))
    assert all(s.token_count <= 50 for s in spans)
    assert blob in "".join(text[s.start + s.overlap : s.end] for s in spans)


def test_tables_without_sentences_are_cut_at_lines() -> None:
    rows = "\n".join(f"Alabama {n} | 18,870 | 23,022 | 22,650" for n in range(60))
    for span in split_text(rows, chunk_tokens=100, overlap_tokens=0):
        piece = rows[span.start : span.end]
        assert piece.startswith("Alabama") and piece.endswith("22,650")


def test_chunking_streams_one_chunk_at_a_time() -> None:
    doc = _doc(*(Block(_sentences(20)) for _ in range(50)))
    chunks = chunk_document(doc, chunk_tokens=100)
    first = next(chunks)
    assert first.index == 0


@pytest.mark.parametrize("name", sorted(p.name for p in SAMPLE_DOCS.iterdir()))
def test_sample_documents_chunk_within_the_default_size(name: str) -> None:
    doc = load_document(SAMPLE_DOCS / name)
    chunks = list(chunk_document(doc))
    assert chunks
    assert max(c.token_count for c in chunks) <= DEFAULT_CHUNK_TOKENS
    assert all(c.text.strip() for c in chunks)
    if doc.kind == "pdf":
        assert chunks[0].first_page == 1 and chunks[-1].last_page == doc.page_count
