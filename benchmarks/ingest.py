"""Ingest the shared PDFs three ways and compare wall time and peak memory.

Usage: python benchmarks/ingest.py [PDF_DIR] [--only NAME ...] [--concurrency N]
                                  [--llama-overlap N]

PDF_DIR defaults to ../shared/data/docs/pdf beside the checkout. Contenders, each in
its own subprocess so that its peak memory (``ru_maxrss``) is its own:

* ``ragkit``: ``ingest.pipeline.ingest`` into the embedded default engine (MiniLM int8
  ONNX), 300-token chunks with 50 overlap, in a fresh temporary RAGKIT_HOME.
* ``llamaindex``: llama-index-core's SimpleDirectoryReader (with llama-index-readers-file's
  PDFReader: pypdf, one Document per page), SentenceSplitter with the same 300-token
  chunks and 50-token overlap, and an in-memory VectorStoreIndex whose embedding model
  is the same MiniLM ONNX model and tokenizer wrapped as a LlamaIndex BaseEmbedding the
  plain way: onnxruntime's default session, truncation at 256 wordpieces, each of
  LlamaIndex's batches padded to its longest text, mean pooling and L2 normalisation.
  Needs ``pip install 'ragkit[bench]'``. ``--llama-overlap 200`` gives SentenceSplitter's
  default overlap instead, and about 2.5 times as many chunks.
* ``llamaindex-ragkit-encoder``: the same LlamaIndex pipeline with ragkit's own default
  embedder (int8 activations, windows instead of truncation, parallel single-threaded
  runs) inside the wrapper: it separates what ragkit's encoder path buys from what its
  pipeline buys.
* ``floor``: what no pipeline can avoid: pypdf ``extract_text`` of every page, then
  ragkit's bare default encoder over ragkit's own chunk texts (prepared untimed), one after the
  other.

Prints each contender's wall time (inside the subprocess, imports included), peak
memory, chunk count and throughput, then the ratios. Figures vary with the machine
and its load: run it on a quiet machine, and compare ratios from the same run.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

DEFAULT_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "docs" / "pdf"
CONTENDERS = ("ragkit", "llamaindex", "llamaindex-ragkit-encoder", "floor")
CHUNK_TOKENS = 300
OVERLAP_TOKENS = 50
MEMORY_GOAL_MB = 512


def _peak_mb() -> float:
    # Linux reports ru_maxrss in KiB.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _pdfs(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.pdf"))


# --- contenders (each runs in its own process) -------------------------------------------


def run_ragkit(folder: Path, concurrency: int) -> dict[str, Any]:
    import asyncio

    from ingest.pipeline import IngestOptions, ingest
    from ingest.plan import Chunking
    from ragkit.config import load_settings

    options = IngestOptions(
        corpus="bench",
        chunking=Chunking(CHUNK_TOKENS, OVERLAP_TOKENS),
        concurrency=concurrency,
    )

    async def run() -> dict[str, Any]:
        async with load_settings().async_client() as client:
            report = await ingest(client, [folder], options)
            pages = 0
            async for document in client.corpora.documents.list("bench", page_size=20):
                values = {entry.key: entry.value for entry in document.custom_metadata}
                pages += int(values.get("pages", 0))  # type: ignore[call-overload]
        return {"report": report.to_json(), "pages": pages}

    result = asyncio.run(run())
    report = result["report"]
    if report["counts"]["failed"]:
        raise SystemExit(f"ragkit: files failed: {report['files']}")
    return {"chunks": report["chunks"]["total"], "pages": result["pages"]}


class PlainMiniLM:
    """The MiniLM ONNX model as a LlamaIndex user would wrap it: no ragkit tuning.

    onnxruntime's default session options, the tokenizer truncating at 256 wordpieces and
    padding each batch to its longest text, mean pooling over real tokens, L2 norm.
    """

    def __init__(self) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        from ragkit.engine.search.embed_minilm import _default_model_path, _default_tokenizer_path

        self._tokenizer = Tokenizer.from_file(str(_default_tokenizer_path()))
        self._tokenizer.enable_truncation(256)
        self._tokenizer.enable_padding()  # to the longest text of each batch
        self._session = ort.InferenceSession(
            str(_default_model_path()), providers=["CPUExecutionProvider"]
        )

    def embed_documents(self, texts: list[str]) -> Any:
        import numpy as np

        encodings = self._tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        (hidden,) = self._session.run(["last_hidden_state"], feeds)
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / weights.sum(axis=1)
        return pooled / np.linalg.norm(pooled, axis=1, keepdims=True)

    def embed_query(self, text: str) -> Any:
        return self.embed_documents([text])[0]


def run_llamaindex(folder: Path, overlap: int, encoder_name: str) -> dict[str, Any]:
    from llama_index.core import SimpleDirectoryReader, VectorStoreIndex
    from llama_index.core.embeddings import BaseEmbedding
    from llama_index.core.node_parser import SentenceSplitter

    from ragkit.engine.search import get_embedder

    encoder: Any = get_embedder() if encoder_name == "ragkit" else PlainMiniLM()

    class MiniLMEmbedding(BaseEmbedding):  # type: ignore[misc]
        """A MiniLM ONNX encoder behind LlamaIndex's embedding interface."""

        def _get_query_embedding(self, query: str) -> list[float]:
            return [float(x) for x in encoder.embed_query(query)]

        async def _aget_query_embedding(self, query: str) -> list[float]:
            return self._get_query_embedding(query)

        def _get_text_embedding(self, text: str) -> list[float]:
            return [float(x) for x in encoder.embed_documents([text])[0]]

        def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
            return encoder.embed_documents(texts).tolist()  # type: ignore[no-any-return]

    started = time.perf_counter()
    documents = SimpleDirectoryReader(input_files=[str(p) for p in _pdfs(folder)]).load_data()
    loaded = time.perf_counter()
    splitter = SentenceSplitter(chunk_size=CHUNK_TOKENS, chunk_overlap=overlap)
    nodes = splitter.get_nodes_from_documents(documents)
    split = time.perf_counter()
    VectorStoreIndex(nodes, embed_model=MiniLMEmbedding())
    indexed = time.perf_counter()
    return {
        "chunks": len(nodes),
        "pages": len(documents),
        "load_s": round(loaded - started, 1),
        "split_s": round(split - loaded, 1),
        "embed_s": round(indexed - split, 1),
    }


