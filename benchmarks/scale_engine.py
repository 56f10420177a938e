"""corpora:query through the real engine at 10k, 100k and 1M chunks: latency and memory.

Run by hand from the repository root (1M takes a long while, see benchmarks/README.md)::

    .venv/bin/python benchmarks/scale_engine.py [--sizes 10000 100000 1000000] [--queries 200]

Unlike ``scale.py``, which times the retrieval primitives on their own, this goes through
what a user calls: the in-process ``ragkit.client.Client()`` (no base URL, no key, so the
embedded engine) and ``client.corpora.query(corpus, query=..., results_count=10)``.

Each size gets a fresh temporary ``RAGKIT_HOME`` and two subprocesses, so that resident
memory is the size's own: one *builds* the corpus through the API as a user would
(``AsyncClient``: documents of 100 chunks, one ``batch_create`` of 100 chunks each, a few
documents in flight; the API allows 10,000 documents per corpus, so 1M = 10,000 x 100),
the other opens the built corpus and *queries* it. The first query loads the corpus's
vector index from SQLite; its time is reported apart ("index load"), after the MiniLM
session has been warmed so that it is not counted there.

Embeddings: embedding 1M texts with MiniLM is impossible here (~25 texts/s), so the
benchmark registers its own embedder, ``synthetic``, and sets
``RAGKIT_ENGINE_EMBEDDER=synthetic`` in both subprocesses.

* ``embed_documents`` is fast and deterministic in the text: a 128-bit BLAKE2b hash of
  the chunk text picks two seed vectors, a mixing weight in [0.2, 0.6] and one row of a
  fixed noise table (scale 0.02), and the vector is the unit-length mix ``a + w*b +
  noise``. That is ``scale.py``'s recipe, which gives the structure of real MiniLM
  vectors (many close neighbours): the seeds are SciFact abstract embeddings from the
  SciFact benchmark's cache in ``benchmarks/.cache`` when present, else synthetic clusters.
* ``embed_query`` does the real work: it runs the engine's default embedder (MiniLM) on the
  query text (``get_embedder(DEFAULT_EMBEDDER).embed_query(text)``) so that its cost is in
  the latency, then returns a structured query vector instead, a seed (picked by a hash
  of the query) plus noise, so that dense search faces realistic neighbours in the
  synthetic space.

Text: as ``scale.py``'s ``text_source``: chunks of 8 random SciFact sentences (~200 words)
and the SciFact claims as queries when ``../shared/data/scifact`` exists, else Zipf
pseudo-words. Each document carries ``shard`` = its number mod 100, so the filtered query
(``document.custom_metadata.shard = 7``) keeps 1% of the corpus.

Times are wall-clock and process CPU (all threads) p50 / p95 in ms over ``--queries``
queries after one warm-up, as ``scale.py``'s ``timed``; RSS and peak RSS (VmRSS / VmHWM)
are read from /proc after the queries.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from scale import DIM, rss_mb, seeds_and_queries, text_source, timed, unit

from ragkit.client import AsyncClient, Client
from ragkit.engine.search import DEFAULT_EMBEDDER, Embedder, get_embedder, register_embedder
from ragkit.types import Chunk, ChunkData, Condition, MetadataFilter, Operator

Matrix = npt.NDArray[np.float32]
EMBEDDER = "synthetic"
CORPUS = "corpora/scale"
CHUNKS_PER_DOCUMENT = 100  # one batchCreate (the API's batch limit) per document
SHARDS = 100  # documents carry shard = number % SHARDS: a 1% filter
IN_FLIGHT = 4  # documents being written at once while building
NOISE_ROWS = 4096
QUERY_NOISE = 0.08  # as scale.py's synthetic queries
# Keys that would point Client() at Google or a server instead of the embedded engine.
BACKEND_KEYS = ("GOOGLE_API_KEY", "GEMINI_API_KEY", "RAGKIT_BASE_URL", "RAGKIT_API_KEY")


class SyntheticEmbedder:
    """MiniLM-shaped vectors for a million chunks in seconds (see the module docstring).

    >>> register_embedder(EMBEDDER, lambda _arg: SyntheticEmbedder(seeds))  # doctest: +SKIP
    """

    name = "benchmark-synthetic-minilm-structure"
    dimension = DIM

    def __init__(self, seeds: Matrix) -> None:
        self._seeds = seeds
        rng = np.random.default_rng(3)
        self._noise = rng.standard_normal((NOISE_ROWS, DIM)).astype(np.float32) * 0.02

    @staticmethod
    def _hashes(texts: Sequence[str]) -> npt.NDArray[np.uint64]:
        digests = b"".join(
            hashlib.blake2b(text.encode(), digest_size=16).digest() for text in texts
        )
        return np.frombuffer(digests, dtype=np.uint64).reshape(len(texts), 2)

    def embed_documents(self, texts: Sequence[str]) -> Matrix:
        """Unit mixes of two seeds plus noise, all chosen by the texts' hashes."""
        h = self._hashes(texts)
        count = np.uint64(len(self._seeds))
        a = self._seeds[h[:, 0] % count]
        b = self._seeds[(h[:, 0] // count) % count]
        mix = 0.2 + 0.4 * (h[:, 1] & np.uint64(0xFFFF)).astype(np.float32) / 0xFFFF
        noise = self._noise[(h[:, 1] >> np.uint64(16)) % np.uint64(NOISE_ROWS)]
        return unit(a + mix[:, None] * b + noise)

    def embed_query(self, text: str) -> Matrix:
        """Pay for a real MiniLM embedding, then return a perturbed seed."""
        # Looked up here, not in __init__: the factory runs under get_embedder's lock.
        get_embedder(DEFAULT_EMBEDDER).embed_query(text)
        h = int(self._hashes([text])[0, 0])
        noise = np.random.default_rng(h).standard_normal((1, DIM))
        vector: Matrix = unit(self._seeds[h % len(self._seeds)][None] + QUERY_NOISE * noise)[0]
        return vector


def use_synthetic_embedder() -> Embedder:
    """Register ``synthetic`` in this process (the engine resolves it by that name)."""
    seeds, _, source = seeds_and_queries(1)
    print(f"seed vectors: {source} ({len(seeds)})", file=sys.stderr)
    register_embedder(EMBEDDER, lambda _argument: SyntheticEmbedder(seeds))
    return get_embedder(EMBEDDER)


# --- build --------------------------------------------------------------------------------


async def build(n: int) -> dict[str, Any]:
    """Create ``CORPUS`` with ``n`` chunks through the API; the build rate and memory."""
    use_synthetic_embedder()
    make, _, described = text_source(np.random.default_rng(9))
    documents = -(-n // CHUNKS_PER_DOCUMENT)
    gate = asyncio.Semaphore(IN_FLIGHT)
    done = 0
    async with AsyncClient() as client:
        await client.corpora.create(name=CORPUS, display_name=f"scale {n}")
        started = time.perf_counter()

        async def store(number: int) -> None:
            nonlocal done
            size = min(CHUNKS_PER_DOCUMENT, n - number * CHUNKS_PER_DOCUMENT)
            texts = make(size)  # before the gate: generating text overlaps the writes
            async with gate:
                document = await client.corpora.documents.create(
                    CORPUS, name=f"d{number:05d}", custom_metadata={"shard": number % SHARDS}
                )
                assert document.name is not None
                batch = [
                    Chunk(name=f"{document.name}/chunks/c{i:03d}", data=ChunkData(string_value=t))
                    for i, t in enumerate(texts)
                ]
                await client.corpora.documents.chunks.batch_create(document.name, chunks=batch)
            done += size
            if documents >= 20 and (number + 1) % (documents // 10) == 0:
                rate = done / (time.perf_counter() - started)
                print(f"  {done:,} chunks, {rate:.0f} chunks/s", file=sys.stderr)

        # Bounded fan-out: a task per document would hold 10,000 texts' worth at once.
        for first in range(0, documents, 100):
            await asyncio.gather(*(store(i) for i in range(first, min(first + 100, documents))))
        seconds = time.perf_counter() - started
    current, peak = rss_mb()
    return {
        "chunks": n,
        "documents": documents,
        "text": described,
        "build_s": seconds,
        "build_rate": n / seconds,
        "build_rss_mb": current,
        "build_peak_mb": peak,
    }


# --- measure ------------------------------------------------------------------------------


def shard_filter(shard: int) -> list[MetadataFilter]:
    """``document.custom_metadata.shard == shard`` (1% of the documents)."""
    condition = Condition(numeric_value=shard, operation=Operator.EQUAL)
    return [MetadataFilter(key="document.custom_metadata.shard", conditions=[condition])]


def measure(n: int, query_count: int) -> dict[str, Any]:
    """Latency of corpora:query (plain, 1%-filtered) and documents:query, then memory."""
    use_synthetic_embedder()
    _, claims, _ = text_source(np.random.default_rng(9))
    texts = claims[:query_count]
    get_embedder(DEFAULT_EMBEDDER).embed_query("warm up")  # the ONNX session, outside timings
    result: dict[str, Any] = {"chunks": n, "queries": len(texts)}
    with Client() as client:
        corpus = client.corpora.get(CORPUS)  # starts the engine and its event-loop thread
        assert corpus.name == CORPUS
        started = time.perf_counter()
        first = client.corpora.query(CORPUS, query=texts[-1], results_count=10)
        result["index_load_s"] = time.perf_counter() - started
        result["rss_after_load_mb"] = rss_mb()[0]
        assert len(first.relevant_chunks) == 10, "the corpus answered fewer than 10 chunks"

        def query(text: str) -> object:
            return client.corpora.query(CORPUS, query=text, results_count=10)

        filters = shard_filter(7)

        def filtered(text: str) -> object:
            return client.corpora.query(
                CORPUS, query=text, metadata_filters=filters, results_count=10
            )

        check = client.corpora.query(
            CORPUS, query=texts[0], metadata_filters=filters, results_count=10
        ).relevant_chunks
        shards = {m.numeric_value for h in check if h.document for m in h.document.custom_metadata}
        assert check and shards == {7.0}, f"the 1% filter let through shards {shards}"

        document = f"{CORPUS}/documents/d{(n // CHUNKS_PER_DOCUMENT) // 2:05d}"

        def in_document(text: str) -> object:
            return client.corpora.documents.query(document, query=text, results_count=10)

        result["query"] = timed(query, texts)
        result["filtered"] = timed(filtered, texts[: max(1, len(texts) // 2)])
        result["document"] = timed(in_document, texts[: max(1, len(texts) // 2)])
    result["rss_mb"], result["peak_mb"] = rss_mb()
    return result


# --- driver -------------------------------------------------------------------------------


def run_child(args: Sequence[str], home: str) -> dict[str, Any]:
    """Run this script with ``args`` in a subprocess on ``home``; its last JSON line."""
    env = {k: v for k, v in os.environ.items() if k not in BACKEND_KEYS}
    env.update(RAGKIT_HOME=home, RAGKIT_ENGINE_EMBEDDER=EMBEDDER, PYTHONUNBUFFERED="1")
    out = subprocess.run(
        [sys.executable, __file__, *args], check=True, stdout=subprocess.PIPE, text=True, env=env
    )
    loaded: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return loaded


def table(results: Sequence[dict[str, Any]]) -> str:
    """The markdown table of the brief (times in ms, memory in MB)."""

    def ms(value: dict[str, float], key: str) -> str:
        return f"{value[key]:.1f}"

    head = (
        "| chunks | build s | chunks/s | index load s | p50 | p95 | cpu p50 | cpu p95 "
        "| RSS MB | peak MB | build peak MB | 1% filter p50 / p95 | documents:query p50 / p95 |"
    )
    lines = [head, "|" + " ---: |" * 13]
    for r in results:
        q = r["query"]
        lines.append(
            f"| {r['chunks']:,} | {r['build_s']:.0f} | {r['build_rate']:.0f} "
            f"| {r['index_load_s']:.2f} | {ms(q, 'p50')} | {ms(q, 'p95')} "
            f"| {ms(q, 'cpu50')} | {ms(q, 'cpu95')} | {r['rss_mb']:.0f} | {r['peak_mb']:.0f} "
            f"| {r['build_peak_mb']:.0f} "
            f"| {ms(r['filtered'], 'p50')} / {ms(r['filtered'], 'p95')} "
            f"| {ms(r['document'], 'p50')} / {ms(r['document'], 'p95')} |"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--build", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--measure", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.build:
        print(json.dumps(asyncio.run(build(args.build))))
        return
    if args.measure:
        print(json.dumps(measure(args.measure, args.queries)))
        return
    print(f"load average at the start {os.getloadavg()[0]:.2f}", file=sys.stderr)
    results = []
    for n in args.sizes:
        with tempfile.TemporaryDirectory(prefix="ragkit-scale-engine-") as home:
            built = run_child(["--build", str(n)], home)
            print(
                f"{n:,} chunks built in {built['build_s']:.0f} s "
                f"({built['build_rate']:.0f} chunks/s)",
                file=sys.stderr,
            )
            measured = run_child(["--measure", str(n), "--queries", str(args.queries)], home)
            size_mb = sum(f.stat().st_size for f in Path(home).rglob("*") if f.is_file()) / 2**20
        results.append({**built, **measured, "home_mb": size_mb})
        print(json.dumps(results[-1]), file=sys.stderr)
    print(f"text: {results[0]['text']}; embedder: synthetic (MiniLM runs on every query)")
    print(f"{os.cpu_count()} cores, load average at the end {os.getloadavg()[0]:.2f}")
    print("times: ms, wall-clock and process CPU; memory: VmRSS / VmHWM of the query process\n")
    print(table(results))
    sizes = ", ".join(f"{r['chunks']:,}: {r['home_mb']:.0f} MB" for r in results)
    print(f"\ndata directory on disk: {sizes}")


if __name__ == "__main__":
    main(sys.argv[1:])
