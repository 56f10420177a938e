"""Property tests: the chunker's guarantees hold for any document."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.chunking import chunk_document, split_text
from ingest.model import Block, LoadedDocument, PlannedChunk
from ragkit.tokens import count_tokens

_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZäöüßéçαβγδжщ"
_word = st.text(alphabet=_LETTERS, min_size=1, max_size=12)
_long_word = st.text(alphabet=_LETTERS + "0123456789+/=", min_size=40, max_size=400)


@st.composite
def _sentence(draw: st.DrawFn, words: st.SearchStrategy[str]) -> str:
    parts = draw(st.lists(words, min_size=1, max_size=25))
    end = draw(st.sampled_from([".", "!", "?", "", ".)", ":"]))
    return " ".join(parts) + end


@st.composite
def _block_text(draw: st.DrawFn, words: st.SearchStrategy[str]) -> str:
    sentences = draw(st.lists(_sentence(words), min_size=1, max_size=8))
    seps = draw(st.lists(st.sampled_from([" ", "\n", "  ", "\n\n"]), min_size=len(sentences)))
    return "".join(s + sep for s, sep in zip(sentences, seps, strict=False)).strip()


@st.composite
def _document(draw: st.DrawFn, words: st.SearchStrategy[str] = _word) -> LoadedDocument:
    texts = draw(st.lists(_block_text(words), min_size=1, max_size=12))
    paged = draw(st.booleans())
    page, blocks = 1, []
    section: str | None = None
    for text in texts:
        if paged:
            page += draw(st.integers(0, 2))
        if draw(st.integers(0, 3)) == 0:
            section = draw(st.sampled_from([None, "Intro", "Intro > Scope", "Keys", "x" * 256]))
        blocks.append(Block(text, page=page if paged else None, section=section))
    return LoadedDocument(Path("doc.txt"), "text", "Doc", tuple(blocks))


def _sizes() -> st.SearchStrategy[tuple[int, int]]:
    return st.integers(8, 120).flatmap(lambda n: st.tuples(st.just(n), st.integers(0, n // 2)))


def _block_at(doc: LoadedDocument, offset: int) -> Block:
    position = 0
    for block in doc.blocks:
        position += len(block.text)
        if offset < position:
            return block
        position += 2
    raise AssertionError(f"offset {offset} is in no block")


def _check_chunks(doc: LoadedDocument, chunks: list[PlannedChunk], size: int, overlap: int) -> None:
    text = doc.text
    assert [c.index for c in chunks] == list(range(len(chunks)))
    rebuilt: list[str] = []
    previous: PlannedChunk | None = None
    for chunk in chunks:
        assert chunk.text == text[chunk.start : chunk.end]
        assert chunk.token_count == count_tokens(chunk.text) <= size
        assert chunk.text == chunk.text.strip()
        if previous is None:
            assert chunk.overlap == 0
            rebuilt.append(text[: chunk.start])
        elif chunk.overlap:
            # The overlap is the previous chunk's tail, within the size asked for,
            # and never reaches back into another section.
            assert chunk.start == previous.end - chunk.overlap > previous.start
            assert chunk.text[: chunk.overlap] == previous.text[-chunk.overlap :]
            assert count_tokens(text[chunk.start : previous.end]) <= overlap
            assert _block_at(doc, chunk.start).section == _block_at(doc, previous.end - 1).section
        else:
            assert chunk.start >= previous.end
            rebuilt.append(text[previous.end : chunk.start])
            assert not text[previous.end : chunk.start].strip()
        rebuilt.append(chunk.text[chunk.overlap :])
        # Pages come from the blocks the chunk starts and ends in, and only go forward.
        assert chunk.first_page == _block_at(doc, chunk.start).page
        assert chunk.last_page == _block_at(doc, chunk.end - 1).page
        if chunk.first_page is not None:
            assert chunk.last_page is not None and chunk.first_page <= chunk.last_page
            if previous is not None and previous.first_page is not None:
                assert previous.first_page <= chunk.first_page
        assert chunk.section is None or len(chunk.section) <= 256
        assert chunk.section in {b.section for b in doc.blocks}
        previous = chunk
    assert previous is not None
    rebuilt.append(text[previous.end :])
    assert "".join(rebuilt) == text


def _inside_word(text: str, offset: int) -> bool:
    return 0 < offset < len(text) and not text[offset - 1].isspace() and not text[offset].isspace()


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_document(), _sizes())
def test_chunks_fit_reassemble_and_keep_pages(doc: LoadedDocument, sizes: tuple[int, int]) -> None:
    size, overlap = sizes
    chunks = list(chunk_document(doc, chunk_tokens=size, overlap_tokens=overlap))
    _check_chunks(doc, chunks, size, overlap)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_document(), _sizes())
def test_never_cuts_inside_a_word_that_fits(doc: LoadedDocument, sizes: tuple[int, int]) -> None:
    size, overlap = sizes
    text = doc.text
    too_long = [
        (m.start(), m.end()) for m in re.finditer(r"\S+", text) if count_tokens(m.group()) > size
    ]
    for chunk in chunk_document(doc, chunk_tokens=size, overlap_tokens=overlap):
        for offset in (chunk.start, chunk.end):
            if _inside_word(text, offset):
                assert any(a < offset < b for a, b in too_long), (
                    offset,
                    text[offset - 10 : offset + 10],
                )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_document(st.one_of(_word, _long_word)), _sizes())
def test_words_longer_than_a_chunk_are_cut_to_fit(
    doc: LoadedDocument, sizes: tuple[int, int]
) -> None:
    size, overlap = sizes
    chunks = list(chunk_document(doc, chunk_tokens=size, overlap_tokens=overlap))
    _check_chunks(doc, chunks, size, overlap)


@settings(max_examples=100, deadline=None)
@given(st.text(min_size=0, max_size=600), _sizes())
def test_split_text_handles_any_text(text: str, sizes: tuple[int, int]) -> None:
    size, overlap = sizes
    spans = list(split_text(text, chunk_tokens=size, overlap_tokens=overlap))
    if not text.strip():
        assert spans == []
        return
    pieces, end = [], spans[0].start
    assert not text[: spans[0].start].strip()
    for span in spans:
        assert span.token_count == count_tokens(text[span.start : span.end]) <= size
        assert span.start == end - span.overlap if span.overlap else span.start >= end
        pieces.append(text[end : span.start] if not span.overlap else "")
        pieces.append(text[span.start + span.overlap : span.end])
        end = span.end
    assert not text[end:].strip()
    assert "".join(pieces) == text[spans[0].start : end]
