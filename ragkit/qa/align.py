"""Sentence-level attribution: which cited passage supports each answer sentence.

The API attributes an answer to passages as a whole. A reader wants more: for
each sentence of the answer, the passage(s) that say it, and a flag on any
sentence that none of them supports. Support is measured lexically (the share of
the sentence's content words found in the passage) because the answer is built
from those passages: a supported sentence repeats their words, an unsupported one
brings words of its own.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

# A sentence is supported when at least this share of its content words occur in
# one passage. 0.6 accepts light rewording (an abstractive answer that drops or
# reorders words) and rejects a sentence that only shares its topic words.
SUPPORT_THRESHOLD = 0.6

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'(\[]?[A-Z0-9])")
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)
_STOPWORDS = frozenset(
    """a an and are as at be by for from has have in is it its of on or that the their
    this to was were will with which who what when where why how than then there these
    those be been being do does did not no can could should would may might shall""".split()
)


@dataclass(frozen=True)
class SentenceSupport:
    """One answer sentence and the passages (by index) that support it."""

    sentence: str
    supporting: tuple[int, ...]
    score: float

    @property
    def supported(self) -> bool:
        """Whether at least one passage supports the sentence."""
        return bool(self.supporting)


def split_sentences(text: str) -> list[str]:
    """Split prose into sentences, keeping abbreviations like "e.g." mostly intact.

    >>> split_sentences("Keys rotate yearly. Old keys expire! Why? Policy.")
    ['Keys rotate yearly.', 'Old keys expire!', 'Why?', 'Policy.']
    """
    pieces = (piece.strip() for piece in _SENTENCE_END.split(text.strip()))
    return [piece for piece in pieces if piece]


def content_words(text: str) -> list[str]:
    """Lower-cased words of ``text`` without stopwords (numbers kept)."""
    return [word for word in _WORD.findall(text.lower()) if word not in _STOPWORDS]


def align_sentences(answer: str, passages: Sequence[str]) -> list[SentenceSupport]:
    """For each sentence of ``answer``, the passages that contain most of its words.

    >>> [s.supporting for s in align_sentences(
    ...     "Keys are rotated every 90 days. The moon is cheese.",
    ...     ["Rotate keys every 90 days.", "Keys identify a project."])]
    [(0,), ()]
    """
    vocabularies = [{_stem(word) for word in content_words(passage)} for passage in passages]
    aligned = []
    for sentence in split_sentences(answer):
        words = content_words(sentence)
        if not words:
            continue
        coverage = [
            sum(_stem(word) in vocabulary for word in words) / len(words)
            for vocabulary in vocabularies
        ]
        supporting = tuple(
            index for index, share in enumerate(coverage) if share >= SUPPORT_THRESHOLD
        )
        supporting = tuple(sorted(supporting, key=lambda index: -coverage[index]))
        aligned.append(SentenceSupport(sentence, supporting, max(coverage, default=0.0)))
    return aligned


def locate(needle: str, haystack: str) -> tuple[int, int] | None:
    """Character span of ``needle`` inside ``haystack``, ignoring case and spacing.

    Used to highlight the answer inside the quoted passage.

    >>> locate("every 90  days", "Rotate keys Every 90 days.")
    (12, 25)
    """
    words = needle.split()
    if not words:
        return None
    pattern = r"\s+".join(re.escape(word) for word in words)
    found = re.search(pattern, haystack, flags=re.IGNORECASE)
    return (found.start(), found.end()) if found else None


def _stem(word: str) -> str:
    # Light stemming so "rotated" is supported by "rotate" and "keys" by "key".
    for suffix in ("ing", "ed", "es", "s", "e"):
        if len(word) > len(suffix) + 2 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word
