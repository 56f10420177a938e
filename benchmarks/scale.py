"""Query latency and memory of the retrieval primitives at 10k, 100k and 1M chunks.

Run by hand from the repository root (each size runs in its own process so that its resident
memory is its own; 1M takes several minutes, mostly building the synthetic FTS5 index)::

    .venv/bin/python benchmarks/scale.py [--sizes 10000 100000 1000000] [--queries 200]

Vectors: 384-dimensional unit vectors with the structure of real MiniLM embeddings — each is
a random mix of two SciFact abstract embeddings plus noise (from the SciFact benchmark's cache
when present, else synthetic clusters), so that there are many close neighbours as in a real
corpus. Queries are real SciFact claim embeddings (or perturbed seeds). Recall@10 is measured
against exact float32 search.

Text: each chunk is 8 random sentences of SciFact abstracts (~200 words of real scientific
English) and the queries are the 1,109 SciFact claims; without the data set, a Zipf
vocabulary whose most frequent words are English stopwords stands in. The FTS5 table (porter
unicode61, contentless, with an fts5vocab row table) lives in a temporary directory on disk.
Lexical queries go through the engine's planner (``LexicalPlanner.plan``, postings budget
30,000); "FTS5 unplanned" is a plain OR of every word (30 queries, 10 above 100k chunks).

Combined = embed the query text with MiniLM + FTS5 top-200 + VectorIndex top-200 + cosine
fill-in + fusion, i.e. what corpora:query does for resultsCount=100.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

from ragkit.engine.aqa.text import STOPWORDS
from ragkit.engine.lexical import LexicalPlanner
from ragkit.engine.search.fts import create_vocab_sql, match_expression
from ragkit.engine.search.fusion import candidate_depth, hybrid_rank
from ragkit.engine.search.vectors import VectorIndex

REPO = Path(__file__).resolve().parents[1]
DIM = 384
BLOCK = 10_000
WORDS_PER_CHUNK = 150
VOCABULARY = 30_000
VOCAB_TABLE = "chunks_vocab"
Matrix = npt.NDArray[np.float32]
T = TypeVar("T")


def rss_mb() -> tuple[float, float]:
    """(current, peak) resident set size of this process in MB, from /proc."""
    fields: dict[str, float] = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            fields[key] = float(value.split()[0]) / 1024
    return fields.get("VmRSS", float("nan")), fields.get("VmHWM", float("nan"))


def unit(x: npt.NDArray[np.floating[Any]]) -> Matrix:
    out: Matrix = (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)
    return out


def seeds_and_queries(count: int) -> tuple[Matrix, Matrix, str]:
    """Seed vectors and query vectors: real MiniLM ones from the SciFact cache if any."""
    cache = sorted((REPO / "benchmarks" / ".cache").glob("scifact-corpus-minilm-windows-*.npz"))
    queries_cache = sorted(
        (REPO / "benchmarks" / ".cache").glob("scifact-queries-minilm-windows-*.npz")
    )
    if cache and queries_cache:
        docs, queries = np.load(cache[0]), np.load(queries_cache[0])
        seeds = _first_windows(docs)
        return seeds, _first_windows(queries)[:count], "SciFact MiniLM embeddings"
    rng = np.random.default_rng(1)
    # MiniLM vectors share a common direction (cosines of unrelated texts ~0.0-0.2).
    common = rng.standard_normal(DIM).astype(np.float32)
    seeds = unit(rng.standard_normal((5000, DIM)).astype(np.float32) + 0.4 * unit(common[None]))
    queries = unit(seeds[rng.integers(0, 5000, count)] + 0.08 * rng.standard_normal((count, DIM)))
    return seeds, queries.astype(np.float32), "synthetic clusters"


def _first_windows(z: np.lib.npyio.NpzFile) -> Matrix:
    owners = z["owners"]
    first = np.r_[0, np.flatnonzero(np.diff(owners)) + 1]
    return unit(z["pooled"][first])


def vector_blocks(seeds: Matrix, n: int) -> Iterator[tuple[int, Matrix]]:
    """The n corpus vectors, in deterministic blocks (regenerated for the exact search)."""
    for start in range(0, n, BLOCK):
        rng = np.random.default_rng(10_000 + start)
        size = min(BLOCK, n - start)
        a = seeds[rng.integers(0, len(seeds), size)]
        b = seeds[rng.integers(0, len(seeds), size)]
        mix = rng.uniform(0.2, 0.6, (size, 1)).astype(np.float32)
        noise = rng.standard_normal((size, DIM)).astype(np.float32) * 0.02
        yield start, unit(a + mix * b + noise)


def exact_top(seeds: Matrix, n: int, queries: Matrix, k: int) -> npt.NDArray[np.int64]:
    best_scores = np.full((len(queries), k), -np.inf, dtype=np.float32)
    best_ids = np.zeros((len(queries), k), dtype=np.int64)
    for start, block in vector_blocks(seeds, n):
        scores = queries @ block.T
        ids = np.broadcast_to(np.arange(start, start + len(block)), scores.shape)
        all_scores = np.concatenate([best_scores, scores], axis=1)
        all_ids = np.concatenate([best_ids, ids], axis=1)
        keep = np.argsort(-all_scores, axis=1, kind="stable")[:, :k]
        best_scores = np.take_along_axis(all_scores, keep, axis=1)
        best_ids = np.take_along_axis(all_ids, keep, axis=1)
    return best_ids


def timed(call: Callable[[T], object], items: Sequence[T]) -> dict[str, float]:
    """p50/p95 milliseconds of ``call(item)`` over ``items`` (after one warm-up call), as
    wall-clock time and as CPU time of the whole process (all its threads).

    On a machine shared with other work the wall-clock time includes waiting for a core;
    the CPU time is what the query itself costs.
    """
    call(items[0])
    wall, cpu = [], []
    for item in items:
        started, started_cpu = time.perf_counter(), time.process_time()
        call(item)
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    w, c = np.array(wall) * 1e3, np.array(cpu) * 1e3
    return {
        "p50": float(np.percentile(w, 50)),
        "p95": float(np.percentile(w, 95)),
        "cpu50": float(np.percentile(c, 50)),
        "cpu95": float(np.percentile(c, 95)),
    }


def text_source(rng: np.random.Generator) -> tuple[Callable[[int], list[str]], list[str], str]:
    """(make ``size`` chunk texts, query texts, description)."""
    scifact = REPO.parent / "shared" / "data" / "scifact"
    if (scifact / "corpus.jsonl.gz").is_file():
        from ragkit.eval.datasets import BeirDataset

        data = BeirDataset.open(scifact)
        sentences = np.array(
            [
                sentence
                for doc in data.corpus()
                for sentence in re.split(r"(?<=[.!?])\s+", f"{doc.title}. {doc.text}")
                if len(sentence) > 20
            ],
            dtype=object,
        )
        claims = [query.text for query in data.queries()]
        rng.shuffle(claims)

        def chunks(size: int) -> list[str]:
            picks = rng.integers(0, len(sentences), (size, 8))
            return [" ".join(sentences[row]) for row in picks]

        return chunks, claims, "SciFact sentences, 8 per chunk; SciFact claims as queries"
    vocabulary, p = zipf_vocabulary(rng)

    def words(size: int) -> list[str]:
        picks = vocabulary[rng.choice(len(vocabulary), size=(size, WORDS_PER_CHUNK), p=p)]
        return [" ".join(row) for row in picks]

    queries = [" ".join(vocabulary[rng.choice(len(vocabulary), size=8, p=p)]) for _ in range(500)]
    return words, queries, "Zipf pseudo-words (stopwords most frequent)"


def zipf_vocabulary(
    rng: np.random.Generator,
) -> tuple[npt.NDArray[np.str_], npt.NDArray[np.float64]]:
    letters = np.array(list("abcdefghijklmnopqrstuvwxyz"))
    words = {
        "".join(rng.choice(letters, size=int(rng.integers(3, 10))))
        for _ in range(int(VOCABULARY * 1.2))
    }
    # English function words first, so the most frequent words are the ones a real
    # corpus has everywhere (the list's contractions are left out: FTS5 splits them).
    stopwords = sorted(word for word in STOPWORDS if word.isalpha())
    invented = sorted(words - STOPWORDS)[: VOCABULARY - len(stopwords)]
    rng.shuffle(invented)
    vocabulary = np.array(stopwords + invented)
    weights = 1.0 / np.arange(1, len(vocabulary) + 1) ** 1.07
    return vocabulary, weights / weights.sum()


@dataclass
class FtsTable:
    """The benchmark's FTS5 table ``chunks`` with its row count and the engine's planner."""

    conn: sqlite3.Connection
    size: int
    planner: LexicalPlanner = field(default_factory=LexicalPlanner)

    def match(self, text: str, planned: bool = True) -> str | None:
        """The MATCH expression for ``text``: the engine planner's, or a plain OR."""
        if not planned:
            return match_expression(text)
        return self.planner.plan(self.conn, VOCAB_TABLE, text, cache_key="chunks", size=self.size)

    def hits(self, text: str, depth: int, planned: bool = True) -> list[tuple[int, float]]:
        expression = self.match(text, planned)
        if expression is None:
            return []
        return self.conn.execute(
            "SELECT rowid, bm25(chunks) FROM chunks WHERE chunks MATCH ? ORDER BY rank LIMIT ?",
            (expression, depth),
        ).fetchall()


