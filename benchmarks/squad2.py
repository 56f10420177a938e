"""squad2-500 through the local attributed-QA answerer (inline passages, EXTRACTIVE).

Usage: python benchmarks/squad2.py [DATA_DIR] [--limit N] [--style STYLE]

DATA_DIR defaults to ../shared/data/squad2-500 beside the checkout. Each context is one
inline passage. For EXTRACTIVE (the default) it prints EM and F1 with abstention counted
as SQuAD 2.0 does (a prediction is "" when answerable_probability <= 0.5), the
HasAns/NoAns breakdown, the AUROC of answerable_probability, the best threshold with EM/F1
at it, and latency per question. For ABSTRACTIVE and VERBOSE (whose answers are clauses
or sentences, so EM/F1 do not apply) it prints how often the answer holds a gold answer,
the decisions at 0.5 (answerable questions answered with the gold, unanswerable ones
refused) and the AUROC.

This set is for REPORTING only: the answerer's coefficients are fitted on the separate
calibration set by benchmarks/calibrate_aqa.py and never on these questions.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ragkit.engine.aqa import ANSWER_STYLES, AnswerStyle, Passage, answer
from ragkit.eval.metrics import auroc as metrics_auroc
from ragkit.eval.metrics import contains_answer, exact_match, normalize_answer, token_f1

THRESHOLD = 0.5
DEFAULT_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "squad2-500"


@dataclass(frozen=True)
class Item:
    """One question with its context and gold answers ([] when unanswerable)."""

    id: str
    question: str
    context: str
    answers: tuple[str, ...]


@dataclass(frozen=True)
class Prediction:
    """The answerer's text and probability for one item, with its latency."""

    text: str
    probability: float
    seconds: float


def load_squad(directory: Path) -> list[Item]:
    """Items of the squad2-500 layout (queries.json + ground_truth.json)."""
    queries = json.loads((directory / "queries.json").read_text(encoding="utf-8"))["queries"]
    truth = json.loads((directory / "ground_truth.json").read_text(encoding="utf-8"))
    items = []
    for q in queries:
        gold = truth[q["id"]]
        answers = () if gold["is_impossible"] else tuple(gold["answers"])
        items.append(Item(q["id"], q["question"], q["context"], answers))
    return items


def normalize(text: str) -> str:
    """SQuAD 2.0 normalisation (from ragkit.eval.metrics)."""
    return normalize_answer(text)


def score(pred: str, answers: Sequence[str]) -> tuple[float, float]:
    """(EM, F1) of one prediction; no gold answers means only "" is right."""
    return exact_match(pred, answers), token_f1(pred, answers)


def auroc(scores: Sequence[float], labels: Sequence[bool]) -> float:
    """Area under the ROC curve (nan when one class is missing)."""
    value = metrics_auroc(scores, labels).value
    return float("nan") if value is None else value


def scores_at(
    items: Sequence[Item], preds: Sequence[Prediction], threshold: float
) -> dict[str, float]:
    """EM/F1 overall, on HasAns and NoAns, answering only above ``threshold``."""
    rows = []
    for item, pred in zip(items, preds, strict=True):
        text = pred.text if pred.probability > threshold else ""
        rows.append((bool(item.answers), *score(text, item.answers)))
    has = [r for r in rows if r[0]]
    no = [r for r in rows if not r[0]]

    def mean(xs: Sequence[float]) -> float:
        return 100.0 * sum(xs) / len(xs) if xs else float("nan")

    return {
        "EM": mean([r[1] for r in rows]),
        "F1": mean([r[2] for r in rows]),
        "HasAns_EM": mean([r[1] for r in has]),
        "HasAns_F1": mean([r[2] for r in has]),
        "NoAns_acc": mean([r[1] for r in no]),
    }


def best_threshold(items: Sequence[Item], preds: Sequence[Prediction]) -> tuple[float, float]:
    """The threshold (among the predicted probabilities) that maximises F1, and that F1."""
    candidates = sorted({0.0, *(p.probability for p in preds)})
    best = (THRESHOLD, scores_at(items, preds, THRESHOLD)["F1"])
    for t in candidates:
        f1 = scores_at(items, preds, t)["F1"]
        if f1 > best[1]:
            best = (t, f1)
    return best


