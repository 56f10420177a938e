"""Fitted answerability coefficients (written by benchmarks/calibrate_aqa.py; do not
edit by hand: rerun the script with --write)."""

from __future__ import annotations

BIAS: float = -5.660489
WEIGHTS: dict[str, float] = {
    "coverage": 1.338485,
    "context_coverage": 1.755346,
    "missing_key": -0.820641,
    "bigrams": 0.463732,
    "type_match": 0.630155,
    "span_score": 1.161814,
    "typed_question": -0.369676,
    "negation_mismatch": 0.254164,
    "margin": -0.044041,
}
