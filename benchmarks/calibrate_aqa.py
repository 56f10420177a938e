"""Fit the answerer's answerableProbability on the calibration set (never on squad2-500).

Usage: python benchmarks/calibrate_aqa.py [--write] [--folds 5] [--single] [--misses N]

The calibration set (ragkit/engine/aqa/data/calibration.json; origin and licences in the
README beside it) has two slices:

- ``paragraphs``: hand-written questions over paragraphs of the shared documents, each
  asked of its paragraph as one inline passage: answerable ones with verbatim gold spans
  and unanswerable ones written the SQuAD 2.0 way. Every third answerable question is also
  paired with another paragraph of the same document that lacks its answer.
- ``documents``: plain document questions over the fixture documents in
  tests/fixtures/docs, asked the way ``ragkit ask`` asks them: the documents are loaded
  and chunked by ``ingest`` (300-token chunks), the question retrieves the top 10 chunks of
  all four documents by the engine's fused BM25 + MiniLM relevance, and the answerer gets
  those chunks with their relevance. A question counts as answerable only when a gold
  answer is in the retrieved chunks.

There is one logistic model per calibration target (``ragkit.engine.aqa.calibration``):
``span`` (EXTRACTIVE; soft target = F1 of the extractive span, 0 when unanswerable) and
``contains`` (ABSTRACTIVE and VERBOSE; target = the ABSTRACTIVE answer contains a gold
answer). Both are L2-regularised logistic regressions fitted by Newton's method.

It prints grouped k-fold cross-validated figures per style and slice (folds split by
paragraph / document section, so no group is in both the fit and the test), then fits on
everything; --write stores both coefficient sets in ragkit/engine/aqa/_coefficients.py.
--single scores every style with the span model, as the answerer did before per-style
targets (for before/after figures).
"""

from __future__ import annotations

import argparse
import json
import math
import sqlite3
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from squad2 import Item, Prediction, auroc, best_threshold, normalize, score, scores_at

from ragkit.engine.aqa import AnswerStyle, Passage
from ragkit.engine.aqa.answerer import Evidence, gather_evidence
from ragkit.engine.aqa.calibration import TARGETS, Target, target_for
from ragkit.engine.aqa.features import FEATURE_NAMES
from ragkit.engine.search.embed import get_embedder
from ragkit.engine.search.fts import match_expression
from ragkit.engine.search.fusion import fuse
from ragkit.eval.metrics import contains_answer

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "ragkit" / "engine" / "aqa" / "data" / "calibration.json"
FIXTURE_DOCS = ROOT / "tests" / "fixtures" / "docs"
COEFFICIENTS = ROOT / "ragkit" / "engine" / "aqa" / "_coefficients.py"
L2 = 1.0
TOP_K = 10  # passages ``ragkit ask`` gives the answerer by default
STYLES: tuple[AnswerStyle, ...] = ("EXTRACTIVE", "ABSTRACTIVE", "VERBOSE")


@dataclass(frozen=True)
class CalItem:
    """One calibration question with the passages it is asked of."""

    id: str
    question: str
    passages: tuple[Passage, ...]
    answers: tuple[str, ...]  # empty when the passages do not answer it
    group: str  # CV group: the paragraph, or the document section
    slice: str  # "paragraphs" or "documents"


def _paragraph_items(data: dict[str, list[dict[str, str]]]) -> list[CalItem]:
    """The paragraph slice, with the paired-passage negatives added."""
    contexts = {c["id"]: c["text"] for c in data["contexts"]}
    by_doc: dict[str, list[str]] = {}
    for cid in contexts:
        by_doc.setdefault(cid.split("#")[0], []).append(cid)

    def item(qid: str, question: str, context: str, answers: Sequence[str], group: str) -> CalItem:
        return CalItem(
            qid, question, (Passage("0", (context,)),), tuple(answers), group, "paragraphs"
        )

    items: list[CalItem] = []
    answerable_seen = 0
    for q in data["questions"]:
        items.append(
            item(q["id"], q["question"], contexts[q["context"]], q["answers"], q["context"])
        )
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
                items.append(
                    item(q["id"] + "/paired", q["question"], contexts[other], (), q["context"])
                )
                break
    return items


