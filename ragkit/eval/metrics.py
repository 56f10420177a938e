"""Evaluation metrics: retrieval, extractive QA with abstention, scores, citations, latency.

Every function is pure and works on plain mappings, so a benchmark, a test or the
``ragkit eval`` command can feed it whatever it measured. Scores are fractions in
``[0, 1]`` (SQuAD's script prints percentages; multiply by 100 to compare).

Retrieval follows trec_eval (and so pytrec_eval and BEIR): documents are ranked by
score, ties broken by document ID in *descending* string order; a document is
relevant when its qrel is ``>= 1``; nDCG uses the graded relevance as gain (negative
grades count as 0), a ``log2(rank + 1)`` discount and the ideal DCG of the query's
own qrels. Means are taken over every query in the qrels; a query the run did not
answer scores 0 (``trec_eval -c``) and is listed in ``RetrievalReport.missing``.

QA text scores follow the official SQuAD 2.0 script: answers are lowercased,
stripped of ASCII punctuation and the articles a/an/the, and whitespace-collapsed;
a question with no (non-empty) gold answer is unanswerable, where only an empty
prediction scores 1.
"""

from __future__ import annotations

import math
import re
import string
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import PurePosixPath
from typing import Literal

__all__ = [
    "AUROC",
    "CalibrationBin",
    "CalibrationTable",
    "CitationMatch",
    "CitationScores",
    "LatencySummary",
    "PageRef",
    "QAScores",
    "QASplit",
    "RefusalScores",
    "RetrievalReport",
    "ThresholdChoice",
    "auroc",
    "best_threshold",
    "calibration_table",
    "citation_scores",
    "contains_answer",
    "contains_answer_rate",
    "evaluate_run",
    "exact_match",
    "is_abstention",
    "latency_summary",
    "mrr_at_k",
    "ndcg_at_k",
    "normalize_answer",
    "percentile",
    "precision_at_k",
    "rank_documents",
    "recall_at_k",
    "refusal_scores",
    "squad_scores",
    "token_f1",
]

Run = Mapping[str, Mapping[str, float]]
"""``{query_id: {doc_id: score}}``: higher scores rank first."""
Qrels = Mapping[str, Mapping[str, int]]
"""``{query_id: {doc_id: relevance}}``: graded judgements, ``>= 1`` is relevant."""
PageRef = tuple[str, int | None]
"""``(file, page)``; page ``None`` means the whole file (e.g. an HTML page)."""

# --------------------------------------------------------------------------- retrieval


def rank_documents(scores: Mapping[str, float]) -> list[str]:
    """Document IDs in trec_eval order: score descending, ties by ID descending.

    >>> rank_documents({"d1": 0.5, "d2": 0.5, "d3": 0.9})
    ['d3', 'd2', 'd1']
    """
    return [
        doc for doc, _ in sorted(scores.items(), key=lambda item: (item[1], item[0]), reverse=True)
    ]


def _check_k(k: int) -> None:
    if k < 1:
        raise ValueError(f"k must be >= 1, got {k}")


def ndcg_at_k(ranking: Sequence[str], relevances: Mapping[str, int], k: int) -> float:
    """nDCG@k of one ranked list against one query's graded qrels (trec_eval ``ndcg_cut``).

    >>> round(ndcg_at_k(["a", "b"], {"b": 1}, 10), 4)  # 1/log2(3)
    0.6309
    """
    _check_k(k)
    dcg = sum(
        max(relevances.get(doc, 0), 0) / math.log2(rank + 2) for rank, doc in enumerate(ranking[:k])
    )
    ideal_gains = sorted((r for r in relevances.values() if r > 0), reverse=True)[:k]
    ideal = sum(gain / math.log2(rank + 2) for rank, gain in enumerate(ideal_gains))
    return dcg / ideal if ideal > 0 else 0.0


def _hits(ranking: Sequence[str], relevances: Mapping[str, int], k: int) -> int:
    return sum(1 for doc in ranking[:k] if relevances.get(doc, 0) >= 1)


def recall_at_k(ranking: Sequence[str], relevances: Mapping[str, int], k: int) -> float:
    """Share of the query's relevant documents found in the top k (0 when it has none)."""
    _check_k(k)
    relevant = sum(1 for r in relevances.values() if r >= 1)
    return _hits(ranking, relevances, k) / relevant if relevant else 0.0


def precision_at_k(ranking: Sequence[str], relevances: Mapping[str, int], k: int) -> float:
    """Relevant documents in the top k divided by k (a short list is not rewarded)."""
    _check_k(k)
    return _hits(ranking, relevances, k) / k


