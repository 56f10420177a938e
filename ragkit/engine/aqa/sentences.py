"""The passages cut into sentences, and which sentences the question points at."""

from __future__ import annotations

import functools
import itertools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from ragkit.engine.aqa.question import Question
from ragkit.engine.aqa.text import Token, sentence_spans, tokenize, words
from ragkit.engine.aqa.types import Passage


@dataclass(frozen=True)
class Sentence:
    """One sentence of one passage part; token offsets are relative to the part."""

    index: int  # position among all sentences, in passage order
    passage_index: int
    part_index: int
    start: int
    end: int
    text: str
    tokens: tuple[Token, ...]

    carried: frozenset[str] = frozenset()  # topic stems a leading pronoun refers back to

    @functools.cached_property
    def stems(self) -> frozenset[str]:
        """The set of stems of the sentence's non-stopword tokens."""
        return frozenset(t.stem for t in self.tokens if not t.is_stopword)

    def between(self, left: int, right: int) -> str:
        """The text between tokens ``left`` and ``right`` (punctuation and spaces)."""
        return self.text[self.tokens[left].end - self.start : self.tokens[right].start - self.start]


# A sentence that opens with one of these (or follows a heading) continues the previous
# sentence's topic.
_LEADING_ANAPHORA = words("it its he she his her they their this these such there")
CARRIED_CREDIT = 0.5  # share of a term's weight earned when only the pronoun points at it
_ANAPHORA_WINDOW = 3  # "It was ...", "Disassembling it, ...": a pronoun among the first words
_HEADING_MAX_WORDS = 12


_KEY_VALUE = re.compile(r"^[A-Z][\w-]*: \S")  # "Status: Active", "PEP: 257"


def _is_heading(text: str) -> bool:
    """A title line ("Security Objectives", "Published 21 November 2019 ..."): short and
    without a closing period (and no "Key: value" line). The sentence after it is about
    the heading's topic."""
    stripped = text.rstrip()
    return (
        bool(stripped)
        and stripped[-1] not in ".!?:;,"
        and len(stripped.split()) <= _HEADING_MAX_WORDS
        and not _KEY_VALUE.match(stripped)
    )


def split_passages(passages: Sequence[Passage]) -> list[Sentence]:
    """Every sentence of every part of ``passages``, in order."""
    out: list[Sentence] = []
    for p_index, passage in enumerate(passages):
        previous: Sentence | None = None
        for part_index, part in enumerate(passage.parts):
            for start, end in sentence_spans(part):
                tokens = tuple(tokenize(part[start:end], offset=start))
                if not tokens:
                    continue
                carried: frozenset[str] = frozenset()
                text = part[start:end]
                if previous is not None and (
                    any(t.lower in _LEADING_ANAPHORA for t in tokens[:_ANAPHORA_WINDOW])
                    or _is_heading(previous.text)
                ):
                    carried = previous.stems
                elif (
                    previous is not None
                    and _KEY_VALUE.match(text)
                    and _KEY_VALUE.match(previous.text)
                ):
                    # A block of "Key: value" lines (a document's header) is about one thing:
                    # "Status: Active" is the status of the "PEP: 257" two lines up.
                    carried = previous.stems | previous.carried
                index = len(out)
                sentence = Sentence(index, p_index, part_index, start, end, text, tokens, carried)
                out.append(sentence)
                previous = sentence
    return out


def term_idf(question: Question, sentences: Sequence[Sentence]) -> dict[str, float]:
    """A local inverse document frequency of each question term over the sentences.

    Terms found in every sentence (the passage's topic) say little about *which* sentence
    answers; terms found in one sentence say a lot. Terms found nowhere keep the top value
    so that their absence still weighs on coverage.
    """
    n = len(sentences)
    stems = [s.stems for s in sentences]
    idf: dict[str, float] = {}
    for term in question.weights:
        df = sum(1 for st in stems if term in st)
        idf[term] = math.log(1.0 + (n + 1.0) / (df + 0.5))
    return idf


@dataclass(frozen=True)
class SentenceMatch:
    """How well one sentence covers the question."""

    sentence: Sentence
    coverage: float  # idf- and weight-weighted share of the question terms it contains
    bigrams: float  # share of the question's adjacent term pairs found adjacent in it
    score: float


def _bigrams(stems: Sequence[str]) -> set[tuple[str, str]]:
    return set(itertools.pairwise(stems))


def rank_sentences(question: Question, sentences: Sequence[Sentence]) -> list[SentenceMatch]:
    """Sentences by decreasing match with the question (ties: earlier sentence first)."""
    idf = term_idf(question, sentences)
    total = sum(question.weights[t] * idf[t] for t in question.weights) or 1.0
    q_stems = [t.stem for t in question.tokens if t.stem in question.weights]
    q_bigrams = _bigrams(q_stems)
    matches: list[SentenceMatch] = []
    for sentence in sentences:
        present = sentence.stems
        covered = 0.0
        for t, w in question.weights.items():
            if t in present:
                covered += w * idf[t]
            elif t in sentence.carried:
                covered += CARRIED_CREDIT * w * idf[t]
        coverage = covered / total
        s_stems = [t.stem for t in sentence.tokens if not t.is_stopword]
        bigrams = len(q_bigrams & _bigrams(s_stems)) / len(q_bigrams) if q_bigrams else 0.0
        score = coverage + 0.25 * bigrams
        matches.append(SentenceMatch(sentence, coverage, bigrams, score))
    matches.sort(key=lambda m: (-m.score, m.sentence.index))
    return matches
