"""Answers shaped by the question: enumerations, conditions and definitions.

Document questions often ask for a whole phrase rather than a name or a number, and the
text marks where that phrase sits:

- "What are the three levels of X?" -> the list after a colon, "such as", "including",
  "like" or "are" in the sentence about X ("...: low, moderate and high");
- "When is X high?" -> the conditional clause beside X ("X is high if ...", "If ..., X");
- "What is X?" -> the predicate after "X is", "X means", "X refers to", "X is defined as"
  or a glossary entry "X: ...";
- "What does X define?" -> the noun phrase after "X defines" ("three levels of potential
  impact"), up to a clause break or a word that starts another phrase.

Each finder returns candidate token ranges of one sentence with an *anchor*: the share of
the question's weighted terms that sit at the cue (before a list or a condition, or the
whole defined term right before its definer). ``spans.py`` scores them beside the short
spans it enumerates itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ragkit.engine.aqa.question import Question
from ragkit.engine.aqa.sentences import Sentence
from ragkit.engine.aqa.text import words

_LIST_CUE = re.compile(
    r"(?::|\b(?:such as|including|includes?|like|namely|are|were)\b|\be\.g\.|\bi\.e\.),?\s+"
)
_CONDITION_CUES = words("if when whenever unless once upon")
_DEFINERS = words("is are was were means mean")
# Verbs that define with a particle: "refers to", "stands for", "consists of".
_DEFINER_VERBS = words("refers refer stands stand consists consist")
_DEFINER_TAILS = words("to for of")
# What ends the phrase a shaped span may cover: a semicolon, a citation or a closing
# bracket, a colon (for conditions and definitions), a blank line.
_LIST_STOP = re.compile(r"[;\[\]()]|\n\s*\n")
_PHRASE_STOP = re.compile(r"[;:\[\]]|\n\s*\n")
_MAX_TOKENS = 40
_MAX_OBJECT = 12
# Words that end an object noun phrase: prepositions (but "of" and "with", which usually
# continue it), conjunctions, relative pronouns and modals.
_OBJECT_STOPS = words(
    "on in at for from by to into onto than as if when whenever unless because while that "
    "which who whom whose should would could can may might must will shall is are was were "
    "so but"
)
_MAX_LEAD = 2  # words allowed before a defined term ("A", "An", "The")
_MAX_NAME_WORDS = 8  # words of a spelled-out name before its acronym
# An expansion in parentheses answers "What does X stand for?" but is weaker evidence for
# "What is X?" than "X is ...": it ranks just below a definer.
_EXPANSION_ANCHOR = 0.8
_STANDS_FOR = re.compile(r"\bstands? for\b|\babbreviat|\bacronym")
_STANDS_FOR_BONUS = 0.5
_NAME_JOINERS = words("of and for the on")


@dataclass(frozen=True)
class Shaped:
    """A candidate span ``[first, last]`` (token indexes) and how well it is anchored."""

    first: int
    last: int
    anchor: float  # share of the question's weight at the cue, in [0, 1]
    bonus: float = 0.0  # e.g. a list with as many items as the question names


def shaped_spans(question: Question, sentence: Sentence) -> list[Shaped]:
    """Candidate spans of ``sentence`` of the shape ``question.shape`` asks for."""
    if question.shape == "list":
        return _lists(question, sentence)
    if question.shape == "condition":
        return _conditions(question, sentence)
    if question.shape == "definition":
        return _definitions(question, sentence)
    if question.shape == "object":
        return _objects(question, sentence)
    return []


def _share(question: Question, sentence: Sentence, lo: int, hi: int) -> float:
    """Weighted share of the question's terms found among tokens ``[lo, hi)``."""
    total = question.total_weight
    if not total or hi <= lo:
        return 0.0
    found = {t.stem for t in sentence.tokens[lo:hi] if not t.is_stopword}
    return sum(w for t, w in question.weights.items() if t in found) / total


def _phrase_end(sentence: Sentence, start: int, stop: re.Pattern[str]) -> int:
    """Last token of the phrase that starts at ``start`` (up to ``stop`` or the end)."""
    n = len(sentence.tokens)
    last = start
    while last + 1 < n and last - start + 1 < _MAX_TOKENS:
        if stop.search(sentence.between(last, last + 1)):
            break
        last += 1
    return last


def _token_at(sentence: Sentence, offset: int) -> int | None:
    """Index of the first token starting at or after ``offset`` (sentence-relative)."""
    absolute = sentence.start + offset
    return next((i for i, t in enumerate(sentence.tokens) if t.start >= absolute), None)