def mrr_at_k(ranking: Sequence[str], relevances: Mapping[str, int], k: int) -> float:
    """Reciprocal rank of the first relevant document within the top k, else 0."""
    _check_k(k)
    for rank, doc in enumerate(ranking[:k], start=1):
        if relevances.get(doc, 0) >= 1:
            return 1.0 / rank
    return 0.0


_RETRIEVAL_METRICS = {
    "ndcg": ndcg_at_k,
    "recall": recall_at_k,
    "precision": precision_at_k,
    "mrr": mrr_at_k,
}


@dataclass(frozen=True, slots=True)
class RetrievalReport:
    """Per-query and mean retrieval scores, keyed like ``"ndcg@10"``."""

    per_query: dict[str, dict[str, float]]
    mean: dict[str, float]
    missing: tuple[str, ...]
    """Judged queries the run had no results for (scored 0)."""


def evaluate_run(
    run: Run, qrels: Qrels, k_values: Iterable[int] = (1, 3, 5, 10, 100)
) -> RetrievalReport:
    """nDCG, Recall, Precision and MRR at each k for every query in ``qrels``.

    >>> report = evaluate_run({"q1": {"a": 2.0, "b": 1.0}}, {"q1": {"b": 1}}, k_values=[1, 10])
    >>> report.mean["mrr@10"], report.mean["recall@1"]
    (0.5, 0.0)
    """
    ks = sorted(set(k_values))
    for k in ks:
        _check_k(k)
    if not qrels:
        raise ValueError("qrels are empty: nothing to evaluate")
    per_query: dict[str, dict[str, float]] = {}
    for query_id, relevances in qrels.items():
        ranking = rank_documents(run.get(query_id, {}))
        per_query[query_id] = {
            f"{name}@{k}": metric(ranking, relevances, k)
            for name, metric in _RETRIEVAL_METRICS.items()
            for k in ks
        }
    names = [f"{name}@{k}" for name in _RETRIEVAL_METRICS for k in ks]
    mean = {name: sum(scores[name] for scores in per_query.values()) / len(qrels) for name in names}
    missing = tuple(query_id for query_id in qrels if query_id not in run)
    return RetrievalReport(per_query=per_query, mean=mean, missing=missing)


# ---------------------------------------------------------------------- QA text (SQuAD 2.0)

_ARTICLES = re.compile(r"\b(a|an|the)\b", re.UNICODE)
_PUNCTUATION = frozenset(string.punctuation)
_WORD = re.compile(r"\w+")
_ARTICLE_WORDS = frozenset({"a", "an", "the"})


def normalize_answer(text: str) -> str:
    """SQuAD 2.0 normalisation: lowercase, drop ASCII punctuation and articles, squash spaces.

    >>> normalize_answer("The  Eiffel-Tower!")
    'eiffeltower'
    """
    text = "".join(ch for ch in text.lower() if ch not in _PUNCTUATION)
    return " ".join(_ARTICLES.sub(" ", text).split())


def _gold_list(gold_answers: Sequence[str]) -> list[str]:
    # As the official script: golds that normalise to nothing are dropped, and a
    # question left with none is unanswerable, whose only correct answer is "".
    kept = [answer for answer in gold_answers if normalize_answer(answer)]
    return kept or [""]


def is_abstention(prediction: str | None) -> bool:
    """True when a prediction says "no answer": ``None`` or text that normalises to nothing."""
    return prediction is None or not normalize_answer(prediction)


def _exact(gold: str, prediction: str) -> float:
    return float(normalize_answer(gold) == normalize_answer(prediction))


def _f1(gold: str, prediction: str) -> float:
    gold_tokens = normalize_answer(gold).split()
    pred_tokens = normalize_answer(prediction).split()
    if not gold_tokens or not pred_tokens:
        # No-answer on either side: right only when both are no-answer.
        return float(gold_tokens == pred_tokens)
    same = sum((Counter(gold_tokens) & Counter(pred_tokens)).values())
    if same == 0:
        return 0.0
    precision = same / len(pred_tokens)
    recall = same / len(gold_tokens)
    return 2 * precision * recall / (precision + recall)


def exact_match(prediction: str | None, gold_answers: Sequence[str]) -> float:
    """1.0 when the normalised prediction equals a normalised gold answer, else 0.0.

    ``None`` is an abstention; an empty ``gold_answers`` marks an unanswerable question.

    >>> exact_match("the Eiffel Tower", ["Eiffel Tower"]), exact_match(None, [])
    (1.0, 1.0)
    """
    return max(_exact(gold, prediction or "") for gold in _gold_list(gold_answers))


