"""Tokens, a light stemmer, stopwords and sentence boundaries, all with character offsets.

Offsets matter: an extractive answer must be a verbatim substring of the passage part it
is attributed to, so every token and sentence keeps its ``start``/``end`` in that part.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache


def words(text: str) -> frozenset[str]:
    """The set of white-space separated words of ``text`` (for readable word lists)."""
    return frozenset(text.split())


# Words that carry no topic. Question words are stopwords too: they say what kind of
# answer is wanted (see ``question.py``), never what it is about.
STOPWORDS = words("""
    a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each
    few for from further had has have having he her here hers herself him himself his how
    i if in into is it its itself just me more most my myself no nor not now of off on once
    only or other our ours ourselves out over own same she should so some such than that the
    their theirs them themselves then there these they this those through to too under until
    up very was we were what when where which while who whom whose why will with would you
    your yours yourself yourselves many much one ones s t can't cannot won't don't isn't
    aren't wasn't weren't doesn't didn't hasn't haven't hadn't shall may might must upon
    via per whether yet onto within without among amongst across along around
    """)

_TOKEN_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)*(?:[.,][0-9]+)*", re.UNICODE)

# Abbreviations whose trailing period does not end a sentence.
_ABBREVIATIONS = words("""
    mr mrs ms dr prof sr jr st mt ft vs etc e.g i.e cf al fig figs no nos vol vols pp
    p ed eds inc ltd co corp u.s u.k u.n jan feb mar apr jun jul aug sep sept oct nov dec
    approx ca c sec ch art gen gov lt col sgt capt rev
    """)
_SENTENCE_END_RE = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s+|$)")


@dataclass(frozen=True)
class Token:
    """A word with its offsets in the source text, lowercased and stemmed forms."""

    text: str
    start: int
    end: int
    lower: str
    stem: str

    @property
    def is_stopword(self) -> bool:
        """True for function words (matched on the lowercased form)."""
        return self.lower in STOPWORDS

    @property
    def is_capitalized(self) -> bool:
        """True when the word starts with an upper-case letter."""
        return self.text[:1].isupper()

    @property
    def is_number(self) -> bool:
        """True for digits, possibly with separators ("1,200", "3.5")."""
        return self.text[:1].isdigit()


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A small suffix stripper: enough to match "opened"/"opens"/"opening" with "open".

    >>> [stem(w) for w in ("opened", "rotated", "studies", "keys", "running")]
    ['open', 'rotat', 'studi', 'key', 'run']
    """
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    if len(w) <= 3 or w[0].isdigit():
        return w
    for suffix, keep in (
        ("ational", "at"),
        ("ization", "iz"),
        ("fulness", "ful"),
        ("iveness", "iv"),
        ("ations", "at"),
        ("ation", "at"),
        ("ments", ""),
        ("ment", ""),
        ("ness", ""),
        ("ingly", ""),
        ("ings", ""),
        ("ing", ""),
        ("edly", ""),
        ("ies", "i"),
        ("ied", "i"),
        ("ly", ""),
        ("ed", ""),
        ("es", ""),
        ("s", ""),
        ("e", ""),
        ("y", "i"),
    ):
        if suffix == "ed" and w.endswith("ed") and len(w) == 4 and w[1] != "e":
            w = w[:-1]  # "used" -> "use", "aged" -> "age": as short as their base forms
            break
        if w.endswith(suffix) and len(w) - len(suffix) + len(keep) >= 3:
            if suffix == "s" and w.endswith(("ss", "us", "is")):
                continue
            if suffix == "es" and not w.endswith(("sses", "xes", "ches", "shes", "zes", "oes")):
                # "games" -> "game" -> "gam": drop only the "s" and let the "e" rule act.
                w = w[:-1]
                break
            w = w[: len(w) - len(suffix)] + keep
            break
    if w.endswith("e") and len(w) > 3:
        w = w[:-1]
    # "stopped" -> "stopp" -> "stop"
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "lsz" and w[-1].isalpha():
        w = w[:-1]
    return w


def tokenize(text: str, offset: int = 0) -> list[Token]:
    """Word tokens of ``text``; offsets are shifted by ``offset``.

    >>> [t.text for t in tokenize("It opened in 1932, costing $4.5 million.")]
    ['It', 'opened', 'in', '1932', 'costing', '4.5', 'million']
    """
    out: list[Token] = []
    for m in _TOKEN_RE.finditer(text):
        word = m.group(0)
        lower = word.lower()
        out.append(Token(word, m.start() + offset, m.end() + offset, lower, stem(lower)))
    return out


def content_stems(text: str) -> list[str]:
    """Stems of the non-stopword tokens of ``text``, in order."""
    return [t.stem for t in tokenize(text) if not t.is_stopword]


