"""What a question asks for: its expected answer type and its weighted topic terms."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from ragkit.engine.aqa.text import Token, stem, tokenize, words


class AnswerType(Enum):
    """Coarse answer types that the span extractor can recognise on the surface."""

    PERSON = "person"
    DATE = "date"
    NUMBER = "number"
    PERCENT = "percent"
    MONEY = "money"
    DURATION = "duration"
    LOCATION = "location"
    REASON = "reason"
    MANNER = "manner"
    ENTITY = "entity"


_TIME_NOUNS = r"(?:year|years|decade|century|centuries|date|day|month|time|era|period|season)"
_PLACE_NOUNS = (
    r"(?:country|countries|city|cities|state|states|place|places|location|region|continent|"
    r"town|province|island|river|nation|county|area|village|capital|district|street|building)"
)
_PERSON_NOUNS = (
    r"(?:person|people|man|woman|king|queen|president|leader|scientist|author|writer|"
    r"emperor|composer|artist|player|architect|founder|inventor|director|minister|general|"
    r"pope|ruler|explorer|engineer|designer|philosopher|poet|actor|singer|chancellor|"
    r"psychologist|chemist|physicist|biologist|economist|journalist|musician|politician|"
    r"historian|mathematician|painter|sculptor|novelist|ceo|chairman|chairwoman|co-founder|"
    r"employee|senator|governor|mayor|prime minister|bishop|saint|prince|princess|duke)"
)

# Ordered: the first rule that matches the (lowercased) question wins.
_RULES: tuple[tuple[str, AnswerType], ...] = (
    (
        r"\bhow (?:many|much) (?:percent|per cent)\b|\bwhat (?:percent|percentage|proportion|"
        r"share|fraction)\b|\bwhat is the percentage\b",
        AnswerType.PERCENT,
    ),
    (
        r"\bhow much (?:money|did .* cost|does .* cost|was .* worth|is .* worth)\b|"
        r"\bhow much did\b.*\b(?:pay|paid|cost|spend|spent|raise|earn)\b|\bwhat (?:was|is) the "
        r"(?:cost|price|budget|value|revenue|salary|fee)\b",
        AnswerType.MONEY,
    ),
    (
        r"\bhow (?:long|old)\b|\bfor how long\b|"
        r"\bwhat (?:was|is) the (?:duration|length of time)\b",
        AnswerType.DURATION,
    ),
    (
        r"\bhow (?:many|much|far|large|big|high|tall|deep|wide|heavy|fast|often|frequently)\b|"
        r"\bwhat (?:is|was|are|were) the (?:number|population|size|amount|total|area|height|"
        r"length|speed|rate|temperature|distance|depth|weight|width)\b|\bwhat number\b|"
        r"\bhow (?:few|small)\b",
        AnswerType.NUMBER,
    ),
    (
        rf"\bwhen\b|\b(?:what|which|in what|in which) {_TIME_NOUNS}\b|\bwhat (?:was|is) the "
        rf"{_TIME_NOUNS}\b|\bsince when\b|\bby when\b",
        AnswerType.DATE,
    ),
    (
        rf"\bwho\b|\bwhom\b|\bwhose\b|\b(?:what|which) {_PERSON_NOUNS}\b|\bwhat (?:was|is) "
        rf"(?:his|her) name\b|\bwho's\b",
        AnswerType.PERSON,
    ),
    (
        rf"\bwhere\b|\b(?:what|which|in what|in which) {_PLACE_NOUNS}\b|\bfrom what "
        rf"{_PLACE_NOUNS}\b",
        AnswerType.LOCATION,
    ),
    (
        r"\bwhy\b|\bwhat (?:was|is|were|are) the (?:reason|cause|purpose)s?\b|\bfor what "
        r"(?:reason|purpose)\b|\bwhat caused\b",
        AnswerType.REASON,
    ),
    (r"\bhow\b", AnswerType.MANNER),
)

_WH_WORDS = words("what which who whom whose when where why how name list identify")
_AUXILIARIES = words(
    "do does did is was are were be been has have had can could will would should must may "
    "might shall 's"
)
NEGATIONS = words("not no never none nothing neither nor without")
_NEGATION_SUFFIX = re.compile(r"n['’]t$")


@dataclass(frozen=True)
class Question:
    """A question reduced to what the answerer needs.

    ``weights`` maps each topic stem to its weight (capitalised words and numbers count
    more: they name the thing asked about, and a passage lacking them rarely answers);
    ``tokens`` are the question's own tokens; ``negated`` tells whether it is negated.
    """

    text: str
    answer_type: AnswerType
    weights: dict[str, float]
    tokens: tuple[Token, ...]
    negated: bool
    has_wh_word: bool
    # Where the answer sits relative to the words the question shares with the passage:
    # "after" for object questions ("What does X allow?"), "before" for subject questions
    # ("Who registered X?"), "" when unclear.
    answer_side: str = ""
    unit: str = ""  # stem of the counted noun of "how many <unit>" ("" otherwise)
    # The shape of answer the wording asks for (see ``shapes.py``): "list" for "What are
    # the three levels of X?", "condition" for "When is X high?", "definition" for "What
    # is X?", "object" for "What does X define?", "" otherwise. ``subject`` holds the
    # stems of the term to define (the verb's stem for "object") and ``count`` the number
    # of items a list question names (0 when it names none).
    shape: str = ""
    subject: tuple[str, ...] = ()
    count: int = 0

    @property
    def total_weight(self) -> float:
        """Sum of the topic weights (0.0 for a question with no topic word)."""
        return sum(self.weights.values())


def answer_type(text: str) -> AnswerType:
    """The coarse answer type a question expects.

    >>> answer_type("How many days did the Warsaw Uprising last?")
    <AnswerType.NUMBER: 'number'>
    >>> answer_type("When was the bridge opened?")
    <AnswerType.DATE: 'date'>
    """
    lower = " ".join(text.lower().split())
    for pattern, kind in _RULES:
        if re.search(pattern, lower):
            return kind
    return AnswerType.ENTITY


def analyse(text: str, *, context: str = "", context_weight: float = 0.5) -> Question:
    """Analyse ``text``; topic terms of ``context`` (earlier turns) join at a lower weight.

    >>> q = analyse("When was the bridge opened?")
    >>> q.answer_type.value, sorted(q.weights)
    ('date', ['bridg', 'open'])
    """
    tokens = tokenize(text)
    weights: dict[str, float] = {}
    for i, tok in enumerate(tokens):
        if tok.is_stopword or tok.lower in _WH_WORDS:
            continue
        w = 1.0
        if tok.is_number:
            w = 2.0
        elif tok.is_capitalized and i > 0:
            w = 1.6
        weights[tok.stem] = max(weights.get(tok.stem, 0.0), w)
    for tok in tokenize(context):
        if tok.is_stopword or tok.lower in _WH_WORDS or tok.stem in weights:
            continue
        weights[tok.stem] = context_weight
    negated = any(t.lower in NEGATIONS or _NEGATION_SUFFIX.search(t.lower) for t in tokens)
    has_wh = any(t.lower in _WH_WORDS for t in tokens)
    kind = answer_type(text)
    shape, subject, count = question_shape(text, kind)
    return Question(
        text,
        kind,
        weights,
        tuple(tokens),
        negated,
        has_wh,
        _answer_side(tokens),
        _unit(tokens),
        shape,
        subject,
        count,
    )


_CONDITION_RE = re.compile(
    r"^(?:when|under what (?:conditions?|circumstances)|in (?:what|which) (?:cases?|situations?))"
    r" (?:is|are|does|do|should|must|can|may|will|shall|would|could|might|need)\b"
)
_DEFINITION_RE = re.compile(
    r"^(?:what (?:is|are) (?:meant by )?(?:an? |the )?(?P<a>.+)"
    r"|what does (?:an? |the )?(?P<b>.+?) (?:mean|stand for|refer to)"
    r"|define (?:an? |the )?(?P<c>.+))$"
)
_LIST_RE = re.compile(
    r"^(?:(?:what|which) (?:are|were)\b|(?:list|name|enumerate)\b)"
    r"|\b(?:kinds|types|forms|levels|categories|examples|values)\b"
    r"|\b(?:include|includes|consist|contain)\b"
    # a plural head: "Which runtimes ...", "What Wasm runtimes ..." (not "what does ...")
    r"|^(?:what|which) (?:(?!(?:does|do|did|is|was|are|has)\b)\w+ )?"
    r"(?!(?:does|is|was|has|this|its)\b)\w+[^\Wsu]s\b"
)
# "What does FIPS 199 define?": the answer is the object of the question's last word.
_OBJECT_RE = re.compile(r"^what (?:does|do|did) \S.* (?P<verb>[a-z]{3,})$")
# Words that show the question's last word is not its main verb ("What do ducks make
# before breeding?", "What does opening files use instead of WASI?").
_OBJECT_BLOCKERS = words("before after instead of with for by in on to that which from about")
_COUNT_WORDS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10,
}  # fmt: skip
_DEFINITION_MAX_WORDS = 5


def question_shape(text: str, kind: AnswerType | None = None) -> tuple[str, tuple[str, ...], int]:
    """``(shape, subject stems, item count)`` of a question (see ``Question.shape``).

    >>> question_shape("What are the three levels of potential impact?")
    ('list', (), 3)
    >>> question_shape("When is the potential impact high?")
    ('condition', (), 0)
    >>> question_shape("What is a docstring?")
    ('definition', ('docstr',), 0)
    >>> question_shape("What does FIPS 199 define?")
    ('object', ('defin',), 0)
    """
    lower = " ".join(text.lower().split()).rstrip(" ?.!")
    kind = answer_type(text) if kind is None else kind
    if _CONDITION_RE.search(lower):
        return "condition", (), 0
    if kind is not AnswerType.ENTITY:
        return "", (), 0
    count = next((_COUNT_WORDS[w] for w in lower.split() if w in _COUNT_WORDS), 0)
    if not count:
        count = next((int(w) for w in lower.split() if w.isdigit() and 1 < int(w) < 20), 0)
    m = _DEFINITION_RE.search(lower)
    if m and not count:
        term = next(g for g in m.groups() if g)
        stems = tuple(t.stem for t in tokenize(term) if not t.is_stopword)
        if stems and len(term.split()) <= _DEFINITION_MAX_WORDS:
            return "definition", stems, 0
    if count or _LIST_RE.search(lower):
        return "list", (), count
    m = _OBJECT_RE.search(lower)
    if m and not _OBJECT_BLOCKERS.intersection(lower.split()[-4:-1]):
        return "object", (stem(m.group("verb")),), 0
    return "", (), 0


def _answer_side(tokens: list[Token]) -> str:
    """ "after" when the wh-phrase is an object, "before" when it is the subject."""
    wh = next((i for i, t in enumerate(tokens) if t.lower in _WH_WORDS), None)
    if wh is None:
        return ""
    i = wh + 1
    if tokens[wh].lower in ("what", "which", "whose", "how") and i < len(tokens):
        # Skip the wh-phrase's head ("which duck", "how many days"): up to the first
        # auxiliary or the first word after a one- or two-word head.
        j = i
        while j < len(tokens) and j < i + 3 and tokens[j].lower not in _AUXILIARIES:
            j += 1
        i = j if j < len(tokens) and tokens[j].lower in _AUXILIARIES else i + 1
    if i >= len(tokens):
        return ""
    return "after" if tokens[i].lower in _AUXILIARIES else "before"


def _unit(tokens: list[Token]) -> str:
    """The counted noun of "how many days ..." ("" when there is none)."""
    for a, b, c in zip(tokens, tokens[1:], tokens[2:], strict=False):
        if a.lower == "how" and b.lower in ("many", "much") and not c.is_stopword:
            return c.stem
    return ""