def build_fts(path: Path, n: int, make: Callable[[int], list[str]]) -> tuple[FtsTable, float]:
    conn = sqlite3.connect(path, check_same_thread=False)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute(
        "CREATE VIRTUAL TABLE chunks USING fts5(text, content='', tokenize='porter unicode61')"
    )
    # The document frequencies the engine's planner reads (each corpus's table has one too).
    conn.execute(create_vocab_sql("chunks", VOCAB_TABLE))
    started = time.perf_counter()
    for start in range(0, n, 10_000):
        texts = make(min(10_000, n - start))
        with conn:
            conn.executemany(
                "INSERT INTO chunks(rowid, text) VALUES (?, ?)",
                ((start + i, text) for i, text in enumerate(texts)),
            )
    return FtsTable(conn, n), time.perf_counter() - started


def filtered_search(
    index: VectorIndex, k: int, allowed: npt.NDArray[np.int64], query: Matrix
) -> object:
    return index.search(query, k, allowed_ids=allowed)


def run_one(n: int, query_count: int) -> dict[str, object]:
    result: dict[str, object] = {"chunks": n}
    seeds, queries, source = seeds_and_queries(query_count)
    result["vectors"] = source
    index = VectorIndex(DIM)
    index.reserve(n)
    started = time.perf_counter()
    for start, block in vector_blocks(seeds, n):
        index.add(np.arange(start, start + len(block)), block)
    result["index_build_s"] = time.perf_counter() - started
    result["index_mb"] = index.nbytes / 2**20
    result["rss_after_index_mb"] = rss_mb()[0]

    depth = candidate_depth(100)
    query_rows: list[Matrix] = list(queries)
    result["vector_k200"] = timed(lambda q: index.search(q, depth), query_rows)
    result["vector_k10"] = timed(lambda q: index.search(q, 10), query_rows)
    rng = np.random.default_rng(5)
    for share in (0.01, 0.3):
        allowed = np.sort(rng.choice(n, size=max(1, int(n * share)), replace=False))
        result[f"vector_k200_filter_{share:g}"] = timed(
            partial(filtered_search, index, depth, allowed), query_rows
        )
    truth = exact_top(seeds, n, queries[:100], 10)
    found = [
        len({i for i, _ in index.search(q, 10)} & set(truth[j].tolist())) / 10
        for j, q in enumerate(queries[:100])
    ]
    result["recall_at_10"] = float(np.mean(found))

    with tempfile.TemporaryDirectory(prefix="ragkit-scale-") as tmp:
        make, texts, described = text_source(np.random.default_rng(9))
        result["text"] = described
        fts, seconds = build_fts(Path(tmp) / "fts.db", n, make)
        result["fts_build_s"] = seconds
        result["fts_db_mb"] = sum(f.stat().st_size for f in Path(tmp).iterdir()) / 2**20
        texts = texts[: len(queries)]
        result["fts_unplanned"] = timed(
            lambda t: fts.hits(t, depth, planned=False), texts[: 30 if n <= 100_000 else 10]
        )
        result["fts_top200"] = timed(lambda t: fts.hits(t, depth), texts)
        result["fts_no_lexical_share"] = float(np.mean([fts.match(t) is None for t in texts]))

        from ragkit.engine.search import get_embedder

        embedder = get_embedder()
        embedder.embed_query("warm up")

        def combined(text: str) -> object:
            vector = embedder.embed_query(text)
            return hybrid_rank(vector, fts.hits(text, depth), index, k=100)

        pool = ThreadPoolExecutor(max_workers=1)

        def overlapped(text: str) -> object:
            # FTS5 on a second thread while the query is embedded and the vectors searched:
            # sqlite3 and numpy release the GIL, so the two halves overlap on 2 cores.
            lexical = pool.submit(fts.hits, text, depth)
            vector = embedder.embed_query(text)
            dense = index.search(vector, depth)
            return hybrid_rank(vector, lexical.result(), index, k=100, dense=dense)

        result["embed_query"] = timed(embedder.embed_query, texts)
        result["combined"] = timed(combined, texts)
        result["combined_overlapped"] = timed(overlapped, texts)
        pool.shutdown()
        result["rss_final_mb"], result["rss_peak_mb"] = rss_mb()
        fts.conn.close()
    return result