def run_floor(folder: Path) -> dict[str, Any]:
    from pypdf import PdfReader

    from ingest.chunking import chunk_document
    from ingest.loaders import load_document
    from ragkit.engine.search import get_embedder

    # Untimed: the chunk texts ragkit would embed.
    texts = [
        chunk.text
        for path in _pdfs(folder)
        for chunk in chunk_document(
            load_document(path), chunk_tokens=CHUNK_TOKENS, overlap_tokens=OVERLAP_TOKENS
        )
    ]
    encoder = get_embedder()
    encoder.embed_documents(["warm up the session"])
    started = time.perf_counter()
    pages = 0
    for path in _pdfs(folder):
        reader = PdfReader(path)
        if reader.is_encrypted:
            reader.decrypt("")
        for page in reader.pages:
            page.extract_text()
            pages += 1
    extracted = time.perf_counter()
    encoder.embed_documents(texts)
    encoded = time.perf_counter()
    return {
        "chunks": len(texts),
        "pages": pages,
        "timed_s": round(encoded - started, 1),
        "extract_s": round(extracted - started, 1),
        "encode_s": round(encoded - extracted, 1),
    }


def _child(name: str, folder: Path, concurrency: int, llama_overlap: int) -> None:
    started = time.perf_counter()
    if name == "ragkit":
        result = run_ragkit(folder, concurrency)
    elif name == "llamaindex":
        result = run_llamaindex(folder, llama_overlap, "plain")
    elif name == "llamaindex-ragkit-encoder":
        result = run_llamaindex(folder, llama_overlap, "ragkit")
    else:
        result = run_floor(folder)
    result["wall_s"] = round(time.perf_counter() - started, 1)
    result["peak_mb"] = round(_peak_mb())
    print(json.dumps(result))


# --- the parent: run, collect, print ----------------------------------------------------