def token_f1(prediction: str | None, gold_answers: Sequence[str]) -> float:
    """Best token-overlap F1 against any gold answer (SQuAD 2.0 rules for no-answer).

    >>> round(token_f1("Eiffel Tower in Paris", ["the Eiffel Tower"]), 3)
    0.667
    """
    return max(_f1(gold, prediction or "") for gold in _gold_list(gold_answers))


def _word_string(text: str) -> str:
    words = _WORD.findall(text.lower())
    return " ".join(word for word in words if word not in _ARTICLE_WORDS)


def contains_answer(text: str | None, gold_answers: Sequence[str]) -> bool:
    """True when some gold answer's words appear, in order and contiguous, in ``text``.

    Words are case-folded runs of letters and digits, articles dropped, so
    punctuation glued to a word does not hide it ("bin Laden's", "Netherlands.[1]")
    while word boundaries still hold ("RNA" is not found in "RNAi"). This is a
    recall check for passages and long answers, unlike SQuAD's exact match, whose
    normalisation would fuse "Laden's" into "ladens". Unanswerable questions
    contain nothing.

    >>> contains_answer("Osama bin Laden's attacks", ["Osama bin Laden"])
    True
    """
    haystack = f" {_word_string(text or '')} "
    needles = (_word_string(gold) for gold in _gold_list(gold_answers) if gold)
    return any(needle and f" {needle} " in haystack for needle in needles)


def _require_predictions(
    predictions: Mapping[str, str | None], golds: Mapping[str, Sequence[str]]
) -> None:
    missing = [question_id for question_id in golds if question_id not in predictions]
    if missing:
        shown = ", ".join(missing[:5]) + (", …" if len(missing) > 5 else "")
        raise ValueError(f"no prediction for {len(missing)} question(s): {shown}")
    if not golds:
        raise ValueError("no questions to score")


@dataclass(frozen=True, slots=True)
class QASplit:
    """Mean exact match and F1 over a subset of the questions."""

    exact: float
    f1: float
    count: int


@dataclass(frozen=True, slots=True)
class QAScores:
    """SQuAD 2.0 scores overall and split by answerable / unanswerable."""

    exact: float
    f1: float
    total: int
    answerable: QASplit | None
    unanswerable: QASplit | None
    per_question: dict[str, tuple[float, float]]
    """``{question_id: (exact, f1)}``."""


def _split(per_question: Mapping[str, tuple[float, float]], ids: list[str]) -> QASplit | None:
    if not ids:
        return None
    return QASplit(
        exact=sum(per_question[i][0] for i in ids) / len(ids),
        f1=sum(per_question[i][1] for i in ids) / len(ids),
        count=len(ids),
    )


def _has_answer(gold_answers: Sequence[str]) -> bool:
    return _gold_list(gold_answers) != [""]


def squad_scores(
    predictions: Mapping[str, str | None], golds: Mapping[str, Sequence[str]]
) -> QAScores:
    """Exact match and F1 for every question in ``golds`` (a missing prediction is an error).

    >>> scores = squad_scores({"q1": "Paris", "q2": None}, {"q1": ["Paris"], "q2": []})
    >>> scores.exact, scores.unanswerable.exact
    (1.0, 1.0)
    """
    _require_predictions(predictions, golds)
    per_question = {
        question_id: (
            exact_match(predictions[question_id], gold),
            token_f1(predictions[question_id], gold),
        )
        for question_id, gold in golds.items()
    }
    answerable = [question_id for question_id, gold in golds.items() if _has_answer(gold)]
    unanswerable = [question_id for question_id, gold in golds.items() if not _has_answer(gold)]
    overall = _split(per_question, list(golds))
    assert overall is not None  # golds is non-empty
    return QAScores(
        exact=overall.exact,
        f1=overall.f1,
        total=overall.count,
        answerable=_split(per_question, answerable),
        unanswerable=_split(per_question, unanswerable),
        per_question=per_question,
    )


def contains_answer_rate(
    texts: Mapping[str, str | None], golds: Mapping[str, Sequence[str]]
) -> float | None:
    """Share of the answerable questions whose text contains a gold answer (None if none are)."""
    _require_predictions(texts, golds)
    answerable = [question_id for question_id, gold in golds.items() if _has_answer(gold)]
    if not answerable:
        return None
    found = sum(contains_answer(texts[i], golds[i]) for i in answerable)
    return found / len(answerable)


