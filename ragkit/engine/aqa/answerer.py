"""``answer()``: the local stand-in for Google's attributed-QA model (``models/aqa``).

It is extractive: no model that writes free text installs offline, so every answer is
built from the passages' own words. EXTRACTIVE returns a verbatim span, ABSTRACTIVE the
clause (or sentence) that carries that span, VERBOSE the few sentences that best support
it. ``answerable_probability`` comes from a logistic model over lexical evidence (see
``calibration.py``). The same input always gives the same output.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence

from ragkit.engine.aqa import calibration, features
from ragkit.engine.aqa.budget import INPUT_TOKEN_LIMIT, fit_budget
from ragkit.engine.aqa.history import context_for
from ragkit.engine.aqa.question import AnswerType, Question, analyse
from ragkit.engine.aqa.reasons import reason_neighbour
from ragkit.engine.aqa.sentences import Sentence, SentenceMatch, rank_sentences, split_passages
from ragkit.engine.aqa.spans import Span, shaped_candidates, spans_in
from ragkit.engine.aqa.types import ANSWER_STYLES, AnswerStyle, AqaAnswer, Attribution, Passage
from ragkit.tokens import count_tokens

# Text of the answer when no passage survives the token budget (or none has words).
NO_EVIDENCE_TEXT = "The passages do not contain an answer."

_TOP_SENTENCES = 3  # sentences searched for a span
_TOP_SENTENCES_DEEP = 5
_SHAPED_FLOOR = 0.75  # deeper sentences searched for a shaped span score this share of the best
_CONFIDENT_TYPE = 0.9  # ABSTRACTIVE cuts the sentence down to a clause only for such spans
_SENTENCE_WEIGHT = 3.0  # sentence match vs span score when picking the answer
_VERBOSE_MAX = 3  # sentences in a VERBOSE answer
_VERBOSE_RATIO = 0.4  # a supporting sentence scores at least this share of the best
_CLAUSE_BREAK = re.compile(
    r"\s*;\s*|\s*:\s+|\s+[–—-]\s+|,\s+(?=(?:and|but|while|whereas|although|which|who)\b)"
)


def answer(
    question: str,
    passages: Sequence[Passage],
    *,
    style: AnswerStyle,
    history: Sequence[tuple[str, str]] = (),
    temperature: float = 0.2,
) -> AqaAnswer:
    """Answer ``question`` from ``passages`` (sorted by decreasing relevance).

    ``history`` holds earlier ``(role, text)`` turns (roles "user"/"model"), oldest first;
    a short or anaphoric question borrows the topic of the previous user turn.
    ``temperature`` is accepted for API parity and ignored: the answerer is deterministic.
    Trailing passages beyond the 7,168-token input budget are dropped, as by ``models/aqa``.

    >>> p = Passage("p1", ("The bridge was designed in 1929.", "It opened to traffic in 1932."))
    >>> a = answer("When was the bridge opened?", [p], style="EXTRACTIVE")
    >>> a.text, a.attributions[0].part_index
    ('1932', 1)
    """
    if style not in ANSWER_STYLES:
        raise ValueError(f"unknown answer style {style!r}; expected one of {ANSWER_STYLES}")
    del temperature  # deterministic by design (documented above)
    ev = gather_evidence(question, passages, history)
    if ev is None:
        return AqaAnswer(NO_EVIDENCE_TEXT, (), 0.0)
    text, used = ev.answer_text(style)
    prob = calibration.probability(ev.features, calibration.target_for(style))
    return AqaAnswer(text, _attributions(ev.passages, used), round(prob, 4))


@dataclasses.dataclass(frozen=True)
class Evidence:
    """Everything the answer rests on; ``benchmarks/calibrate_aqa.py`` fits on ``features``."""

    question: Question
    passages: tuple[Passage, ...]  # the passages kept within the token budget
    sentences: tuple[Sentence, ...]
    ranked: tuple[SentenceMatch, ...]
    chosen: SentenceMatch
    span: Span | None
    features: tuple[float, ...]

    @property
    def extractive_text(self) -> str:
        """The EXTRACTIVE answer text."""
        return self.answer_text("EXTRACTIVE")[0]

    def answer_text(self, style: AnswerStyle) -> tuple[str, list[Sentence]]:
        """The answer text of ``style`` and the sentences it is taken from."""
        sentence = self.chosen.sentence
        if style == "EXTRACTIVE":
            return _span_text(self.passages, sentence, self.span), [sentence]
        if style == "ABSTRACTIVE":
            return _clause(sentence, self.span), [sentence]
        used = _supporting(self.ranked, self.chosen, self.sentences)
        return " ".join(s.text for s in used), used


def gather_evidence(
    question: str, passages: Sequence[Passage], history: Sequence[tuple[str, str]] = ()
) -> Evidence | None:
    """Analyse the question, rank sentences, pick the span; None when there is no text."""
    q = _resolve(question, history)
    prompt_tokens = count_tokens(question) + sum(count_tokens(text) for _, text in history)
    kept = fit_budget(prompt_tokens, passages, INPUT_TOKEN_LIMIT)
    sentences = split_passages(kept)
    if not sentences:
        return None
    ranked = rank_sentences(q, sentences)
    chosen, span = _pick(q, ranked)
    if q.answer_type is AnswerType.REASON:
        neighbour = reason_neighbour(chosen, sentences)
        if neighbour is not None:
            spans = spans_in(q, neighbour.sentence)
            chosen, span = neighbour, spans[0] if spans else None
    relevance = kept[chosen.sentence.passage_index].relevance
    feats = features.extract(q, ranked, chosen, span, sentences, relevance)
    return Evidence(q, tuple(kept), tuple(sentences), tuple(ranked), chosen, span, feats)


def _resolve(question: str, history: Sequence[tuple[str, str]]) -> Question:
    """The analysed question, with the previous turn's topic folded in when needed."""
    context = context_for(question, history)
    q = analyse(question, context=context)
    if context and not q.has_wh_word:
        # "And the second one?" asks for the same kind of thing as the turn before.
        q = dataclasses.replace(q, answer_type=analyse(context).answer_type)
    return q