def _spawn(name: str, folder: Path, concurrency: int, llama_overlap: int) -> dict[str, Any] | None:
    if name.startswith("llamaindex"):
        try:
            import llama_index.core
            import llama_index.readers.file  # noqa: F401
        except ImportError:
            print(
                "llamaindex: SKIPPED, llama-index-core and llama-index-readers-file are not "
                "installed (pip install 'ragkit[bench]')",
                file=sys.stderr,
            )
            return None
    with tempfile.TemporaryDirectory(prefix="ragkit-bench-") as home:
        env = {**os.environ, "RAGKIT_HOME": home}
        command = [sys.executable, __file__, str(folder), "--child", name]
        command += ["--concurrency", str(concurrency), "--llama-overlap", str(llama_overlap)]
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        print(f"{name}: failed\n{done.stderr}", file=sys.stderr)
        return None
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _print(results: dict[str, dict[str, Any]]) -> None:
    header = ("contender", "wall s", "peak MB", "pages", "chunks", "chunks/s")
    print("{:<26} {:>7} {:>8} {:>6} {:>7} {:>9}".format(*header))
    for name, r in results.items():
        timed = r.get("timed_s", r["wall_s"])
        rate = r["chunks"] / timed if timed else 0.0
        print(
            f"{name:<26} {timed:>7.1f} {r['peak_mb']:>8} {r['pages']:>6} {r['chunks']:>7} "
            f"{rate:>9.1f}"
        )
        extra = {k: v for k, v in r.items() if k.endswith("_s") and k not in {"timed_s"}}
        if extra:
            print(f"{'':<26} " + ", ".join(f"{k[:-2]} {v} s" for k, v in extra.items()))
    ours = results.get("ragkit")
    if ours is None:
        return
    print()
    llama = results.get("llamaindex")
    if llama:
        print(f"LlamaIndex / ragkit wall time: {llama['wall_s'] / ours['wall_s']:.2f}x (goal >= 2)")
        print(f"LlamaIndex / ragkit peak memory: {llama['peak_mb'] / ours['peak_mb']:.2f}x")
    tuned = results.get("llamaindex-ragkit-encoder")
    if tuned:
        print(
            "LlamaIndex with ragkit's encoder / ragkit wall time: "
            f"{tuned['wall_s'] / ours['wall_s']:.2f}x"
        )
    floor = results.get("floor")
    if floor:
        print(f"ragkit / floor wall time: {ours['wall_s'] / floor['timed_s']:.2f}x")
        if llama:
            print(f"LlamaIndex / floor wall time: {llama['wall_s'] / floor['timed_s']:.2f}x")
    verdict = "within" if ours["peak_mb"] <= MEMORY_GOAL_MB else "OVER"
    print(f"ragkit peak memory {ours['peak_mb']} MB: {verdict} the {MEMORY_GOAL_MB} MB goal")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--only", nargs="+", choices=CONTENDERS, default=list(CONTENDERS))
    parser.add_argument("--concurrency", type=int, default=4, help="ragkit requests in flight")
    parser.add_argument(
        "--llama-overlap", type=int, default=OVERLAP_TOKENS, help="LlamaIndex chunk overlap"
    )
    parser.add_argument("--child", choices=CONTENDERS, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child(args.child, args.folder, args.concurrency, args.llama_overlap)
        return 0
    if not _pdfs(args.folder):
        print(f"no PDFs in {args.folder}", file=sys.stderr)
        return 1
    print(f"{len(_pdfs(args.folder))} PDFs from {args.folder}; {os.cpu_count()} CPU(s)")
    # Derive ragkit's int8 encoder graph now if this machine has not yet (once, a few
    # seconds), so that no contender's time includes it.
    from ragkit.engine.search import get_embedder

    get_embedder().embed_query("warm up")
    results: dict[str, dict[str, Any]] = {}
    for name in args.only:
        outcome = _spawn(name, args.folder, args.concurrency, args.llama_overlap)
        if outcome is not None:
            results[name] = outcome
    _print(results)
    return 0


if __name__ == "__main__":
    # Run as a script, this file's folder comes first on sys.path and its name would
    # shadow the ``ingest`` package it measures.
    here = Path(__file__).resolve().parent
    sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != here]
    sys.exit(main())