# ------------------------------------------------------------------ abstention threshold


@dataclass(frozen=True, slots=True)
class ThresholdChoice:
    """The best "answer only when probability >= threshold" rule and its scores."""

    threshold: float
    """``math.inf`` when abstaining on every question is best."""
    exact: float
    f1: float
    answered: int
    total: int


def best_threshold(
    predictions: Mapping[str, str | None],
    probabilities: Mapping[str, float],
    golds: Mapping[str, Sequence[str]],
    *,
    objective: Literal["f1", "exact"] = "f1",
) -> ThresholdChoice:
    """Sweep the answer threshold over the observed probabilities and keep the best.

    Question ``i`` is answered with ``predictions[i]`` when ``probabilities[i] >= t``
    and abstains otherwise; every distinct probability (and ``inf``, never answer) is
    tried. Ties go to the higher threshold, like the official SQuAD 2.0 script.

    >>> choice = best_threshold(
    ...     {"q1": "Paris", "q2": "Lyon"}, {"q1": 0.9, "q2": 0.2}, {"q1": ["Paris"], "q2": []}
    ... )
    >>> choice.threshold, choice.f1
    (0.9, 1.0)
    """
    _require_predictions(predictions, golds)
    missing = [question_id for question_id in golds if question_id not in probabilities]
    if missing:
        raise ValueError(f"no probability for {len(missing)} question(s): {', '.join(missing[:5])}")
    if any(math.isnan(probabilities[question_id]) for question_id in golds):
        raise ValueError("probabilities contain NaN")
    answered_scores: dict[str, tuple[float, float]] = {}
    abstain_scores: dict[str, tuple[float, float]] = {}
    for question_id, gold in golds.items():
        prediction = predictions[question_id]
        answered_scores[question_id] = (exact_match(prediction, gold), token_f1(prediction, gold))
        abstain_scores[question_id] = (exact_match(None, gold), token_f1(None, gold))
    pick = 1 if objective == "f1" else 0
    total = len(golds)
    # Start from "abstain on everything", then lower the threshold one distinct
    # probability at a time; each step answers every question at that probability.
    exact = sum(score[0] for score in abstain_scores.values())
    f1 = sum(score[1] for score in abstain_scores.values())
    best = ThresholdChoice(math.inf, exact / total, f1 / total, 0, total)
    order = sorted(golds, key=lambda question_id: probabilities[question_id], reverse=True)
    answered = 0
    for position, question_id in enumerate(order):
        exact += answered_scores[question_id][0] - abstain_scores[question_id][0]
        f1 += answered_scores[question_id][1] - abstain_scores[question_id][1]
        answered += 1
        probability = probabilities[question_id]
        if position + 1 < total and probabilities[order[position + 1]] == probability:
            continue
        if (exact, f1)[pick] / total > (best.exact, best.f1)[pick]:
            best = ThresholdChoice(probability, exact / total, f1 / total, answered, total)
    return best


# ------------------------------------------------------------------- scores vs labels


def _check_pairs(scores: Sequence[float], labels: Sequence[bool], what: str) -> None:
    if len(scores) != len(labels):
        raise ValueError(f"{len(scores)} {what} but {len(labels)} labels")
    if any(math.isnan(score) for score in scores):
        raise ValueError(f"{what} contain NaN")


@dataclass(frozen=True, slots=True)
class AUROC:
    """Area under the ROC curve; ``value`` is None (with ``reason``) when it is undefined."""

    value: float | None
    positives: int
    negatives: int
    reason: str | None = None


def auroc(scores: Sequence[float], labels: Sequence[bool]) -> AUROC:
    """Probability that a random positive outscores a random negative (ties count half).

    Computed from average ranks (Mann-Whitney U), so ties are handled exactly.

    >>> auroc([0.9, 0.4, 0.4, 0.1], [True, True, False, False]).value
    0.875
    """
    _check_pairs(scores, labels, "scores")
    positives = sum(1 for label in labels if label)
    negatives = len(labels) - positives
    if positives == 0 or negatives == 0:
        only = "positive" if positives else "negative"
        reason = f"only {only} labels ({len(labels)} of them): AUROC needs both classes"
        return AUROC(None, positives, negatives, reason)
    order = sorted(range(len(scores)), key=lambda i: scores[i])
    rank_sum = 0.0
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and scores[order[end + 1]] == scores[order[start]]:
            end += 1
        average_rank = (start + end) / 2 + 1  # 1-based mean rank of the tied run
        rank_sum += average_rank * sum(1 for i in order[start : end + 1] if labels[i])
        start = end + 1
    u_statistic = rank_sum - positives * (positives + 1) / 2
    return AUROC(u_statistic / (positives * negatives), positives, negatives)