def _fixture_chunks(directory: Path) -> list[tuple[str, str]]:
    """``(chunk id, text)`` of every fixture document, chunked as ``ragkit ingest`` does."""
    # benchmarks/ingest.py (first on sys.path when a script here runs) would shadow the
    # ``ingest`` package: import it with this folder off the path.
    here = Path(__file__).resolve().parent
    saved = sys.path[:]
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != here]
    try:
        from ingest.chunking import chunk_document
        from ingest.loaders import load_document
    finally:
        sys.path[:] = saved
    return [
        (f"{path.name}/{chunk.index}", chunk.text)
        for path in sorted(directory.iterdir())
        for chunk in chunk_document(load_document(path))
    ]


class FixtureRetriever:
    """Top-k chunks of the fixture documents by the engine's fused BM25 + MiniLM relevance."""

    def __init__(self, directory: Path = FIXTURE_DOCS) -> None:
        self.chunks = _fixture_chunks(directory)
        self.db = sqlite3.connect(":memory:")
        self.db.execute("CREATE VIRTUAL TABLE fts USING fts5(text, tokenize='porter unicode61')")
        self.db.executemany(
            "INSERT INTO fts(rowid, text) VALUES (?, ?)",
            [(i, text) for i, (_, text) in enumerate(self.chunks)],
        )
        self.embedder = get_embedder()
        self.vectors = self.embedder.embed_documents([text for _, text in self.chunks])

    def passages(self, question: str, k: int = TOP_K) -> tuple[Passage, ...]:
        """The top ``k`` chunks as passages carrying their relevance, best first."""
        expression = match_expression(question)
        lexical: list[tuple[int, float]] = []
        if expression is not None:
            rows = self.db.execute(
                "SELECT rowid, bm25(fts) FROM fts WHERE fts MATCH ? ORDER BY bm25(fts)",
                (expression,),
            )
            lexical = [(int(r), float(s)) for r, s in rows]
        cosines = self.vectors @ self.embedder.embed_query(question)
        dense = [(i, float(c)) for i, c in enumerate(cosines)]
        return tuple(
            Passage(self.chunks[i][0], (self.chunks[i][1],), relevance=round(rel, 4))
            for i, rel in fuse(lexical, dense, limit=k)
        )


def _document_items(data: dict[str, list[dict[str, str]]]) -> tuple[list[CalItem], int]:
    """The document slice, and how many answerable questions retrieval failed to ground."""
    retriever = FixtureRetriever()
    items: list[CalItem] = []
    missed = 0
    for q in data["doc_questions"]:
        passages = retriever.passages(q["question"])
        answers = tuple(q["answers"])
        text = " ".join(p.parts[0] for p in passages)
        if answers and not contains_answer(text, answers):
            missed += 1
            answers = ()
        group = f"{q['doc']}#{q['topic']}"
        items.append(CalItem(q["id"], q["question"], passages, answers, group, "documents"))
    return items, missed


def load_calibration(path: Path = DATA) -> list[CalItem]:
    """Both slices of the calibration set."""
    data = json.loads(path.read_text(encoding="utf-8"))
    items = _paragraph_items(data)
    documents, missed = _document_items(data)
    print(f"documents slice: {missed} answerable questions not grounded in the top {TOP_K}")
    return items + documents


def evidence_for(items: Sequence[CalItem]) -> list[Evidence]:
    """The answerer's evidence for each item."""
    out = []
    for item in items:
        ev = gather_evidence(item.question, item.passages)
        assert ev is not None, item.id
        out.append(ev)
    return out