def table(results: Sequence[dict[str, object]]) -> str:
    def cell(value: object) -> str:
        if isinstance(value, dict):
            return (
                f"{value['p50']:.1f} / {value['p95']:.1f} "
                f"(cpu {value['cpu50']:.1f} / {value['cpu95']:.1f})"
            )
        if isinstance(value, float):
            return f"{value:.3f}" if value < 10 else f"{value:.0f}"
        return str(value)

    rows = [
        ("vector top-200", "vector_k200"),
        ("vector top-10", "vector_k10"),
        ("vector top-200 within 1% of ids", "vector_k200_filter_0.01"),
        ("vector top-200 within 30% of ids", "vector_k200_filter_0.3"),
        ("vector recall@10 vs exact float32", "recall_at_10"),
        ("FTS5 top-200 unplanned (OR of all words)", "fts_unplanned"),
        ("FTS5 top-200 with the lexical planner", "fts_top200"),
        ("queries left without a selective word", "fts_no_lexical_share"),
        ("MiniLM query embedding", "embed_query"),
        ("combined query", "combined"),
        ("combined, FTS5 on a 2nd thread", "combined_overlapped"),
        ("index arrays, MB", "index_mb"),
        ("RSS after the index, MB", "rss_after_index_mb"),
        ("RSS with embedder + SQLite, MB", "rss_final_mb"),
        ("peak RSS (incl. building), MB", "rss_peak_mb"),
        ("index build, s", "index_build_s"),
        ("FTS5 build, s", "fts_build_s"),
        ("FTS5 database, MB", "fts_db_mb"),
    ]
    head = "| chunks | " + " | ".join(f"{r['chunks']:,}" for r in results) + " |"
    lines = [head, "| --- |" + " --- |" * len(results)]
    for label, key in rows:
        lines.append(f"| {label} | " + " | ".join(cell(r.get(key)) for r in results) + " |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(run_one(args.one, args.queries)))
        return
    results = []
    for n in args.sizes:
        started = time.perf_counter()
        out = subprocess.run(
            [sys.executable, __file__, "--one", str(n), "--queries", str(args.queries)],
            check=True,
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
        print(f"{n:,} chunks done in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    print(f"vectors: {results[0]['vectors']}; text: {results[0]['text']}")
    print(f"{os.cpu_count()} cores, load average at the end {os.getloadavg()[0]:.1f}")
    print("times: wall-clock p50 / p95 ms (process CPU time p50 / p95 ms)\n")
    print(table(results))


if __name__ == "__main__":
    main(sys.argv[1:])