@dataclass(frozen=True, slots=True)
class CalibrationBin:
    """One reliability-diagram bin: probabilities in ``[lower, upper]``."""

    lower: float
    upper: float
    count: int
    mean_predicted: float
    observed_rate: float


@dataclass(frozen=True, slots=True)
class CalibrationTable:
    """Non-empty bins and the expected calibration error (count-weighted mean gap)."""

    bins: tuple[CalibrationBin, ...]
    ece: float
    count: int


def _width_groups(
    probabilities: Sequence[float], bins: int
) -> list[tuple[float, float, list[int]]]:
    # Edges as i/bins so that a probability written as e.g. 0.3 falls exactly on its edge.
    edges = [i / bins for i in range(bins + 1)]
    members: list[list[int]] = [[] for _ in range(bins)]
    for i, probability in enumerate(probabilities):
        members[min(bisect_right(edges, probability) - 1, bins - 1)].append(i)
    return [(edges[b], edges[b + 1], members[b]) for b in range(bins) if members[b]]


def _count_groups(
    probabilities: Sequence[float], bins: int
) -> list[tuple[float, float, list[int]]]:
    order = sorted(range(len(probabilities)), key=lambda i: probabilities[i])
    cuts = [0]
    for b in range(1, bins):
        cut = max(round(b * len(order) / bins), cuts[-1])
        # Never split equal probabilities across two bins.
        while 0 < cut < len(order) and probabilities[order[cut]] == probabilities[order[cut - 1]]:
            cut += 1
        cuts.append(cut)
    cuts.append(len(order))
    groups = []
    for start, end in pairwise(cuts):
        if end > start:
            chunk = order[start:end]
            groups.append((probabilities[chunk[0]], probabilities[chunk[-1]], chunk))
    return groups


def calibration_table(
    probabilities: Sequence[float],
    outcomes: Sequence[bool],
    *,
    bins: int = 10,
    strategy: Literal["width", "count"] = "width",
) -> CalibrationTable:
    """Reliability table of predicted probabilities against what happened.

    ``strategy="width"`` cuts ``[0, 1]`` into equal intervals; ``"count"`` puts about
    the same number of predictions in each bin. Empty bins are left out.

    >>> table = calibration_table([0.2, 0.8, 0.9], [False, True, False], bins=2)
    >>> [(b.count, b.observed_rate) for b in table.bins], round(table.ece, 3)
    ([(1, 0.0), (2, 0.5)], 0.3)
    """
    _check_pairs(probabilities, outcomes, "probabilities")
    if bins < 1:
        raise ValueError(f"bins must be >= 1, got {bins}")
    if not probabilities:
        raise ValueError("no probabilities to bin")
    if any(not 0.0 <= p <= 1.0 for p in probabilities):
        raise ValueError("probabilities must lie in [0, 1]")
    grouping = _width_groups if strategy == "width" else _count_groups
    table: list[CalibrationBin] = []
    ece = 0.0
    for lower, upper, members in grouping(probabilities, bins):
        mean_predicted = sum(probabilities[i] for i in members) / len(members)
        observed = sum(1 for i in members if outcomes[i]) / len(members)
        table.append(CalibrationBin(lower, upper, len(members), mean_predicted, observed))
        ece += len(members) / len(probabilities) * abs(mean_predicted - observed)
    return CalibrationTable(bins=tuple(table), ece=ece, count=len(probabilities))


@dataclass(frozen=True, slots=True)
class RefusalScores:
    """Refusal as a detector of unanswerable questions; None where a ratio is 0/0."""

    precision: float | None
    recall: float | None
    f1: float | None
    true_positives: int
    false_positives: int
    false_negatives: int
    true_negatives: int


