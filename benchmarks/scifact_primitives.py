"""SciFact retrieval with ragkit's primitives: BM25 (FTS5), dense (MiniLM), RRF and our fusion.

Run from the repository root (the corpus embeddings are cached in benchmarks/.cache/, so only
the first run embeds the 5,183 abstracts; that takes ~8 minutes on 2 free cores)::

    .venv/bin/python benchmarks/scifact_primitives.py [../shared/data/scifact]
        [--tune] [--throughput-sample 200] [--offtopic ../shared/data/squad2-500]

Prints nDCG@10 / Recall@100 over the 300 judged test queries for each method, the same on
the two halves of the queries (odd/even position by numeric id: fusion was tuned on half A,
half B is held out), dense quality by how long abstracts are combined from windows, the
vector index against exact float32 search, the fused score's calibration against
off-topic questions, and embedding throughput. Document text = title + " " + text.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import sqlite3
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from ragkit.engine.lexical import LexicalPlanner
from ragkit.engine.search.embed_minilm import (
    MAX_WORDPIECES,
    MODEL_SHA256,
    WINDOW_OVERLAP,
    Combine,
    MiniLMEmbedder,
    combine_windows,
)
from ragkit.engine.search.fts import create_table_sql, create_vocab_sql, match_expression
from ragkit.engine.search.fusion import (
    DEFAULT_FUSION,
    FusionParams,
    candidate_depth,
    fuse,
    reciprocal_rank_fusion,
)
from ragkit.engine.search.vectors import VectorIndex
from ragkit.eval.datasets import BeirDataset
from ragkit.eval.metrics import evaluate_run

REPO = Path(__file__).resolve().parents[1]
CACHE = REPO / "benchmarks" / ".cache"
Hits = list[tuple[int, float]]
Matrix = npt.NDArray[np.float32]


@dataclass
class Windows:
    """Per-window pooled vectors of a list of texts (see MiniLMEmbedder.window_vectors)."""

    pooled: Matrix
    counts: npt.NDArray[np.float32]
    owners: npt.NDArray[np.int64]
    seconds: float

    def combined(self, how: Combine) -> Matrix:
        out = np.zeros((int(self.owners.max()) + 1, self.pooled.shape[1]), dtype=np.float32)
        bounds = np.flatnonzero(np.diff(self.owners)) + 1
        for lo, hi in zip(np.r_[0, bounds], np.r_[bounds, len(self.owners)], strict=True):
            out[self.owners[lo]] = combine_windows(self.pooled[lo:hi], self.counts[lo:hi], how)
        return out


def embed_cached(embedder: MiniLMEmbedder, texts: Sequence[str], label: str) -> Windows:
    """Window vectors of ``texts``, from benchmarks/.cache/ when the inputs are unchanged."""
    key = hashlib.sha256(
        json.dumps([MODEL_SHA256, MAX_WORDPIECES, WINDOW_OVERLAP, list(texts)]).encode()
    ).hexdigest()[:16]
    path = CACHE / f"{label}-minilm-windows-{key}.npz"
    if path.exists():
        z = np.load(path)
        return Windows(z["pooled"], z["counts"], z["owners"], float(z["seconds"]))
    started = time.perf_counter()
    pooled, counts, owners = embedder.window_vectors(texts)
    seconds = time.perf_counter() - started
    CACHE.mkdir(parents=True, exist_ok=True)
    np.savez(path, pooled=pooled, counts=counts, owners=owners, seconds=seconds)
    return Windows(pooled, counts, owners, seconds)


def build_fts(texts: Sequence[str]) -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    conn.execute(create_table_sql("docs", ("body",)))
    conn.execute(create_vocab_sql("docs", "docs_vocab"))  # for the lexical planner
    conn.executemany("INSERT INTO docs(rowid, body) VALUES (?, ?)", enumerate(texts))
    return conn


def bm25_hits(conn: sqlite3.Connection, query: str, depth: int) -> Hits:
    return run_match(conn, match_expression(query), depth)


def run_match(conn: sqlite3.Connection, expression: str | None, depth: int) -> Hits:
    if expression is None:
        return []
    rows = conn.execute(
        "SELECT rowid, bm25(docs) FROM docs WHERE docs MATCH ? ORDER BY rank LIMIT ?",
        (expression, depth),
    ).fetchall()
    return [(int(r), float(s)) for r, s in rows]


def exact_hits(vectors: Matrix, query: Matrix, depth: int) -> Hits:
    scores = vectors @ query
    top = np.argsort(-scores, kind="stable")[:depth]
    return [(int(i), float(scores[i])) for i in top]


@dataclass
class QueryData:
    lexical: Hits  # (rowid, sqlite bm25), depth 200
    dense: Hits  # (rowid, cosine) from the VectorIndex, depth 200
    cosines: Matrix  # exact cosine to every document (for fill-in and analysis)


def fused_hits(data: QueryData, depth: int, params: FusionParams) -> Hits:
    """Fusion as the engine runs it: both lists at ``depth``, cosines filled in."""
    lexical = data.lexical[:depth]
    dense = data.dense[:depth]
    seen = {i for i, _ in dense}
    dense = dense + [(i, float(data.cosines[i])) for i, _ in lexical if i not in seen]
    return fuse(lexical, dense, params=params, limit=100)


class Scorer:
    """nDCG@10 / Recall@100 on all judged queries and on the two halves."""

    def __init__(self, qrels: Mapping[str, Mapping[str, int]], doc_ids: Sequence[str]) -> None:
        self.qrels = qrels
        self.doc_ids = doc_ids
        ordered = sorted(qrels, key=lambda q: (len(q), q))
        self.halves = {"A": ordered[0::2], "B": ordered[1::2], "all": ordered}

    def __call__(self, hits: Mapping[str, Hits], half: str = "all") -> tuple[float, float]:
        queries = self.halves[half]
        # Ranks are passed as strictly decreasing scores so ties cannot be re-broken.
        run = {
            q: {self.doc_ids[i]: float(len(hits[q]) - r) for r, (i, _) in enumerate(hits[q])}
            for q in queries
        }
        report = evaluate_run(run, {q: self.qrels[q] for q in queries}, k_values=(10, 100))
        return report.mean["ndcg@10"], report.mean["recall@100"]

    def line(self, name: str, hits: Mapping[str, Hits]) -> str:
        cells = [f"{self(hits, h)[0]:.3f} / {self(hits, h)[1]:.3f}" for h in ("all", "A", "B")]
        return f"| {name} | " + " | ".join(cells) + " |"


def tune(scorer: Scorer, data: Mapping[str, QueryData]) -> FusionParams:
    """Grid search on half A: maximise nDCG@10 + 0.5 * min(Recall@100, 0.97)."""
    best: tuple[float, FusionParams] | None = None
    for weight, floor, ceiling, gate in itertools.product(
        [0.5, 0.6, 0.7], [0.0, 0.1, 0.2], [0.6, 0.7, 0.8], [0.2, 0.3, 0.5]
    ):
        params = FusionParams(weight, floor, ceiling, gate)
        hits = {q: fused_hits(data[q], 200, params) for q in scorer.halves["A"]}
        ndcg, recall = scorer(hits, "A")
        objective = ndcg + 0.5 * min(recall, 0.97)
        if best is None or objective > best[0] + 1e-12:
            best = (objective, params)
    assert best is not None
    return best[1]


def throughput(texts: Sequence[str], windows: int) -> list[str]:
    """Embedding speed on ``texts`` (which hold ``windows`` encoder windows in all)."""
    lines = ["| setting | docs/s | windows/s |", "| --- | --- | --- |"]
    int8 = MiniLMEmbedder(activations="int8")
    settings: list[tuple[str, MiniLMEmbedder, bool]] = [
        ("int8 activations (minilm:int8, default), one text per call", int8, True),
        ("int8 activations (minilm:int8, default), batches of <= 2 windows", int8, False),
        ("float activations (minilm), one text per call", MiniLMEmbedder(), True),
        ("float activations (minilm), batches of <= 2 windows, 2 runs", MiniLMEmbedder(), False),
        (
            "float, batches of <= 8 windows, 2 runs",
            MiniLMEmbedder(batch_windows=8, batch_tokens=2048),
            False,
        ),
        ("float, batches of <= 2 windows, 1 run at a time", MiniLMEmbedder(threads=1), False),
    ]
    for label, embedder, single in settings:
        embedder.embed_documents(list(texts[:2]))  # load the session outside the clock
        started = time.perf_counter()
        if single:
            for text in texts:
                embedder.embed_documents([text])
        else:
            embedder.embed_documents(list(texts))
        seconds = time.perf_counter() - started
        lines.append(f"| {label} | {len(texts) / seconds:.1f} | {windows / seconds:.1f} |")
    return lines


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path, default=REPO.parent / "shared/data/scifact")
    parser.add_argument("--tune", action="store_true", help="re-run the fusion grid on half A")
    parser.add_argument("--throughput-sample", type=int, default=200, metavar="N")
    parser.add_argument(
        "--offtopic", type=Path, default=REPO.parent / "shared/data/squad2-500/queries.json"
    )
    args = parser.parse_args(argv)

    dataset = BeirDataset.open(args.path)
    corpus = list(dataset.corpus())
    doc_ids = [d.id for d in corpus]
    texts = [f"{d.title} {d.text}" for d in corpus]
    qrels = dataset.qrels()
    queries = {q.id: q.text for q in dataset.queries(judged_only=True)}
    scorer = Scorer(qrels, doc_ids)
    embedder = MiniLMEmbedder()

    doc_windows = embed_cached(embedder, texts, "scifact-corpus")
    query_ids = sorted(queries)
    query_windows = embed_cached(embedder, [queries[q] for q in query_ids], "scifact-queries")
    query_vectors = dict(zip(query_ids, query_windows.combined("tokens"), strict=True))
    print(f"# SciFact: {len(texts)} documents, {len(queries)} judged queries")
    print(
        f"corpus embedding (when cached): {len(texts) / doc_windows.seconds:.1f} docs/s, "
        f"{len(doc_windows.owners) / doc_windows.seconds:.1f} windows/s, "
        f"{len(doc_windows.owners) / len(texts):.2f} windows per document"
    )

    conn = build_fts(texts)
    vectors = {how: doc_windows.combined(how) for how in ("first", "mean", "tokens")}
    index = VectorIndex(embedder.dimension)
    index.add(np.arange(len(texts)), vectors["tokens"])
    depth = candidate_depth(100)
    data: dict[str, QueryData] = {}
    dense_latency: list[float] = []
    for q in query_ids:
        started = time.perf_counter()
        dense = index.search(query_vectors[q], depth)
        dense_latency.append(time.perf_counter() - started)
        data[q] = QueryData(
            lexical=bm25_hits(conn, queries[q], depth),
            dense=dense,
            cosines=vectors["tokens"] @ query_vectors[q],
        )

    print("\n| method | all nDCG@10 / R@100 | half A (tuning) | half B (held out) |")
    print("| --- | --- | --- | --- |")
    print(scorer.line("BM25 (FTS5 porter unicode61)", {q: d.lexical for q, d in data.items()}))
    for how, label in (
        ("first", "truncate at 256"),
        ("mean", "mean of windows"),
        ("tokens", "token-weighted windows"),
    ):
        exact = {q: exact_hits(vectors[how], query_vectors[q], 100) for q in query_ids}
        print(scorer.line(f"dense MiniLM int8, {label}, exact float32", exact))
    print(
        scorer.line(
            "dense, VectorIndex (sign prefilter + int8)", {q: d.dense for q, d in data.items()}
        )
    )
    for rrf_depth in (100, 200):
        rrf = {
            q: reciprocal_rank_fusion(
                [i for i, _ in d.lexical[:rrf_depth]], [i for i, _ in d.dense[:rrf_depth]]
            )[:100]
            for q, d in data.items()
        }
        print(scorer.line(f"RRF k=60, depth {rrf_depth}", rrf))
    params = tune(scorer, data) if args.tune else DEFAULT_FUSION
    if args.tune:
        print(f"\ntuned on half A: {params}")
    for fusion_depth in (100, 200):
        fused = {q: fused_hits(d, fusion_depth, params) for q, d in data.items()}
        print(scorer.line(f"ragkit fusion, depth {fusion_depth}", fused))

    agree = []
    for q in query_ids:
        truth = {i for i, _ in exact_hits(vectors["tokens"], query_vectors[q], 10)}
        agree.append(len({i for i, _ in data[q].dense[:10]} & truth) / 10)
    print(
        f"\nVectorIndex top-10 recall vs exact float32: {np.mean(agree):.3f} "
        f"({min(index.candidates, len(index))} of {len(index)} rows rescored); "
        f"query p50 {np.percentile(dense_latency, 50) * 1e3:.2f} ms"
    )

    budgets(scorer, conn, queries, data, params)
    fused = {q: fused_hits(d, depth, params) for q, d in data.items()}
    calibration(fused, scorer, embedder, conn, vectors["tokens"], args.offtopic, params)
    if args.throughput_sample > 0:
        print("\n## Embedding throughput (2 threads unless stated)\n")
        sample = texts[: args.throughput_sample]
        windows = int((doc_windows.owners < len(sample)).sum())
        print(f"{len(sample)} abstracts, {windows} windows\n")
        print("\n".join(throughput(sample, windows)))


def budgets(
    scorer: Scorer,
    conn: sqlite3.Connection,
    queries: Mapping[str, str],
    data: Mapping[str, QueryData],
    params: FusionParams,
) -> None:
    """Quality when the lexical planner's postings budget is a given share of the corpus.

    At 1M chunks the engine's budget (30,000 postings) is 3% of the table; SciFact with a
    budget of 3% of its rows shows what that costs in quality on real queries. A query whose
    words fit in the budget keeps them all (on a small corpus, every query: the plain OR).
    """
    rows = len(scorer.doc_ids)
    planner = LexicalPlanner()
    print("\n## Lexical planner budget as a share of the table (BM25 / fused)\n")
    print("| lexical query | BM25 nDCG@10 / R@100 | fused nDCG@10 / R@100 |")
    print("| --- | --- | --- |")
    settings: list[tuple[str, int | None]] = [("plain OR of all words", None)]
    settings += [
        (f"budget {share:.0%} of rows", int(share * rows))
        for share in (0.2, 0.1, 0.05, 0.03, 0.02, 0.01)
    ]
    for label, budget in settings:
        lexical: dict[str, Hits] = {}
        for q, text in queries.items():
            expression = (
                match_expression(text)
                if budget is None
                else planner.plan(
                    conn, "docs_vocab", text, cache_key="docs", size=rows, budget=budget
                )
            )
            lexical[q] = run_match(conn, expression, 200)
        fused = {
            q: fused_hits(QueryData(lexical[q], d.dense, d.cosines), 200, params)
            for q, d in data.items()
        }
        bm25 = scorer({q: hits[:100] for q, hits in lexical.items()})
        both = scorer(fused)
        print(f"| {label} | {bm25[0]:.3f} / {bm25[1]:.3f} | {both[0]:.3f} / {both[1]:.3f} |")


def calibration(
    fused: Mapping[str, Hits],
    scorer: Scorer,
    embedder: MiniLMEmbedder,
    conn: sqlite3.Connection,
    doc_vectors: Matrix,
    offtopic: Path,
    params: FusionParams,
) -> None:
    """How the fused score separates relevant, non-relevant and off-topic results."""
    relevant: list[float] = []
    other: list[float] = []
    for q, hits in fused.items():
        for i, score in hits[:10]:
            good = scorer.qrels[q].get(scorer.doc_ids[i], 0) > 0
            (relevant if good else other).append(score)
    off_top: list[float] = []
    if offtopic.is_file():
        questions = [item["question"] for item in json.loads(offtopic.read_text())["queries"]][:300]
        windows = embed_cached(embedder, questions, "squad-questions")
        for text, vector in zip(questions, windows.combined("tokens"), strict=True):
            data = QueryData(
                bm25_hits(conn, text, 200),
                exact_hits(doc_vectors, vector, 200),
                doc_vectors @ vector,
            )
            hits = fused_hits(data, 200, params)
            off_top.append(hits[0][1] if hits else 0.0)
    print("\n## What the fused score means (SciFact top-10 results; off-topic = SQuAD questions)\n")
    print("| score >= | relevant kept | precision in top 10 | off-topic questions with a hit |")
    print("| --- | --- | --- | --- |")
    rel, oth, off = np.array(relevant), np.array(other), np.array(off_top)
    for threshold in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8):
        kept = (rel >= threshold).sum()
        precision = kept / max(1, kept + (oth >= threshold).sum())
        off_share = f"{(off >= threshold).mean():.2f}" if len(off) else "n/a"
        print(f"| {threshold} | {(rel >= threshold).mean():.2f} | {precision:.2f} | {off_share} |")


if __name__ == "__main__":
    main(sys.argv[1:])
