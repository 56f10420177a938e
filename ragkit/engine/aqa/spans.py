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
from ragkit.engine.aqa.shapes import shaped_spans
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
_MEASURE_UNITS = words(
    "kg kilogram kilograms g gram grams lb lbs pound pounds km kilometre kilometres kilometer "
    "kilometers m metre metres meter meters cm mm mile miles feet foot ft inch inches ton tons "
    "tonnes acre acres hectares square degrees mph km/h times"
)
# Words that qualify a number: "less than 1 kg", "at least 8 characters", "about 300".
_NUMBER_MODIFIERS = words(
    "about around over under approximately nearly almost roughly some less more than least at up "
    "to only just"
)
# Words that are never a whole answer: discourse markers and hedges.
_NOT_ANSWERS = words(
    "however according first second third also generally including like claims although "
    "though thus therefore hence furthermore moreover additionally instead often usually "
    "typically mostly currently previously originally"
)
# Words that mark an organisation or a place rather than a person.
_NOT_PERSON = words(
    "inc corporation corp foundation university company council centre center association "
    "society systems communications network mobile group institute college school church "
    "party committee office agency department ministry river lake mountain street"
)
_TITLES = words("mr mrs ms dr sir lord lady king queen president saint st prof professor")
_YEAR_RE = re.compile(r"^(1[0-9]{3}|20[0-9]{2})s?$")
_HARD_BREAK = re.compile(r"[;:()\[\]\"“”]|\s[-–—]\s|[–—]")
# A shaped span (a list, a condition, a definition; see ``shapes.py``) fits the question
# as well as a typed answer does; it counts only when enough of the question sits at its
# cue.
SHAPE_BASE = 0.8
MIN_ANCHOR = 0.5
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


def _is_compact_token(tok: Token, unit: str = "") -> bool:
    """Tokens that belong in a number/date answer: digits, months, units, currencies."""
    w = tok.lower
    return (
        _is_numberish(tok)
        or (bool(unit) and tok.stem == unit)
        or w in _MEASURE_UNITS
        or w in _NUMBER_MODIFIERS
        or w in MONTHS
        or w in _TIME_UNITS
        or w in _DATE_WORDS
        or w in _CURRENCY
        or w in _PERCENT_WORDS
    )


def _first_names() -> frozenset[str]:
    return words(
        """
        aaron adam alan albert alex alexander alfred alice allen amanda amy andrew angela ann
        anna anne anthony antonio arthur barbara ben benjamin bernard betty bill blake bob
        brendan brian bruce carl carlos caroline catherine charles charlotte chris christian
        christopher claude daniel dave david dennis diana donald dorothy douglas edward
        elizabeth ellen emilio emily emma eric ernest eugene frank franklin frederick george
        gerald gordon grace harold harry heinrich helen henry herbert howard hugh ian isaac
        jack jacob jacques james jamie jane janet jason jean jeff jeffrey jennifer jerry jim
        joe johann john johnny jonathan jose joseph juan julia julius karl kate katherine
        kenneth kevin larry laura lawrence leo leonard leonardo linda louis louise lucy ludwig
        margaret maria mark martin mary matthew michael mike mitchell nancy napoleon nicholas
        oliver oscar patricia patrick paul peter philip pierre ralph raymond richard robert
        roger ronald rose roy russell ruth sam samuel sarah scott sean simon sophie stephen
        steve steven susan thomas tim timothy tom tony tristan victor vincent walt walter
        wilhelm william winston wolfgang
        """
    )


FIRST_NAMES = _first_names()


def _is_name_token(tok: Token) -> bool:
    return (tok.is_capitalized or tok.is_number) and tok.lower not in STOPWORDS


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
        if kind is AnswerType.PERSON:
            if any(w in _NOT_PERSON for w in lowers):
                return 0.3
            j = sentence.tokens.index(toks[0])
            titled = j > 0 and sentence.tokens[j - 1].lower in _TITLES
            if lowers[0] in FIRST_NAMES or titled:
                return 1.0
            return 0.7
        return 0.9
    if kind is AnswerType.REASON:
        return 0.7
    if kind is AnswerType.MANNER:
        return 0.5
    # ENTITY: names and numbers are the typical short factoid answers.
    if all(_is_name_token(t) for t in toks if t.lower not in _NAME_JOINERS):
        return ENTITY_NAME
    return 0.3


