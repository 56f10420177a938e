"""Fit the answerer's answerableProbability on the calibration set (never on squad2-500).

Usage: python benchmarks/calibrate_aqa.py [--write] [--folds 5]

The calibration set (ragkit/engine/aqa/data/calibration.json; origin and licences in the
README beside it) holds hand-written questions over public documents: answerable ones with
verbatim gold spans and unanswerable ones written the SQuAD 2.0 way (plausible questions
about the paragraph's topic that it does not answer). Every third answerable question is
also paired with another paragraph of the same document that lacks its answer, as an extra
unanswerable case.

The model is a logistic regression over ``ragkit.engine.aqa.features.FEATURE_NAMES`` with
an L2 penalty, fitted by Newton's method. Its target is "the answer is right": the F1 of
the extractive answer for answerable questions, 0 for unanswerable ones (a soft label, so
the probability estimates "correct and grounded" as models/aqa's does).

It prints grouped k-fold cross-validated figures (folds split by paragraph, so no paragraph
is in both the fit and the test), then fits on everything; --write stores the coefficients
in ragkit/engine/aqa/_coefficients.py.
"""

from __future__ import annotations

import argparse
import json
import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from squad2 import Item, Prediction, auroc, best_threshold, normalize, score, scores_at

from ragkit.engine.aqa import Passage
from ragkit.engine.aqa.answerer import Evidence, gather_evidence
from ragkit.engine.aqa.features import FEATURE_NAMES

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "ragkit" / "engine" / "aqa" / "data" / "calibration.json"
COEFFICIENTS = ROOT / "ragkit" / "engine" / "aqa" / "_coefficients.py"
L2 = 1.0


def load_calibration(path: Path = DATA) -> tuple[list[Item], list[str]]:
    """Items (with the paired-passage negatives added) and each item's paragraph group."""
    data = json.loads(path.read_text(encoding="utf-8"))
    contexts = {c["id"]: c["text"] for c in data["contexts"]}
    by_doc: dict[str, list[str]] = {}
    for cid in contexts:
        by_doc.setdefault(cid.split("#")[0], []).append(cid)
    items: list[Item] = []
    groups: list[str] = []
    answerable_seen = 0
    for q in data["questions"]:
        items.append(Item(q["id"], q["question"], contexts[q["context"]], tuple(q["answers"])))
        groups.append(q["context"])
        if not q["answers"]:
            continue
        answerable_seen += 1
        if answerable_seen % 3:
            continue
        siblings = by_doc[q["context"].split("#")[0]]
        start = siblings.index(q["context"])
        for step in range(1, len(siblings)):
            other = siblings[(start + step) % len(siblings)]
            text = normalize(contexts[other])
            if not any(normalize(a) in text for a in q["answers"]):
                items.append(Item(q["id"] + "/paired", q["question"], contexts[other], ()))
                groups.append(q["context"])
                break
    return items, groups


def evidence_for(items: Sequence[Item]) -> list[Evidence]:
    """The answerer's evidence for each item (context as one inline passage)."""
    out = []
    for item in items:
        ev = gather_evidence(item.question, [Passage("0", (item.context,))])
        assert ev is not None, item.id
        out.append(ev)
    return out


def targets(items: Sequence[Item], evs: Sequence[Evidence]) -> np.ndarray:
    """Soft labels: the F1 of the extractive answer, 0 for unanswerable questions."""
    return np.array(
        [
            score(ev.extractive_text, it.answers)[1] if it.answers else 0.0
            for it, ev in zip(items, evs, strict=True)
        ]
    )


def fit(x: np.ndarray, y: np.ndarray, l2: float = L2) -> tuple[float, np.ndarray]:
    """L2-regularised logistic regression (soft labels allowed) by Newton's method."""
    xb = np.hstack([np.ones((x.shape[0], 1)), x])
    w = np.zeros(xb.shape[1])
    penalty = np.full(xb.shape[1], l2)
    penalty[0] = 0.0  # the bias is not shrunk
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-(xb @ w)))
        grad = xb.T @ (p - y) + penalty * w
        hess = (xb * (p * (1 - p))[:, None]).T @ xb + np.diag(penalty) + 1e-9 * np.eye(len(w))
        step = np.linalg.solve(hess, grad)
        w -= step
        if float(np.max(np.abs(step))) < 1e-8:
            break
    return float(w[0]), w[1:]


