"""Answerability features: the evidence ``calibration.py`` turns into a probability."""

from __future__ import annotations

from collections.abc import Sequence

from ragkit.engine.aqa.question import NEGATIONS, AnswerType, Question
from ragkit.engine.aqa.sentences import Sentence, SentenceMatch
from ragkit.engine.aqa.spans import Span
from ragkit.engine.aqa.text import STOPWORDS

# Order matters: it is the order of the fitted coefficients.
FEATURE_NAMES: tuple[str, ...] = (
    "coverage",  # idf-weighted share of question terms in the best sentence
    "context_coverage",  # weighted share of question terms found anywhere in the passages
    "missing_key",  # 1 when a name or number of the question appears in no passage
    "bigrams",  # share of question term pairs found adjacent in the best sentence
    "type_match",  # how well the chosen span fits the expected answer type
    "span_score",  # the span scorer's score of the chosen span
    "typed_question",  # 1 when the question asks for a recognisable type (not "what ...")
    "negation_mismatch",  # 1 when the question is negated and the best sentence is not
    "margin",  # best sentence score minus the runner-up's
    "key_elsewhere",  # 1 when a name/number of the question is in the passages but not near
    "unmatched",  # question terms missing from the best sentence and its neighbours
    "relevance",  # retrieval relevance of the chosen sentence's passage (0 for inline ones)
    "has_relevance",  # 1 when the passages came from retrieval (carry a relevance)
)


def _negated(sentence: Sentence) -> bool:
    return any(t.lower in NEGATIONS or t.lower.endswith("n't") for t in sentence.tokens)


def extract(
    question: Question,
    ranked: Sequence[SentenceMatch],
    chosen: SentenceMatch,
    span: Span | None,
    sentences: Sequence[Sentence],
    relevance: float | None = None,
) -> tuple[float, ...]:
    """The feature vector, in the order of ``FEATURE_NAMES``.

    ``relevance`` is the retrieval score of the chosen sentence's passage (None for an
    inline passage). Retrieved passages also get their own intercept (``has_relevance``):
    ten retrieved chunks share more words with any question than one inline paragraph.
    """
    present: set[str] = set()
    for sentence in sentences:
        present |= sentence.stems
    weights = question.weights
    total = question.total_weight or 1.0
    context_coverage = sum(w for t, w in weights.items() if t in present) / total
    key_terms = [t for t, w in weights.items() if w > 1.0 and t not in STOPWORDS]
    missing_key = 1.0 if any(t not in present for t in key_terms) else 0.0
    runner_up = next((m.score for m in ranked if m is not chosen), 0.0)
    # The chosen sentence with its neighbours in the same passage: answers often need the
    # sentence before (the topic) and SQuAD-2-style entity swaps move a name out of it.
    near = set(chosen.sentence.stems | chosen.sentence.carried)
    for s in sentences:
        if (
            s.passage_index == chosen.sentence.passage_index
            and abs(s.index - chosen.sentence.index) == 1
        ):
            near |= s.stems
    key_elsewhere = 1.0 if any(t in present and t not in near for t in key_terms) else 0.0
    unmatched = float(sum(1 for t in weights if t not in near))
    return (
        chosen.coverage,
        context_coverage,
        missing_key,
        chosen.bigrams,
        span.type_match if span else 0.0,
        span.score if span else 0.0,
        0.0 if question.answer_type is AnswerType.ENTITY else 1.0,
        1.0 if question.negated and not _negated(chosen.sentence) else 0.0,
        chosen.score - runner_up,
        key_elsewhere,
        unmatched,
        relevance or 0.0,
        0.0 if relevance is None else 1.0,
    )
