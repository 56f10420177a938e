"""Cut documents into token-measured chunks that follow their structure.

Sizes are counted with :func:`ragkit.tokens.count_tokens` (tiktoken, offline).

How a document is cut:

1. The text is split into *units*: sentences, or for a sentence longer than the
   chunk size its lines, then its words, then (only for a single "word" longer
   than a chunk, such as a base64 blob) pieces of that word. Each unit records
   the strongest boundary before it: section > paragraph > sentence > line > word.
2. Units are packed into chunks of at most ``chunk_tokens``. When a chunk is full
   it ends at the strongest boundary that still leaves it at least 60% full (a
   paragraph end rather than a sentence end, a sentence end rather than a word).
3. A new section starts a new chunk, unless the chunk so far is shorter than
   ``chunk_tokens // 5`` (so a heading is never left alone in a chunk).
4. Overlap: a chunk that continues the text of the chunk before it (same
   section, cut only because the chunk was full) starts with up to
   ``overlap_tokens`` tokens copied from the end of that chunk, beginning at a
   sentence start when one is close enough, else at a word start. Overlap never
   reaches back into another section.

Precisely: every chunk is ``text[start:end]`` of the normalised document text
(:attr:`ingest.model.LoadedDocument.text`); ``start`` and ``end`` never fall inside
a word (except inside a word longer than a chunk) and never on whitespace. The
first ``overlap`` characters of a chunk are the last ``overlap`` characters of the
previous chunk; between chunks without overlap there is only whitespace. So
joining each chunk's ``text[overlap:]``, with the whitespace between chunks, gives
back the document text exactly.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from enum import IntEnum

from ingest.model import BLOCK_SEPARATOR, LoadedDocument, PlannedChunk
from ragkit.tokens import count_tokens

#: The API's limit on tokens in one chunk (Gemini's tokenizer, not ours).
API_CHUNK_TOKEN_LIMIT = 2043
#: The largest chunk we produce. tiktoken's count is not Gemini's, so keep a
#: wide margin under :data:`API_CHUNK_TOKEN_LIMIT`.
MAX_CHUNK_TOKENS = 1536
#: Google's advice for attributed question answering: passages of about 300 tokens.
DEFAULT_CHUNK_TOKENS = 300
DEFAULT_OVERLAP_TOKENS = 50
#: Below this, no budget can hold every single character (one code point is at
#: most four byte-level tokens).
MIN_CHUNK_TOKENS = 8

_MIN_FILL = 0.6
_SECTION_MERGE_DIVISOR = 5


class Boundary(IntEnum):
    """Strength of the boundary before a unit; stronger ends a chunk first."""

    WORD = 0
    LINE = 1
    SENTENCE = 2
    PARAGRAPH = 3
    SECTION = 4


@dataclass(frozen=True, slots=True)
class TextSpan:
    """One chunk of a text: ``text[start:end]``, of which the first ``overlap``
    characters repeat the previous span; ``token_count`` tokens long."""

    start: int
    end: int
    overlap: int
    token_count: int


@dataclass(frozen=True, slots=True)
class _Unit:
    start: int
    end: int
    level: Boundary
    tokens: int
    section_start: int  # where this unit's section begins: overlap stops there


@dataclass(frozen=True, slots=True)
class _Segment:
    """A paragraph-ish stretch of the text to cut into units."""

    start: int
    end: int
    level: Boundary
    section_start: int


# --- splitting into units ---------------------------------------------------------

_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s)|[。！？]+[\"'”’」』)\]]*")
_NOT_SPACE = re.compile(r"\S")
_WORD = re.compile(r"\S+")
_LINE = re.compile(r"[^\n]+")
_LAST_WORD = re.compile(r"(\w+)\W*$")
# Words whose trailing period rarely ends a sentence.
_ABBREVIATIONS = frozenset(
    """al approx cf ch dr e.g eq eqs etc fig figs i.e inc jr mr mrs ms no nos p pp prof
    sec sect sr st vol vs""".split()
)


def _stripped(text: str, start: int, end: int) -> tuple[int, int] | None:
    """``start``/``end`` moved inwards past whitespace; ``None`` if nothing is left."""
    first = _NOT_SPACE.search(text, start, end)
    if first is None:
        return None
    last = end
    while text[last - 1].isspace():
        last -= 1
    return first.start(), last


def _is_abbreviation(text: str, start: int, period: int) -> bool:
    found = _LAST_WORD.search(text, max(start, period - 12), period)
    if found is None:
        return False
    word = found.group(1).lower()
    return (len(word) == 1 and word.isalpha()) or word in _ABBREVIATIONS


def _sentence_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    cuts = [start]
    for m in _SENTENCE_END.finditer(text, start, end):
        after = m.end()
        if m.group(0)[0] not in "。！？":
            following = _NOT_SPACE.search(text, after, end)
            if following is None or text[following.start()].islower():
                continue
            if _is_abbreviation(text, start, m.start()):
                continue
        cuts.append(after)
    cuts.append(end)
    spans = (_stripped(text, a, b) for a, b in itertools.pairwise(cuts))
    return [span for span in spans if span]


def _pattern_spans(
    pattern: re.Pattern[str], text: str, start: int, end: int
) -> list[tuple[int, int]]:
    spans = (_stripped(text, m.start(), m.end()) for m in pattern.finditer(text, start, end))
    return [span for span in spans if span]


def _word_pieces(text: str, start: int, end: int, budget: int) -> list[tuple[int, int]]:
    """A single over-long word cut into the longest prefixes that fit ``budget``."""
    pieces: list[tuple[int, int]] = []
    while start < end:
        low, high = start + 1, end  # text[start:low] always fits (MIN_CHUNK_TOKENS)
        while low < high:
            mid = (low + high + 1) // 2
            if count_tokens(text[start:mid]) <= budget:
                low = mid
            else:
                high = mid - 1
        pieces.append((start, low))
        start = low
    return pieces


def _line_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    return _pattern_spans(_LINE, text, start, end)


def _word_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    return _pattern_spans(_WORD, text, start, end)


_FINER = (
    (Boundary.SENTENCE, _sentence_spans),
    (Boundary.LINE, _line_spans),
    (Boundary.WORD, _word_spans),
)


def _split(
    text: str, start: int, end: int, level: Boundary, budget: int, depth: int, section: int
) -> Iterator[_Unit]:
    """Units for ``text[start:end]``: sentences, and finer only where needed."""
    if depth == len(_FINER):
        for i, (a, b) in enumerate(_word_pieces(text, start, end, budget)):
            yield _Unit(a, b, level if i == 0 else Boundary.WORD, count_tokens(text[a:b]), section)
        return
    inner, splitter = _FINER[depth]
    for i, (a, b) in enumerate(splitter(text, start, end)):
        here = level if i == 0 else inner
        tokens = count_tokens(text[a:b])
        if tokens <= budget:
            yield _Unit(a, b, here, tokens, section)
        else:
            yield from _split(text, a, b, here, budget, depth + 1, section)


def _units(text: str, segments: Iterable[_Segment], budget: int) -> Iterator[_Unit]:
    for segment in segments:
        level = segment.level
        cuts = [segment.start]
        for m in _PARAGRAPH_BREAK.finditer(text, segment.start, segment.end):
            cuts += [m.start(), m.end()]
        cuts.append(segment.end)
        for a, b in zip(cuts[::2], cuts[1::2], strict=True):
            span = _stripped(text, a, b)
            if span:
                yield from _split(text, *span, level, budget, 0, segment.section_start)
                level = Boundary.PARAGRAPH


# --- packing units into chunks ----------------------------------------------------


def _best_end(units: Sequence[_Unit], first: int, stop: int, base: int, budget: int) -> int:
    """Index of the last unit of a full chunk ``units[first:stop]``.

    The strongest boundary among the ends that keep the chunk at least
    :data:`_MIN_FILL` full, the latest of equals.
    """
    best, best_level = stop - 1, units[stop].level
    total = base
    for e in range(first, stop):
        total += units[e].tokens
        if total >= _MIN_FILL * budget and units[e + 1].level >= best_level:
            best, best_level = e, units[e + 1].level
    return best


def _overlap_start(
    text: str, units: Sequence[_Unit], first: int, last: int, limit: int, floor: int
) -> int | None:
    """Where the next chunk's copy of this chunk's tail begins, or ``None``.

    The earliest sentence start (unit start) whose tail fits ``limit`` tokens, if
    that tail is at least half the limit; else the earliest word start that fits.
    Never at or before ``floor``.
    """
    end = units[last].end
    best: int | None = None
    for e in range(last, first, -1):
        if units[e].start < floor:
            break
        if count_tokens(text[units[e].start : end]) > limit:
            break
        best = units[e].start
    if best is not None and count_tokens(text[best:end]) * 2 >= limit:
        return best
    # Word starts close enough to the end (a token is rarely over 16 characters).
    window = max(floor, units[first].start + 1, end - 16 * limit)
    starts = [m.start() for m in _WORD.finditer(text, window, end)]
    if starts and starts[0] == window and window > 0 and not text[window - 1].isspace():
        starts = starts[1:]  # the window cut a word: its first piece is not a start
    low, high = 0, len(starts)
    while low < high:  # earliest start whose tail fits
        mid = (low + high) // 2
        if count_tokens(text[starts[mid] : end]) <= limit:
            high = mid
        else:
            low = mid + 1
    # Token counts of tails are almost but not strictly monotonic: verify.
    while low < len(starts) and count_tokens(text[starts[low] : end]) > limit:
        low += 1
    word = starts[low] if low < len(starts) else None
    if best is None or (word is not None and word < best):
        return word
    return best


def _pack(
    text: str, units: Sequence[_Unit], budget: int, overlap_tokens: int, min_tokens: int
) -> Iterator[TextSpan]:
    n = len(units)
    i = 0
    overlap_from: int | None = None
    prev_end = 0
    while i < n:
        start = units[i].start if overlap_from is None else overlap_from
        base = count_tokens(text[start : units[i].start]) if overlap_from is not None else 0
        if base + units[i].tokens > budget:  # overlap and first unit do not fit together
            start, base = units[i].start, 0
        total, stop, forced = base, i, False
        while stop < n:
            unit = units[stop]
            if stop > i and unit.level == Boundary.SECTION and total >= min_tokens:
                forced = True
                break
            if total + unit.tokens > budget:
                break
            total += unit.tokens
            stop += 1
        last = stop - 1 if forced or stop == n else _best_end(units, i, stop, base, budget)
        # Sums of unit counts approximate the count of the joined text; check it.
        tokens = count_tokens(text[start : units[last].end])
        while tokens > budget:
            if last > i:
                last -= 1
            else:
                start = units[i].start
            tokens = count_tokens(text[start : units[last].end])
        end = units[last].end
        yield TextSpan(start, end, max(0, prev_end - start) if i else 0, tokens)
        prev_end, first, i = end, i, last + 1
        overlap_from = None
        if i < n and overlap_tokens and units[i].level < Boundary.SECTION:
            floor = max(units[i].section_start, start + 1)
            overlap_from = _overlap_start(text, units, first, last, overlap_tokens, floor)


# --- public API -------------------------------------------------------------------


def _check(chunk_tokens: int, overlap_tokens: int, hard_limit: int) -> None:
    if not MIN_CHUNK_TOKENS <= hard_limit <= API_CHUNK_TOKEN_LIMIT:
        raise ValueError(
            f"hard_limit must be {MIN_CHUNK_TOKENS}..{API_CHUNK_TOKEN_LIMIT}, got {hard_limit}"
        )
    if not MIN_CHUNK_TOKENS <= chunk_tokens <= hard_limit:
        raise ValueError(
            f"chunk_tokens must be {MIN_CHUNK_TOKENS}..{hard_limit} (the hard limit),"
            f" got {chunk_tokens}"
        )
    if not 0 <= overlap_tokens <= chunk_tokens // 2:
        raise ValueError(f"overlap_tokens must be 0..{chunk_tokens // 2}, got {overlap_tokens}")


def split_text(
    text: str,
    *,
    chunk_tokens: int = DEFAULT_CHUNK_TOKENS,
    overlap_tokens: int = DEFAULT_OVERLAP_TOKENS,
    hard_limit: int = MAX_CHUNK_TOKENS,
) -> Iterator[TextSpan]:
    """Cut one text into spans, paragraphs (blank lines) first; see the module doc.

    >>> text = "First paragraph. It has two sentences.\\n\\nSecond one."
    >>> [text[s.start:s.end] for s in split_text(text, chunk_tokens=10, overlap_tokens=0)]
    ['First paragraph. It has two sentences.', 'Second one.']
    """
    _check(chunk_tokens, overlap_tokens, hard_limit)
    span = _stripped(text, 0, len(text))
    if span is None:
        return
    segments = [_Segment(span[0], span[1], Boundary.SECTION, span[0])]
    units = list(_units(text, segments, chunk_tokens))
    yield from _pack(
        text, units, chunk_tokens, overlap_tokens, chunk_tokens // _SECTION_MERGE_DIVISOR
    )


def _majority_section(
    sections: Sequence[str | None], starts: Sequence[int], span: TextSpan
) -> str | None:
    """The section holding most of the span's characters (the earlier on a tie)."""
    first = bisect.bisect_right(starts, span.start) - 1
    last = bisect.bisect_right(starts, span.end - 1) - 1
    share: Counter[str | None] = Counter()
    for b in range(first, last + 1):
        block_end = starts[b + 1] - len(BLOCK_SEPARATOR) if b + 1 < len(starts) else span.end
        share[sections[b]] += min(span.end, block_end) - max(span.start, starts[b])
    return max(share, key=lambda s: share[s]) if share else None