def _list_end(sentence: Sentence, start: int) -> tuple[int, int, bool]:
    """``(last token, separators, has a conjunction)`` of a list starting at ``start``."""
    toks = sentence.tokens
    separators, conjunction, last = 0, False, start
    for j in range(start + 1, min(len(toks), start + _MAX_TOKENS)):
        gap = sentence.between(j - 1, j)
        if _LIST_STOP.search(gap) or (":" in gap):
            break
        if "," in gap:
            if conjunction:
                break  # "a, b and c, depend on ..." ends at the comma after the last item
            separators += 1
        if toks[j].lower in ("and", "or") and not conjunction:
            conjunction = True
            separators += 0 if "," in gap else 1
        last = j
    return last, separators, conjunction


def _lists(question: Question, sentence: Sentence) -> list[Shaped]:
    """Enumerations after a list cue: "a, b and c", "a, b, or c", "a and b" after a colon."""
    out: list[Shaped] = []
    toks = sentence.tokens
    for m in _LIST_CUE.finditer(sentence.text):
        start = _token_at(sentence, m.end())
        if start is None or start == 0:
            continue
        last, separators, conjunction = _list_end(sentence, start)
        colon = ":" in m.group(0)
        if separators < 1 or not (conjunction or separators >= 2):
            continue
        if not conjunction and not colon:
            continue
        # The question's words may sit on either side: "X defines three levels: a, b
        # and c" or "Various features, like a, b, and c, depend on X".
        anchor = _share(question, sentence, 0, start) + _share(
            question, sentence, last + 1, len(toks)
        )
        items = separators + 1
        bonus = 0.3 if question.count and items == question.count else 0.0
        out.append(Shaped(start, last, anchor, bonus))
    return out


def _conditions(question: Question, sentence: Sentence) -> list[Shaped]:
    """Conditional clauses: "X is high if ..." and "If ..., X"."""
    out: list[Shaped] = []
    toks = sentence.tokens
    n = len(toks)
    for c, tok in enumerate(toks):
        in_case = tok.lower == "in" and c + 1 < n and toks[c + 1].lower == "case"
        if tok.lower not in _CONDITION_CUES and not in_case:
            continue
        fronted = c == 0 or "," in sentence.between(c - 1, c)
        if fronted:
            # "If you violate these conventions, the worst you'll get is ...": the clause
            # runs to the first comma (or "then") and the question's terms are in the
            # main clause.
            last = c
            while (
                last + 1 < n
                and "," not in sentence.between(last, last + 1)
                and toks[last + 1].lower != "then"
            ):
                last += 1
            if last + 1 >= n:
                continue
            anchor = _share(question, sentence, last + 1, n)
        else:
            last = _phrase_end(sentence, c, _PHRASE_STOP)
            anchor = _share(question, sentence, 0, c)
        if last > c:
            out.append(Shaped(c, last, anchor))
    return out


def _term_starts(question: Question, sentence: Sentence) -> list[int]:
    """Where the defined term may start: the sentence's opening words, or an acronym in
    parentheses after a spelled-out name ("Optical Character Recognition (OCR) is")."""
    toks = sentence.tokens
    starts = [i for i in range(min(len(toks), _MAX_LEAD + 1)) if i == 0 or toks[i - 1].is_stopword]
    starts = [i for i in starts if all(t.is_stopword for t in toks[:i])]
    if len(question.subject) == 1:
        starts += [
            i
            for i in range(1, min(len(toks), _MAX_NAME_WORDS + 1))
            if toks[i].stem == question.subject[0]
            and "(" in sentence.between(i - 1, i)
            and all(t.is_capitalized for t in toks[:i])
        ]
    return starts


def _term_end(question: Question, sentence: Sentence, i: int) -> int | None:
    """Last token of the defined term when it starts at token ``i`` (None if not there)."""
    toks = sentence.tokens
    k, j = 0, i
    subject = question.subject
    while k < len(subject) and j < len(toks):
        if toks[j].stem == subject[k]:
            k += 1
        elif not (toks[j].is_stopword and k > 0):
            return None
        j += 1
    return j - 1 if k == len(subject) else None