def targets(items: Sequence[CalItem], evs: Sequence[Evidence], target: Target) -> np.ndarray:
    """Labels of ``target``: F1 of the span, or "the ABSTRACTIVE answer holds a gold"."""
    out = []
    for it, ev in zip(items, evs, strict=True):
        if not it.answers:
            out.append(0.0)
        elif target == "span":
            out.append(score(ev.extractive_text, it.answers)[1])
        else:
            out.append(float(contains_answer(ev.answer_text("ABSTRACTIVE")[0], it.answers)))
    return np.array(out)


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


def feature_matrix(evs: Sequence[Evidence], drop: Sequence[str] = ()) -> np.ndarray:
    """The features of every item; columns named in ``drop`` are zeroed (ablation)."""
    x = np.array([ev.features for ev in evs])
    for name in drop:
        x[:, FEATURE_NAMES.index(name)] = 0.0
    return x


def cross_validate(
    items: Sequence[CalItem], evs: Sequence[Evidence], folds: int, drop: Sequence[str] = ()
) -> dict[Target, np.ndarray]:
    """Out-of-fold probabilities of each target, folds made of whole groups."""
    x = feature_matrix(evs, drop)
    names = sorted({it.group for it in items})
    fold_of = {g: i % folds for i, g in enumerate(names)}
    out: dict[Target, np.ndarray] = {}
    for target in TARGETS:
        y = targets(items, evs, target)
        probs = np.zeros(len(items))
        for k in range(folds):
            test = np.array([fold_of[it.group] == k for it in items])
            bias, weights = fit(x[~test], y[~test])
            probs[test] = predict(bias, weights, x[test])
        out[target] = probs
    return out


def _squad_items(items: Sequence[CalItem]) -> list[Item]:
    return [Item(it.id, it.question, "", it.answers) for it in items]


def print_extractive(items: Sequence[CalItem], evs: Sequence[Evidence], probs: np.ndarray) -> None:
    """EM/F1 at 0.5 and at the best threshold, and the AUROC."""
    sq = _squad_items(items)
    preds = [
        Prediction(ev.extractive_text, float(p), 0.0) for ev, p in zip(evs, probs, strict=True)
    ]
    at = scores_at(sq, preds, 0.5)
    t, _ = best_threshold(sq, preds)
    best = scores_at(sq, preds, t)
    never = scores_at(sq, preds, -1.0)
    roc = auroc([p.probability for p in preds], [bool(i.answers) for i in items])
    print(
        f"    EXTRACTIVE  at 0.5: EM {at['EM']:.1f} F1 {at['F1']:.1f} "
        f"(HasAns F1 {at['HasAns_F1']:.1f}, NoAns acc {at['NoAns_acc']:.1f}); "
        f"best t {t:.2f}: F1 {best['F1']:.1f}; never abstaining HasAns F1 "
        f"{never['HasAns_F1']:.1f}; AUROC {roc:.3f}"
    )


def print_sentences(
    style: AnswerStyle, items: Sequence[CalItem], evs: Sequence[Evidence], probs: np.ndarray
) -> None:
    """For ABSTRACTIVE/VERBOSE: how often the answer holds the gold, decisions at 0.5."""
    has = [i for i, it in enumerate(items) if it.answers]
    no = [i for i, it in enumerate(items) if not it.answers]
    holds = [contains_answer(evs[i].answer_text(style)[0], items[i].answers) for i in has]
    right_has = [holds[j] and probs[i] > 0.5 for j, i in enumerate(has)]
    right_no = [probs[i] <= 0.5 for i in no]
    roc = auroc(list(probs), [bool(it.answers) for it in items])
    correct = [False] * len(items)
    for j, i in enumerate(has):
        correct[i] = holds[j]
    roc_correct = auroc(list(probs), correct)

    def pct(xs: Sequence[bool]) -> float:
        return 100.0 * sum(xs) / max(1, len(xs))

    print(
        f"    {style:<11} holds gold {pct(holds):.1f}%; at 0.5: answerable answered with gold "
        f"{pct(right_has):.1f}%, unanswerable refused {pct(right_no):.1f}%, all right "
        f"{pct(right_has + right_no):.1f}%; AUROC answerable {roc:.3f}, correct {roc_correct:.3f}"
    )