def chunk_document(
    doc: LoadedDocument,
    *,
    chunk_tokens: int = DEFAULT_CHUNK_TOKENS,
    overlap_tokens: int = DEFAULT_OVERLAP_TOKENS,
    hard_limit: int = MAX_CHUNK_TOKENS,
) -> Iterator[PlannedChunk]:
    """The document's chunks, in order, each with its pages, section and size.

    ``chunk_tokens`` is the most tokens a chunk holds (overlap included);
    ``overlap_tokens`` at most how many of them repeat the end of the previous
    chunk; ``hard_limit`` the ceiling ``chunk_tokens`` may not pass (kept well under
    the API's 2,043). Raises ``ValueError`` for sizes out of range.

    >>> from pathlib import Path
    >>> from ingest.model import Block
    >>> doc = LoadedDocument(Path("k.md"), "markdown", "Keys", (
    ...     Block("Rotation", section="Rotation"),
    ...     Block("Rotate keys every 90 days.", section="Rotation")))
    >>> [(c.index, c.section, c.text) for c in chunk_document(doc)]
    [(0, 'Rotation', 'Rotation\\n\\nRotate keys every 90 days.')]
    """
    _check(chunk_tokens, overlap_tokens, hard_limit)
    text = doc.text
    starts: list[int] = []
    segments: list[_Segment] = []
    offset = 0
    section_start = 0
    for number, block in enumerate(doc.blocks):
        new_section = number == 0 or block.section != doc.blocks[number - 1].section
        if new_section:
            section_start = offset
        level = Boundary.SECTION if new_section else Boundary.PARAGRAPH
        starts.append(offset)
        segments.append(_Segment(offset, offset + len(block.text), level, section_start))
        offset += len(block.text) + len(BLOCK_SEPARATOR)
    pages = [block.page for block in doc.blocks]
    sections = [block.section for block in doc.blocks]
    units = list(_units(text, segments, chunk_tokens))
    spans = _pack(text, units, chunk_tokens, overlap_tokens, chunk_tokens // _SECTION_MERGE_DIVISOR)
    for index, span in enumerate(spans):
        first_page = pages[bisect.bisect_right(starts, span.start) - 1]
        last_page = pages[bisect.bisect_right(starts, span.end - 1) - 1]
        yield PlannedChunk(
            text=text[span.start : span.end],
            index=index,
            first_page=first_page,
            last_page=last_page,
            section=_majority_section(sections, starts, span),
            token_count=span.token_count,
            start=span.start,
            end=span.end,
            overlap=span.overlap,
        )