def _key_value(question: Question, sentence: Sentence) -> list[Shaped]:
    """The value of a "Key: value" line whose key names the question's term and whose
    block names the rest ("What is the status of PEP 257?" -> "Status: Active")."""
    toks = sentence.tokens
    if len(toks) < 2 or not sentence.between(0, 1).startswith(":"):
        return []
    key = toks[0].stem
    subject = set(question.subject)
    if key not in subject or not subject <= {key} | sentence.carried:
        return []
    return [Shaped(1, _phrase_end(sentence, 1, _PHRASE_STOP), 1.0)]


def _expansions(question: Question, sentence: Sentence) -> list[Shaped]:
    """What an acronym stands for, anywhere in the sentence: "a SCADA (supervisory control
    and data acquisition) system", "National Institute of Standards and Technology (NIST)"."""
    if len(question.subject) != 1:
        return []
    # Asked outright ("What does X stand for?"), an expansion beats "X is ...".
    bonus = _STANDS_FOR_BONUS if _STANDS_FOR.search(question.text.lower()) else 0.0
    out: list[Shaped] = []
    toks = sentence.tokens
    n = len(toks)
    for i, tok in enumerate(toks):
        if tok.stem != question.subject[0]:
            continue
        if i + 1 < n and sentence.between(i, i + 1).strip() == "(":
            last = i + 1
            while last + 1 < n and ")" not in sentence.between(last, last + 1):
                last += 1
            closed = ")" in sentence.text[toks[last].end - sentence.start :][:2]
            if last - i <= _MAX_NAME_WORDS and closed:
                out.append(Shaped(i + 1, last, _EXPANSION_ANCHOR, bonus))
        if i > 1 and sentence.between(i - 1, i).strip() == "(":
            first = i - 1
            while (
                first > 0
                and i - first < _MAX_NAME_WORDS
                and (
                    toks[first - 1].is_capitalized
                    or (toks[first - 1].lower in _NAME_JOINERS and first > 1)
                )
            ):
                first -= 1
            while toks[first].lower in _NAME_JOINERS:
                first += 1
            if toks[first].is_capitalized and first < i - 1:
                out.append(Shaped(first, i - 1, _EXPANSION_ANCHOR, bonus))
    return out


def _definitions(question: Question, sentence: Sentence) -> list[Shaped]:
    """The predicate after the defined term: "X is ...", "X (Y) means ...", "X: ..."."""
    out: list[Shaped] = _key_value(question, sentence) + _expansions(question, sentence)
    toks = sentence.tokens
    n = len(toks)
    for i in _term_starts(question, sentence):
        end = _term_end(question, sentence, i)
        if end is None or end + 1 >= n:
            continue
        j = end + 1
        if ")" in sentence.between(end, j):
            pass  # the acronym form: "Optical Character Recognition (OCR) is"
        elif "(" in sentence.between(end, j):
            # "Optical Character Recognition (OCR) is ...": skip the parenthesis.
            while j + 1 < n and ")" not in sentence.between(j, j + 1):
                j += 1
            j += 1
        if j >= n:
            continue
        gap = sentence.between(j - 1, j)
        if ":" in gap or "—" in gap:
            start = j
        elif toks[j].lower in _DEFINERS:
            start = j + 1
            if start + 1 < n and toks[start].lower == "defined" and toks[start + 1].lower == "as":
                start += 2
        elif toks[j].lower in _DEFINER_VERBS:
            start = j + 1
            if start < n and toks[start].lower in _DEFINER_TAILS:
                start += 1
        else:
            continue
        if start < n:
            out.append(Shaped(start, _phrase_end(sentence, start, _PHRASE_STOP), 1.0))
    return out


def _objects(question: Question, sentence: Sentence) -> list[Shaped]:
    """The noun phrase after the question's verb: "FIPS 199 defines <three levels ...>"."""
    out: list[Shaped] = []
    toks = sentence.tokens
    n = len(toks)
    verb = question.subject[0] if question.subject else ""
    for i, tok in enumerate(toks[:-1]):
        if tok.stem != verb:
            continue
        start = i + 1
        last = start
        while last + 1 < n and last + 1 - start < _MAX_OBJECT:
            if _PHRASE_STOP.search(sentence.between(last, last + 1)) or re.search(
                r"[,()—]", sentence.between(last, last + 1)
            ):
                break
            if toks[last + 1].lower in _OBJECT_STOPS:
                break
            last += 1
        if last + 1 < n and "," in sentence.between(last, last + 1):
            # "outlines goals, principles, and a pledge": a list of objects.
            list_last, separators, conjunction = _list_end(sentence, start)
            if conjunction and separators >= 2:
                last = list_last
        out.append(Shaped(start, last, _share(question, sentence, 0, start)))
    return out
