"""Answer spans inside a sentence: enumerate short spans, score them with answer-type cues.

The scorer encodes how extractive answers sit in text: next to the words the question
shares with the sentence, not made of those words, bounded by punctuation or function
words, of the kind the question asks for (a number for "how many", a year for "when",
capitalised names for "who"/"where"), and short.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ragkit.engine.aqa.question import AnswerType, Question
from ragkit.engine.aqa.sentences import Sentence
from ragkit.engine.aqa.text import STOPWORDS, Token, words

NUMBER_WORDS = words("""
    zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen
    fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy
    eighty ninety hundred hundreds thousand thousands million millions billion billions
    trillion dozen dozens half quarter several few
    """)
MONTHS = words("""
    january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec
    """)
_TIME_UNITS = words("""
    second seconds minute minutes hour hours day days week weeks month months year years
    decade decades century centuries millennium millennia
    """)
_DATE_WORDS = words("century centuries decade bc bce ad ce spring summer autumn winter")
_CURRENCY = words("dollar dollars pound pounds euro euros yen francs franc cents usd eur gbp")
_PERCENT_WORDS = words("percent per cent percentage")
# Words that may sit inside a multi-word name: "University of Warsaw", "Leonardo da Vinci".
_NAME_JOINERS = words("of the de da di del von van der le la du and for on")
# Words after which an answer often starts.
_LEFT_CUES = words("""
    is was are were be been by as of in on at from to for called named known including
    include includes such than about around approximately nearly almost over under the a an
    """)
_YEAR_RE = re.compile(r"^(1[0-9]{3}|20[0-9]{2})s?$")
_HARD_BREAK = re.compile(r"[;:()\[\]\"“”]|\s[-–—]\s|[–—]")
_MAX_LEN = {
    AnswerType.REASON: 14,
    AnswerType.MANNER: 10,
    AnswerType.ENTITY: 8,
}


@dataclass(frozen=True)
class Span:
    """A candidate answer: tokens ``[first, last]`` of ``sentence``; offsets in the part."""

    sentence: Sentence
    first: int
    last: int
    score: float
    type_match: float

    @property
    def start(self) -> int:
        """Offset of the span's first character in its passage part."""
        return self.sentence.tokens[self.first].start

    @property
    def end(self) -> int:
        """Offset just past the span's last character in its passage part."""
        return self.sentence.tokens[self.last].end


def _is_numberish(tok: Token) -> bool:
    return tok.is_number or tok.lower in NUMBER_WORDS


_COMPACT_TYPES = frozenset(
    (
        AnswerType.NUMBER,
        AnswerType.DATE,
        AnswerType.PERCENT,
        AnswerType.MONEY,
        AnswerType.DURATION,
    )
)


def _is_compact_token(tok: Token) -> bool:
    """Tokens that belong in a number/date answer: digits, months, units, currencies."""
    w = tok.lower
    return (
        _is_numberish(tok)
        or w in MONTHS
        or w in _TIME_UNITS
        or w in _DATE_WORDS
        or w in _CURRENCY
        or w in _PERCENT_WORDS
    )


def _is_name_token(tok: Token) -> bool:
    return (tok.is_capitalized or tok.is_number) and tok.lower not in STOPWORDS


def _gap(sentence: Sentence, left: Token, right: Token) -> str:
    """Text between two tokens of the sentence (punctuation and spaces)."""
    offset = sentence.start
    return sentence.text[left.end - offset : right.start - offset]


def _type_match(kind: AnswerType, toks: list[Token], sentence: Sentence, first: int) -> float:
    """How well the span's surface form fits the expected answer type, in [0, 1]."""
    lowers = [t.lower for t in toks]
    has_num = any(_is_numberish(t) for t in toks)
    after = sentence.text[toks[-1].end - sentence.start :][:2]
    before = sentence.text[: toks[0].start - sentence.start][-2:]
    if kind is AnswerType.NUMBER:
        if not has_num:
            return 0.0
        if _in_date(toks, sentence):
            return 0.3  # a date, not a count
        return 1.0 if _is_numberish(toks[0]) else 0.6
    if kind is AnswerType.PERCENT:
        if not has_num:
            return 0.0
        if "%" in after or any(w in _PERCENT_WORDS for w in lowers):
            return 1.0
        return 0.3
    if kind is AnswerType.MONEY:
        if not has_num:
            return 0.0
        if "$" in before or "£" in before or "€" in before or any(w in _CURRENCY for w in lowers):
            return 1.0
        return 0.4
    if kind is AnswerType.DURATION:
        if not has_num:
            return 0.0
        return 1.0 if any(w in _TIME_UNITS for w in lowers) else 0.5
    if kind is AnswerType.DATE:
        years = sum(1 for t in toks if _YEAR_RE.match(t.lower))
        months = sum(1 for w in lowers if w in MONTHS)
        if years or months:
            return 1.0
        if any(w in _DATE_WORDS for w in lowers) and has_num:
            return 0.9
        return 0.2 if has_num else 0.0
    if kind in (AnswerType.PERSON, AnswerType.LOCATION):
        content = [t for t in toks if t.lower not in _NAME_JOINERS]
        if not content or not all(_is_name_token(t) for t in content):
            return 0.0
        if all(t.is_number for t in content) or any(w in MONTHS for w in lowers):
            return 0.0
        if first == 0 and len(content) == 1:
            # A lone capitalised word at the start of a sentence may just be capitalised.
            return 0.5
        if kind is AnswerType.LOCATION and before.strip().lower()[-2:] in ("in", "at"):
            return 1.0
        return 0.9
    if kind is AnswerType.REASON:
        return 0.7
    if kind is AnswerType.MANNER:
        return 0.5
    # ENTITY: names and numbers are the typical short factoid answers.
    if all(_is_name_token(t) for t in toks if t.lower not in _NAME_JOINERS):
        return 0.6
    return 0.3