def _ratio(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def refusal_scores(refused: Sequence[bool], unanswerable: Sequence[bool]) -> RefusalScores:
    """Precision/recall of refusing, with "truly unanswerable" as the positive class.

    >>> refusal_scores([True, True, False], [True, False, True]).precision
    0.5
    """
    if len(refused) != len(unanswerable):
        raise ValueError(f"{len(refused)} refusals but {len(unanswerable)} labels")
    pairs = list(zip(refused, unanswerable, strict=True))
    tp = sum(1 for r, u in pairs if r and u)
    fp = sum(1 for r, u in pairs if r and not u)
    fn = sum(1 for r, u in pairs if not r and u)
    tn = len(pairs) - tp - fp - fn
    precision = _ratio(tp, tp + fp)
    recall = _ratio(tp, tp + fn)
    f1 = _ratio(2 * tp, 2 * tp + fp + fn)
    return RefusalScores(precision, recall, f1, tp, fp, fn, tn)


# ----------------------------------------------------------------------------- citations


def _path_parts(path: str) -> tuple[str, ...]:
    return tuple(part for part in PurePosixPath(path.replace("\\", "/")).parts if part != ".")


def _same_file(a: str, b: str) -> bool:
    # Expected sources are usually relative ("policies/keys.pdf") while citations
    # carry the ingested path ("/home/u/docs/policies/keys.pdf"): whole trailing
    # path components must agree.
    left, right = _path_parts(a), _path_parts(b)
    shorter, longer = sorted((left, right), key=len)
    return bool(shorter) and longer[len(longer) - len(shorter) :] == shorter


def _covers(expected: PageRef, cited: PageRef) -> bool:
    return _same_file(expected[0], cited[0]) and (expected[1] is None or expected[1] == cited[1])


@dataclass(frozen=True, slots=True)
class CitationMatch:
    """One question's page-level citation scores (precision None when nothing was cited)."""

    precision: float | None
    recall: float
    cited: int
    expected: int


@dataclass(frozen=True, slots=True)
class CitationScores:
    """Macro-averaged page-level citation precision and recall."""

    precision: float | None
    """Mean over the questions that cited something."""
    recall: float | None
    """Mean over every question with an expected source."""
    per_question: dict[str, CitationMatch]


def citation_scores(
    cited: Mapping[str, Iterable[PageRef]], expected: Mapping[str, Iterable[PageRef]]
) -> CitationScores:
    """Compare cited ``(file, page)`` pairs with the expected source pages per question.

    Files match when their trailing path components agree. An expected page of
    ``None`` accepts any page of that file. Questions without expected pairs are
    skipped (refusal metrics cover them); citations for unknown questions are ignored.

    >>> scores = citation_scores(
    ...     {"q1": [("/docs/a.pdf", 3), ("/docs/b.pdf", 1)]}, {"q1": [("a.pdf", 3), ("a.pdf", 4)]}
    ... )
    >>> scores.precision, scores.recall
    (0.5, 0.5)
    """
    per_question: dict[str, CitationMatch] = {}
    for question_id, expected_refs in expected.items():
        wanted = set(expected_refs)
        if not wanted:
            continue
        given = set(cited.get(question_id, ()))
        correct = sum(1 for ref in given if any(_covers(want, ref) for want in wanted))
        found = sum(1 for want in wanted if any(_covers(want, ref) for ref in given))
        per_question[question_id] = CitationMatch(
            precision=correct / len(given) if given else None,
            recall=found / len(wanted),
            cited=len(given),
            expected=len(wanted),
        )
    precisions = [m.precision for m in per_question.values() if m.precision is not None]
    recalls = [m.recall for m in per_question.values()]
    return CitationScores(
        precision=sum(precisions) / len(precisions) if precisions else None,
        recall=sum(recalls) / len(recalls) if recalls else None,
        per_question=per_question,
    )


# ------------------------------------------------------------------------------- latency


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile with linear interpolation between order statistics (numpy's default).

    >>> percentile([1.0, 2.0, 3.0, 4.0], 50)
    2.5
    """
    if not values:
        raise ValueError("percentile of no values")
    if not 0 <= q <= 100:
        raise ValueError(f"q must be in [0, 100], got {q}")
    ordered = sorted(values)
    position = q / 100 * (len(ordered) - 1)
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclass(frozen=True, slots=True)
class LatencySummary:
    """Latency figures in the unit of the samples (seconds by convention)."""

    count: int
    mean: float
    p50: float
    p95: float
    max: float


def latency_summary(samples: Iterable[float]) -> LatencySummary:
    """Count, mean, p50, p95 and max of latency samples.

    >>> latency_summary([0.1, 0.2, 0.3]).p50
    0.2
    """
    values = list(samples)
    if not values:
        raise ValueError("no latency samples")
    return LatencySummary(
        count=len(values),
        mean=sum(values) / len(values),
        p50=percentile(values, 50),
        p95=percentile(values, 95),
        max=max(values),
    )