def run(items: Sequence[Item], style: AnswerStyle = "EXTRACTIVE") -> list[Prediction]:
    """Answer every item with its context as one inline passage."""
    out = []
    for item in items:
        t0 = time.perf_counter()
        ans = answer(item.question, [Passage("0", (item.context,))], style=style)
        out.append(Prediction(ans.text, ans.answerable_probability, time.perf_counter() - t0))
    return out


def report(name: str, items: Sequence[Item], preds: Sequence[Prediction]) -> None:
    """Print the figures of one run."""
    at = scores_at(items, preds, THRESHOLD)
    no_abstain = scores_at(items, preds, -1.0)
    t, _ = best_threshold(items, preds)
    best = scores_at(items, preds, t)
    roc = auroc([p.probability for p in preds], [bool(i.answers) for i in items])
    contains = [
        contains_answer(p.text, i.answers) for i, p in zip(items, preds, strict=True) if i.answers
    ]
    lat = sorted(p.seconds for p in preds)
    n_has = sum(1 for i in items if i.answers)
    print(f"{name}: {len(items)} questions ({n_has} answerable, {len(items) - n_has} not)")
    print(
        f"  threshold {THRESHOLD}: EM {at['EM']:.1f}  F1 {at['F1']:.1f}  "
        f"HasAns EM {at['HasAns_EM']:.1f} F1 {at['HasAns_F1']:.1f}  NoAns acc {at['NoAns_acc']:.1f}"
    )
    print(
        f"  best threshold {t:.4f}: EM {best['EM']:.1f}  F1 {best['F1']:.1f}  "
        f"HasAns F1 {best['HasAns_F1']:.1f}  NoAns acc {best['NoAns_acc']:.1f}"
    )
    print(
        f"  never abstaining: HasAns EM {no_abstain['HasAns_EM']:.1f} "
        f"F1 {no_abstain['HasAns_F1']:.1f}; answer contains gold "
        f"{100.0 * sum(contains) / max(1, len(contains)):.1f}%"
    )
    print(f"  AUROC(answerable_probability) {roc:.3f}")
    p50, p95 = lat[len(lat) // 2], lat[int(0.95 * (len(lat) - 1))]
    print(
        f"  latency per question: mean {1000 * sum(lat) / len(lat):.1f} ms, "
        f"p50 {1000 * p50:.1f} ms, p95 {1000 * p95:.1f} ms"
    )


def report_sentences(
    name: str, items: Sequence[Item], preds: Sequence[Prediction], style: AnswerStyle
) -> None:
    """Figures of a clause/sentence style: holds the gold, decisions at 0.5, AUROC."""
    has = [(i, p) for i, p in zip(items, preds, strict=True) if i.answers]
    no = [p for i, p in zip(items, preds, strict=True) if not i.answers]
    holds = [contains_answer(p.text, i.answers) for i, p in has]
    answered = [h and p.probability > THRESHOLD for h, (_, p) in zip(holds, has, strict=True)]
    refused = [p.probability <= THRESHOLD for p in no]
    roc = auroc([p.probability for p in preds], [bool(i.answers) for i in items])

    def pct(xs: Sequence[bool]) -> float:
        return 100.0 * sum(xs) / max(1, len(xs))

    print(f"{name} {style}: {len(items)} questions ({len(has)} answerable, {len(no)} not)")
    print(
        f"  answer holds a gold answer {pct(holds):.1f}%; threshold {THRESHOLD}: answerable "
        f"answered with the gold {pct(answered):.1f}%, unanswerable refused {pct(refused):.1f}%, "
        f"all right {pct(answered + refused):.1f}%"
    )
    print(f"  AUROC(answerable_probability) {roc:.3f}")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", nargs="?", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--limit", type=int, default=None, help="first N questions only")
    parser.add_argument("--style", choices=ANSWER_STYLES, default="EXTRACTIVE")
    args = parser.parse_args(argv)
    if not (args.data_dir / "queries.json").is_file():
        print(f"no squad2-500 data at {args.data_dir}", file=sys.stderr)
        return 2
    items = load_squad(args.data_dir)[: args.limit]
    preds = run(items, args.style)
    if args.style == "EXTRACTIVE":
        report("squad2-500", items, preds)
    else:
        report_sentences("squad2-500", items, preds, args.style)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
