"""Plain-text pieces every renderer shares: numbers, excerpts, highlighted snippets, cells.

Each function returns plain strings or tuples of strings; the terminal, Markdown and
HTML renderers then style and escape those pieces in their own way, so the same
passage shows the same excerpt everywhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

ELLIPSIS = "…"
REFUSAL_HEADLINE = "The documents don't answer this question."

_SPACE = re.compile(r"\s+")
# ". A" / "? The": a sentence end followed by a capitalised word (not "Sec. 3542").
_SENTENCE_START = re.compile(r"[.!?] (?=[A-Z])")
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)
# Query words that carry no meaning of their own, so highlighting them would only add noise.
_STOPWORDS = frozenset(
    """a an and are as at be by can could do does did for from has have how i in is it its
    of on or should that the their there these this those to was were what when where which
    who why will with would""".split()
)


def squash(text: str) -> str:
    """Collapse runs of whitespace (PDF line breaks, indentation) into single spaces.

    >>> squash("Keys  rotate\\n every 90\\tdays. ")
    'Keys rotate every 90 days.'
    """
    return _SPACE.sub(" ", text).strip()


def refusal_detail(text: str) -> str | None:
    """The refusal text when it says more than :data:`REFUSAL_HEADLINE`, else ``None``.

    >>> refusal_detail("The documents don't answer this question."), refusal_detail("No hits.")
    (None, 'No hits.')
    """
    return text if text.strip() and squash(text) != REFUSAL_HEADLINE else None


def format_score(score: float | None) -> str:
    """A relevance score or probability with two decimals, or ``—`` when unknown.

    >>> format_score(0.8749), format_score(None)
    ('0.87', '—')
    """
    return "—" if score is None else f"{score:.2f}"


def format_pages(pages: tuple[int, int] | None) -> str:
    """``p.12`` / ``pp.3-4``, or an empty string for files without pages.

    >>> format_pages((12, 12)), format_pages((3, 4)), format_pages(None)
    ('p.12', 'pp.3-4', '')
    """
    if pages is None:
        return ""
    first, last = pages
    return f"p.{first}" if first == last else f"pp.{first}-{last}"


def format_seconds(seconds: float) -> str:
    """A duration for a status line: ``850 ms`` below one second, else ``1.24 s``.

    >>> format_seconds(0.8504), format_seconds(1.2449)
    ('850 ms', '1.24 s')
    """
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def format_cell(value: object) -> str:
    """One listing cell as text: times to the minute (UTC), lists joined, ``None`` empty.

    >>> from datetime import UTC, datetime
    >>> format_cell(datetime(2024, 5, 1, 12, 3, 59, tzinfo=UTC)), format_cell(["a", "b"])
    ('2024-05-01 12:03', 'a, b')
    >>> format_cell(3.0), format_cell(0.25), format_cell(None)
    ('3', '0.25', '')
    """
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, float):
        # Custom metadata numbers are floats on the wire; a page or year reads better as 12.
        return str(int(value)) if value.is_integer() else f"{value:g}"
    if isinstance(value, list | tuple):
        return ", ".join(format_cell(item) for item in value)
    return str(value)


@dataclass(frozen=True)
class Excerpt:
    """A window of a passage: ``before`` + ``focus`` + ``after``, already whitespace-squashed.

    ``before`` starts and ``after`` ends with ``…`` when the window cut the passage.
    ``focus`` is the answer span (empty when the passage has none).
    """

    before: str
    focus: str
    after: str

    @property
    def text(self) -> str:
        """The excerpt as one string, without emphasis."""
        return self.before + self.focus + self.after


def excerpt(text: str, span: tuple[int, int] | None = None, *, width: int = 240) -> Excerpt:
    """Cut ``text`` to about ``width`` characters, centred on ``span`` when there is one.

    Cuts fall on word boundaries and are marked with ``…``; the span itself is never cut.

    >>> text = "Under the policy all agencies must rotate keys every 90 days to limit the damage."
    >>> e = excerpt(text, (47, 60), width=50)
    >>> (e.before, e.focus, e.after)
    ('…must rotate keys ', 'every 90 days', ' to limit the…')
    """
    if span is None or not 0 <= span[0] < span[1] <= len(text):
        return Excerpt(_clip_right(text, width), "", "")
    start, end = span
    room = max(width - (end - start), 40)
    left = max(start - room // 2, 0)
    right = min(end + room - (start - left), len(text))
    # Give room the right side could not use back to the left side.
    left = max(min(left, start - (room - (right - end))), 0)
    before, after = text[left:start], text[end:right]
    if left > 0:
        before = ELLIPSIS + _drop_partial_word(before, leading=True)
    if right < len(text):
        after = _drop_partial_word(after, leading=False) + ELLIPSIS
    return Excerpt(
        _squash_edge(before, "left"), squash(text[start:end]), _squash_edge(after, "right")
    )


def _clip_right(text: str, width: int) -> str:
    flat = squash(text)
    if len(flat) <= width:
        return flat
    cut = flat[:width]
    head = cut.rsplit(" ", 1)[0] if " " in cut else cut
    return head.rstrip(" ,;:") + ELLIPSIS


def _drop_partial_word(piece: str, *, leading: bool) -> str:
    # A window edge usually lands inside a word; drop that fragment unless it is all we have.
    if leading:
        _, sep, rest = piece.partition(" ")
        return rest if sep and rest.strip() else piece
    rest, sep, _ = piece.rpartition(" ")
    return rest if sep and rest.strip() else piece


def _squash_edge(piece: str, side: str) -> str:
    # Squash inner whitespace but keep one space where the piece touches the focus,
    # so "rotate keys " + "every 90 days" still reads as two words.
    flat = _SPACE.sub(" ", piece)
    return flat.lstrip() if side == "left" else flat.rstrip()


# --- query-term highlighting (search snippets) -------------------------------------------


def query_terms(query: str) -> tuple[str, ...]:
    """The words of a query worth highlighting, lower-cased, stopwords dropped.

    >>> query_terms("How often are the API keys rotated?")
    ('often', 'api', 'keys', 'rotated')
    """
    seen: dict[str, None] = {}
    for word in _WORD.findall(query.lower()):
        if word not in _STOPWORDS and len(word) > 1:
            seen.setdefault(word, None)
    return tuple(seen)


def _matches(word: str, terms: Sequence[str]) -> str | None:
    lowered = word.lower()
    for term in terms:
        # A light stem (drop "s", "ed", "ing", "e") so "rotate" finds "rotated", "key" "keys".
        stem = _light_stem(term)
        if lowered == term or (len(stem) >= 3 and _light_stem(lowered) == stem):
            return term
    return None


def _light_stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s", "e"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def snippet(text: str, query: str, *, width: int = 220) -> tuple[tuple[str, bool], ...]:
    """A window of ``text`` where the query's words cluster, as ``(piece, is_match)`` pairs.

    The window is chosen to hold as many distinct query words as possible; without any
    match it is the start of the text.

    >>> snippet("Keys are rotated every 90 days.", "rotate keys")
    (('Keys', True), (' are ', False), ('rotated', True), (' every 90 days.', False))
    """
    flat = squash(text)
    terms = query_terms(query)
    hits = [
        (found.start(), found.end(), term)
        for found in _WORD.finditer(flat)
        if (term := _matches(found.group(), terms)) is not None
    ]
    lead = 0
    if hits and len(flat) > width:
        lead = _window_start(flat, _best_window(hits, width), width)
    body, left = flat[lead:], ""
    if lead and not _SENTENCE_START.match(flat, lead - 2):
        body, left = _drop_partial_word(body, leading=True), ELLIPSIS
    elif lead:
        left = ELLIPSIS + " "
    body = _clip_right(body, width)
    return _split_matches(left, body, terms)


def _window_start(flat: str, first_match: int, width: int) -> int:
    # Prefer the start of the sentence holding the first match when it is near enough;
    # otherwise start a little before the match. Never leave the window half empty.
    floor = max(first_match - width // 2, 0)
    starts = [found.start() + 2 for found in _SENTENCE_START.finditer(flat, floor, first_match)]
    lead = starts[-1] if starts else first_match - width // 5
    return max(min(lead, len(flat) - width), 0)


def _best_window(hits: Sequence[tuple[int, int, str]], width: int) -> int:
    best_start, best_count = hits[0][0], 0
    for index, (start, _, _) in enumerate(hits):
        inside = {term for begin, _, term in hits[index:] if begin < start + width * 0.8}
        if len(inside) > best_count:
            best_start, best_count = start, len(inside)
    return best_start


def _split_matches(left: str, body: str, terms: Sequence[str]) -> tuple[tuple[str, bool], ...]:
    pieces: list[tuple[str, bool]] = []
    cursor = 0
    for found in _WORD.finditer(body):
        if _matches(found.group(), terms) is None:
            continue
        pieces.append((body[cursor : found.start()], False))
        pieces.append((found.group(), True))
        cursor = found.end()
    pieces.append((body[cursor:], False))
    if left:
        pieces.insert(0, (left, False))
    return _merge(pieces)


def _merge(pieces: Iterable[tuple[str, bool]]) -> tuple[tuple[str, bool], ...]:
    merged: list[tuple[str, bool]] = []
    for piece, match in pieces:
        if not piece:
            continue
        if merged and merged[-1][1] == match and not match:
            merged[-1] = (merged[-1][0] + piece, False)
        else:
            merged.append((piece, match))
    return tuple(merged)
