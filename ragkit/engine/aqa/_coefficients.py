"""Fitted answerability coefficients (written by benchmarks/calibrate_aqa.py; do not edit)."""

from __future__ import annotations

# Provisional hand-set values until the first fit.
BIAS: float = -3.0
WEIGHTS: dict[str, float] = {
    "coverage": 3.0,
    "context_coverage": 2.0,
    "missing_key": -1.5,
    "bigrams": 0.5,
    "type_match": 1.0,
    "span_score": 0.3,
    "typed_question": 0.0,
    "negation_mismatch": -0.5,
    "margin": 0.5,
}