# Line shapes of documents (PDF, Markdown, reStructuredText) that start a new sentence
# even without a period: a bullet or numbered item, a "Key: value" or glossary line
# ("Title: ...", "INFORMATION TYPE: ..."), and a line in capitals (a heading).
_BULLET_LINE = re.compile(r"\n[ \t]*(?:[-•*−–]|\d{1,2}[.)])[ \t]+")
_KEY_LINE = re.compile(r"\n(?=[A-Z][A-Za-z-]*(?: [A-Z][A-Za-z-]*){0,3}: )")
_CAPS_LINE = re.compile(
    r"\n(?=[^a-z\n]*[A-Z]{3}[^a-z\n]*(?:\n|$))|(?<=\n)[^a-z\n]*[A-Z]{3}[^a-z\n]*(?=\n)"
)
# A line that ends in a phrase leading into the next line ("... is LOW if—", "of the").
_OPEN_LINE_END = re.compile(r"(?:[—–-]|\b(?:if|when|unless|and|or|of|the|to))[ \t]*$")
_TITLE_MAX_WORDS = 8
_CITATION_LINE = re.compile(r"^\[[^\]\n]*\]$")


def _line_cuts(text: str) -> list[int]:
    """Offsets where a document's line layout starts a new sentence."""
    cuts: list[int] = []
    for m in _BULLET_LINE.finditer(text):
        line_start = text.rfind("\n", 0, m.start()) + 1
        if not _OPEN_LINE_END.search(text[line_start : m.start()]):
            cuts.append(m.start())
    cuts += [m.start() for m in _KEY_LINE.finditer(text)]
    for m in _CAPS_LINE.finditer(text):
        cuts.append(m.start() if text[m.start() : m.start() + 1] == "\n" else m.end())
    return cuts


def _title_end(segment: str) -> int | None:
    """Length of a heading line opening ``segment`` ("Security Objectives"), if any."""
    newline = segment.find("\n")
    if newline <= 0:
        return None
    first, rest = segment[:newline].strip(), segment[newline:].lstrip()
    if not first or not rest:
        return None
    if _CITATION_LINE.match(first):
        return newline  # "[44 U.S.C., Sec. 3542]" closing the previous quotation
    if len(first.split()) > _TITLE_MAX_WORDS:
        return None
    # A wrapped line of prose ("The NIST, through its") is no title.
    last_word = first.split()[-1].lower()
    if first[-1] in ".,;:!?—–-" or "," in first or last_word in STOPWORDS:
        return None
    return newline if rest[0].isupper() or rest[0].isdigit() else None


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` offsets of the sentences of ``text`` (whitespace trimmed).

    Splits after ``.``, ``!`` or ``?`` followed by white space, except after common
    abbreviations, single initials ("J. Smith") and when the next word starts in lower
    case. Blank lines always split (lists, headings and table rows from documents), and so
    do the line shapes of documents: bullets, "Key: value" lines, lines in capitals and a
    short title line opening a paragraph.

    >>> text = "Dr. Smith arrived in the U.S. in 1932. It rained. Then it stopped"
    >>> [text[a:b] for a, b in sentence_spans(text)]
    ['Dr. Smith arrived in the U.S. in 1932.', 'It rained.', 'Then it stopped']
    >>> doc = "Security Objectives\\nThe FISMA defines three objectives:\\n- confidentiality"
    >>> [doc[a:b] for a, b in sentence_spans(doc)]
    ['Security Objectives', 'The FISMA defines three objectives:', '- confidentiality']
    """
    cuts: list[int] = []
    for m in _SENTENCE_END_RE.finditer(text):
        end = m.end()
        before = text[: m.start()]
        word = re.search(r"([\w.]+)$", before)
        prev = word.group(1).lower() if word else ""
        if m.group(0).startswith(".") and (
            prev.rstrip(".") in _ABBREVIATIONS or (len(prev) == 1 and prev.isalpha())
        ):
            continue
        nxt = re.match(r"\s+([\"'“(\[]?)(\S)", text[end:])
        if nxt and (nxt.group(2).islower() or nxt.group(2) in ",;:"):
            continue
        cuts.append(end)
    for m in re.finditer(r"\n\s*\n", text):
        cuts.append(m.start())
    if "\n" in text:
        cuts += _line_cuts(text)
    spans: list[tuple[int, int]] = []
    start = 0
    for cut in [*sorted(set(cuts)), len(text)]:
        while cut > start:
            segment = text[start:cut]
            lead = len(segment) - len(segment.lstrip())
            trail = len(segment.rstrip())
            if trail <= lead:
                break
            title = _title_end(segment[lead:trail])
            if title is None:
                spans.append((start + lead, start + trail))
                break
            spans.append((start + lead, start + lead + title))
            start += lead + title
        start = max(start, cut)
    return spans