def _pick(q: Question, ranked: Sequence[SentenceMatch]) -> tuple[SentenceMatch, Span | None]:
    """The sentence and span that together best answer the question."""
    best: tuple[float, SentenceMatch, Span | None] | None = None
    # A shaped or typed question (a list, a condition, a definition; a number, a date, a
    # name) looks a little deeper: the sentence that holds such an answer often shares
    # fewer words than a sentence that merely mentions X ("Disassembling it, it's very
    # minimal - just 87 bytes!").
    deeper = q.shape or q.answer_type is not AnswerType.ENTITY
    depth = _TOP_SENTENCES_DEEP if deeper else _TOP_SENTENCES
    for match in ranked[:depth]:
        spans = spans_in(q, match.sentence)
        span = spans[0] if spans else None
        total = _SENTENCE_WEIGHT * match.score + (span.score if span else -1.0)
        if best is None or total > best[0]:
            best = (total, match, span)
    if q.shape:
        # Many sentences of a document share the question's words ("loss of
        # confidentiality" is everywhere in FIPS 199): look further for the one that has
        # the asked shape, checking only its shaped spans (cheap) below the top few.
        floor = _SHAPED_FLOOR * ranked[0].score
        for match in ranked[depth:]:
            if match.score < floor:
                break
            shaped = shaped_candidates(q, match.sentence)
            if shaped:
                total = _SENTENCE_WEIGHT * match.score + shaped[0].score
                if best is None or total > best[0]:
                    best = (total, match, shaped[0])
    assert best is not None  # ranked is never empty here
    return best[1], best[2]


def _span_text(passages: Sequence[Passage], sentence: Sentence, span: Span | None) -> str:
    """The verbatim span (or the whole sentence when no span was found)."""
    if span is None:
        return sentence.text
    part = passages[sentence.passage_index].parts[sentence.part_index]
    return part[span.start : span.end]


def _clause(sentence: Sentence, span: Span | None) -> str:
    """The clause of ``sentence`` that holds the span, as a short readable answer.

    Only a span that surely fits the question (a typed or shaped one) narrows the answer
    to its clause: cutting around a doubtful span would often cut the answer away.
    """
    text = sentence.text
    if span is not None and span.type_match >= _CONFIDENT_TYPE:
        pieces: list[tuple[int, int]] = []
        start = 0
        for m in _CLAUSE_BREAK.finditer(text):
            pieces.append((start, m.start()))
            start = m.end()
        pieces.append((start, len(text)))
        s0, s1 = span.start - sentence.start, span.end - sentence.start
        for k, (a, b) in enumerate(pieces):
            if a <= s0 and s1 <= b and len(text[a:b].split()) >= 4:
                if k and ":" in text[pieces[k - 1][1] : a]:
                    # A list or a definition after a colon reads only with its head:
                    # "FIPS 199 defines three levels ...: low, moderate and high."
                    a = pieces[k - 1][0]
                text = text[a:b]
                break
    text = text.strip().rstrip(",;:")
    if text and text[0].islower():
        text = text[0].upper() + text[1:]
    if text and text[-1] not in ".!?":
        text += "."
    return text


def _supporting(
    ranked: Sequence[SentenceMatch], chosen: SentenceMatch, sentences: Sequence[Sentence]
) -> list[Sentence]:
    """The chosen sentence plus the best other supporting sentences, in passage order."""
    floor = _VERBOSE_RATIO * chosen.score
    picked = [chosen.sentence]
    for match in ranked:
        if len(picked) >= _VERBOSE_MAX:
            break
        if match is not chosen and match.score > 0 and match.score >= floor:
            picked.append(match.sentence)
    if len(picked) == 1:
        # No strong second sentence: take the best weaker one that shares a question term.
        extra = next((m for m in ranked if m is not chosen and m.score > 0), None)
        if extra is not None:
            picked.append(extra.sentence)
    if len(picked) == 1:
        # Nothing else matches: add the chosen sentence's neighbour in the same passage, which
        # usually continues (or sets up) the same point.
        for offset in (1, -1):
            j = chosen.sentence.index + offset
            if 0 <= j < len(sentences):
                neighbour = sentences[j]
                if neighbour.passage_index == chosen.sentence.passage_index:
                    picked.append(neighbour)
                    break
    return sorted(picked, key=lambda s: s.index)


def _attributions(passages: Sequence[Passage], used: Sequence[Sentence]) -> tuple[Attribution, ...]:
    """One attribution per passage part that contributed a sentence, first use first."""
    seen: set[tuple[int, int]] = set()
    out: list[Attribution] = []
    for sentence in used:
        key = (sentence.passage_index, sentence.part_index)
        if key in seen:
            continue
        seen.add(key)
        passage = passages[sentence.passage_index]
        out.append(Attribution(passage.id, sentence.part_index, passage.parts[sentence.part_index]))
    return tuple(out)