def _in_date(toks: list[Token], sentence: Sentence) -> bool:
    """True when the span is (part of) a date: it holds or touches a month or a year."""
    if any(t.lower in MONTHS or _YEAR_RE.match(t.lower) for t in toks):
        return True
    i = sentence.tokens.index(toks[0])
    j = i + len(toks)
    neighbours = sentence.tokens[max(0, i - 1) : i] + sentence.tokens[j : j + 1]
    return any(t.lower in MONTHS for t in neighbours)


ENTITY_NAME = 0.6  # type fit of a capitalised span for an untyped question


def _quoted(sentence: Sentence, first: Token, last: Token) -> bool:
    """True when the span is enclosed in quotation marks."""
    before = sentence.text[: first.start - sentence.start].rstrip()[-1:]
    after = sentence.text[last.end - sentence.start :].lstrip()[:1]
    return before in "\"'“‘" and after in "\"'”’" and bool(before) and bool(after)


def _boundary_ok(sentence: Sentence, first: int, last: int) -> bool:
    return not any(_HARD_BREAK.search(sentence.between(i, i + 1)) for i in range(first, last))


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
    unit = question.unit
    side = question.answer_side
    # Words of a typed answer that the question may share without being the answer: the
    # unit of "how many days" (-> "63 days"), a month; never a number the question names
    # ("When was PEP 257 created?" is not answered by "257").
    unit_like = [compact and _is_compact_token(t, unit) and not t.is_number for t in toks]
    for first in range(n):
        lead = toks[first]
        if lead.lower in STOPWORDS and not (
            _is_numberish(lead) or (compact and lead.lower in _NUMBER_MODIFIERS)
        ):
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
                sum(1 for i in range(first, last + 1) if matched[i] and not unit_like[i]) / length
            )
            if overlap >= 1.0:
                continue
            proximity = 0.0
            for i, is_match in enumerate(matched):
                if not is_match:
                    continue
                if first <= i <= last:
                    if unit_like[i]:
                        proximity += weights[toks[i].stem]
                    continue
                dist = first - i if i < first else i - last
                # The answer sits on the side of the shared words that the question's
                # word order predicts ("What does X allow?" -> after "allow").
                facing = (side == "after" and i < first) or (side == "before" and i > last)
                factor = 1.0 if facing or not side else 0.6
                proximity += factor * weights[toks[i].stem] / dist
            proximity /= total
            left_ok = first == 0 or (
                matched[first - 1]
                or toks[first - 1].lower in _LEFT_CUES
                or bool(re.search(r"[,;:(]\s*$", sentence.between(first - 1, first)))
            )
            right_ok = last == n - 1 or (
                matched[last + 1]
                or toks[last + 1].lower in STOPWORDS
                or (
                    toks[last + 1].lower.endswith(("ing", "ed"))
                    and not toks[last + 1].is_capitalized
                )
                or bool(re.search(r"[,;:.)]", sentence.between(last, last + 1)))
            )
            type_match = _type_match(kind, span_toks, sentence, first)
            commas = sum(1 for i in range(first, last) if "," in sentence.between(i, i + 1))
            content = sum(1 for t in span_toks if not t.is_stopword)
            bonus = 0.0
            if unit and last + 1 < n and toks[last + 1].stem == unit:
                bonus += 0.4  # "114 languages" for "how many languages"
            if _quoted(sentence, toks[first], toks[last]):
                bonus += 0.4  # a quoted term is a typical answer to "called"/"mean"
            if length == 1 and toks[first].lower in _NOT_ANSWERS:
                bonus -= 0.8
            if toks[last].lower.endswith("ly") and not compact:
                bonus -= 0.3
            # Typed answers are compact: words that are not part of the number/date cost.
            extra = 0
            if compact:
                extra = sum(1 for t in span_toks if not _is_compact_token(t, unit))
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
                + bonus
            )
            out.append(Span(sentence, first, last, score, type_match))
    out += shaped_candidates(question, sentence)
    out.sort(key=lambda s: (-s.score, s.first, s.last))
    return out


def shaped_candidates(question: Question, sentence: Sentence) -> list[Span]:
    """The well-anchored spans of the shape the question asks for, best first."""
    out = [
        Span(sentence, s.first, s.last, SHAPE_BASE + 1.2 + s.anchor + s.bonus, 1.0)
        for s in shaped_spans(question, sentence)
        if s.anchor >= MIN_ANCHOR
    ]
    out.sort(key=lambda s: (-s.score, s.first, s.last))
    return out