def _in_date(toks: list[Token], sentence: Sentence) -> bool:
    """True when the span is (part of) a date: it holds or touches a month or a year."""
    if any(t.lower in MONTHS or _YEAR_RE.match(t.lower) for t in toks):
        return True
    i = sentence.tokens.index(toks[0])
    j = i + len(toks)
    neighbours = sentence.tokens[max(0, i - 1) : i] + sentence.tokens[j : j + 1]
    return any(t.lower in MONTHS for t in neighbours)


def _boundary_ok(sentence: Sentence, first: int, last: int) -> bool:
    toks = sentence.tokens
    for i in range(first, last):
        if _HARD_BREAK.search(_gap(sentence, toks[i], toks[i + 1])):
            return False
    return True


def spans_in(question: Question, sentence: Sentence) -> list[Span]:
    """All plausible answer spans of ``sentence``, best first (ties: leftmost, shortest)."""
    toks = sentence.tokens
    n = len(toks)
    weights = question.weights
    total = question.total_weight or 1.0
    matched = [t.stem in weights and not t.is_stopword for t in toks]
    kind = question.answer_type
    max_len = _MAX_LEN.get(kind, 5)
    compact = kind in _COMPACT_TYPES
    out: list[Span] = []
    for first in range(n):
        if toks[first].lower in STOPWORDS and not _is_numberish(toks[first]):
            continue
        for last in range(first, min(n, first + max_len)):
            if toks[last].lower in STOPWORDS and not _is_numberish(toks[last]):
                continue
            if not _boundary_ok(sentence, first, last):
                break
            span_toks = list(toks[first : last + 1])
            length = last - first + 1
            # A unit the question names ("how many days" -> "63 days") is no overlap.
            overlap = (
                sum(
                    1
                    for i in range(first, last + 1)
                    if matched[i] and not (compact and _is_compact_token(toks[i]))
                )
                / length
            )
            if overlap >= 1.0:
                continue
            proximity = 0.0
            for i, is_match in enumerate(matched):
                if not is_match:
                    continue
                if first <= i <= last:
                    if compact and _is_compact_token(toks[i]):
                        proximity += weights[toks[i].stem]
                    continue
                dist = first - i if i < first else i - last
                proximity += weights[toks[i].stem] / (1.0 + 0.5 * (dist - 1))
            proximity /= total
            left_ok = first == 0 or (
                matched[first - 1]
                or toks[first - 1].lower in _LEFT_CUES
                or bool(re.search(r"[,;:(]\s*$", _gap(sentence, toks[first - 1], toks[first])))
            )
            right_ok = last == n - 1 or (
                matched[last + 1]
                or toks[last + 1].lower in STOPWORDS
                or bool(re.search(r"[,;:.)]", _gap(sentence, toks[last], toks[last + 1])))
            )
            type_match = _type_match(kind, span_toks, sentence, first)
            commas = sum(
                1 for i in range(first, last) if "," in _gap(sentence, toks[i], toks[i + 1])
            )
            content = sum(1 for t in span_toks if not t.is_stopword)
            # Typed answers are compact: words that are not part of the number/date cost.
            extra = 0
            if compact:
                extra = sum(1 for t in span_toks if not _is_compact_token(t))
            score = (
                1.2 * type_match
                + 1.0 * min(proximity, 1.0)
                - 1.5 * overlap
                + 0.25 * left_ok
                + 0.25 * right_ok
                - 0.12 * max(0, content - 3)
                - 0.3 * commas
                - 0.2 * extra
                - 0.03 * length
            )
            out.append(Span(sentence, first, last, score, type_match))
    out.sort(key=lambda s: (-s.score, s.first, s.last))
    return out