def predict(bias: float, weights: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Probabilities for the rows of ``x``."""
    return 1.0 / (1.0 + np.exp(-(bias + x @ weights)))


def cross_validate(
    items: Sequence[Item], groups: Sequence[str], evs: Sequence[Evidence], folds: int
) -> list[Prediction]:
    """Out-of-fold predictions, folds made of whole paragraphs."""
    x = np.array([ev.features for ev in evs])
    y = targets(items, evs)
    names = sorted(set(groups))
    fold_of = {g: i % folds for i, g in enumerate(names)}
    probs = np.zeros(len(items))
    for k in range(folds):
        test = np.array([fold_of[g] == k for g in groups])
        bias, weights = fit(x[~test], y[~test])
        probs[test] = predict(bias, weights, x[test])
    return [Prediction(ev.extractive_text, float(p), 0.0) for ev, p in zip(evs, probs, strict=True)]


def print_figures(name: str, items: Sequence[Item], preds: Sequence[Prediction]) -> None:
    """EM/F1 at 0.5 and at the best threshold, and the AUROC."""
    at = scores_at(items, preds, 0.5)
    t, _ = best_threshold(items, preds)
    best = scores_at(items, preds, t)
    never = scores_at(items, preds, -1.0)
    roc = auroc([p.probability for p in preds], [bool(i.answers) for i in items])
    n_has = sum(1 for i in items if i.answers)
    print(f"{name}: {len(items)} questions ({n_has} answerable)")
    print(
        f"  at 0.5: EM {at['EM']:.1f} F1 {at['F1']:.1f} (HasAns F1 {at['HasAns_F1']:.1f}, "
        f"NoAns acc {at['NoAns_acc']:.1f})"
    )
    print(f"  best threshold {t:.3f}: EM {best['EM']:.1f} F1 {best['F1']:.1f}")
    print(f"  never abstaining: HasAns EM {never['HasAns_EM']:.1f} F1 {never['HasAns_F1']:.1f}")
    print(f"  AUROC {roc:.3f}")


def write_coefficients(bias: float, weights: np.ndarray, path: Path = COEFFICIENTS) -> None:
    """Store the fit as Python so the package needs no data file at run time."""
    lines = [
        '"""Fitted answerability coefficients (written by benchmarks/calibrate_aqa.py; do not',
        'edit by hand: rerun the script with --write)."""',
        "",
        "from __future__ import annotations",
        "",
        f"BIAS: float = {bias:.6f}",
        "WEIGHTS: dict[str, float] = {",
        *(f'    "{n}": {w:.6f},' for n, w in zip(FEATURE_NAMES, weights, strict=True)),
        "}",
        "",
    ]
    path.write_text("\n".join(lines), encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="write _coefficients.py")
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args(argv)
    items, groups = load_calibration()
    evs = evidence_for(items)
    print_figures(
        f"calibration set, {args.folds}-fold CV",
        items,
        cross_validate(items, groups, evs, args.folds),
    )
    x = np.array([ev.features for ev in evs])
    y = targets(items, evs)
    bias, weights = fit(x, y)
    print(f"fit on all {len(items)}: bias {bias:.3f}")
    for name, w in zip(FEATURE_NAMES, weights, strict=True):
        print(f"  {name:>18} {w:+.3f}")
    preds = [
        Prediction(ev.extractive_text, float(p), 0.0)
        for ev, p in zip(evs, predict(bias, weights, x), strict=True)
    ]
    print_figures("calibration set, in-sample", items, preds)
    if args.write:
        write_coefficients(bias, weights)
        print(f"wrote {COEFFICIENTS.relative_to(ROOT)}")
    assert not math.isnan(bias)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