def print_figures(
    name: str,
    items: Sequence[CalItem],
    evs: Sequence[Evidence],
    probs: dict[Target, np.ndarray],
    single: bool,
) -> None:
    """Per slice and style figures of one set of probabilities."""
    for slice_name in ("all", "paragraphs", "documents"):
        idx = [i for i, it in enumerate(items) if slice_name in ("all", it.slice)]
        sub = [items[i] for i in idx]
        n_has = sum(1 for it in sub if it.answers)
        print(f"{name} [{slice_name}]: {len(sub)} questions ({n_has} answerable)")
        for style in STYLES:
            target: Target = "span" if single else target_for(style)
            p = probs[target][idx]
            sub_evs = [evs[i] for i in idx]
            if style == "EXTRACTIVE":
                print_extractive(sub, sub_evs, p)
            else:
                print_sentences(style, sub, sub_evs, p)


def print_misses(
    items: Sequence[CalItem], evs: Sequence[Evidence], probs: np.ndarray, n: int
) -> None:
    """The worst ABSTRACTIVE decisions of the documents slice (for error analysis)."""
    rows = []
    for i, it in enumerate(items):
        if it.slice != "documents":
            continue
        text = evs[i].answer_text("ABSTRACTIVE")[0]
        holds = contains_answer(text, it.answers)
        wrong = probs[i] <= 0.5 if holds else probs[i] > 0.5
        if wrong or (it.answers and not holds):
            rows.append(
                (
                    it.id,
                    round(float(probs[i]), 3),
                    holds,
                    it.question,
                    evs[i].extractive_text,
                    text[:160],
                )
            )
    for row in rows[:n]:
        print("  MISS", row)


def write_coefficients(
    fits: dict[Target, tuple[float, np.ndarray]], path: Path = COEFFICIENTS
) -> None:
    """Store the fits as Python so the package needs no data file at run time."""
    lines = [
        '"""Fitted answerability coefficients per target (written by benchmarks/calibrate_aqa.py;',
        'do not edit by hand: rerun the script with --write)."""',
        "",
        "from __future__ import annotations",
        "",
        "BIAS: dict[str, float] = {",
        *(f'    "{t}": {fits[t][0]:.6f},' for t in TARGETS),
        "}",
        "WEIGHTS: dict[str, dict[str, float]] = {",
    ]
    for t in TARGETS:
        lines.append(f'    "{t}": {{')
        lines += [
            f'        "{n}": {w:.6f},' for n, w in zip(FEATURE_NAMES, fits[t][1], strict=True)
        ]
        lines.append("    },")
    lines += ["}", ""]
    path.write_text("\n".join(lines), encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="write _coefficients.py")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--single", action="store_true", help="span model for every style")
    parser.add_argument("--misses", type=int, default=0, help="print N document-slice misses")
    parser.add_argument(
        "--drop", action="append", default=[], choices=FEATURE_NAMES, help="ablate a feature"
    )
    args = parser.parse_args(argv)
    items = load_calibration()
    evs = evidence_for(items)
    cv = cross_validate(items, evs, args.folds, args.drop)
    print_figures(f"{args.folds}-fold CV", items, evs, cv, args.single)
    if args.misses:
        print_misses(items, evs, cv["span" if args.single else "contains"], args.misses)
    x = feature_matrix(evs, args.drop)
    fits: dict[Target, tuple[float, np.ndarray]] = {}
    for target in TARGETS:
        bias, weights = fit(x, targets(items, evs, target))
        fits[target] = (bias, weights)
        assert not math.isnan(bias)
        print(f"fit {target} on all {len(items)}: bias {bias:.3f}")
        for name, w in zip(FEATURE_NAMES, weights, strict=True):
            print(f"  {name:>18} {w:+.3f}")
    if args.write:
        write_coefficients(fits)
        print(f"wrote {COEFFICIENTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
