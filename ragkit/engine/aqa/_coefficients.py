"""Fitted answerability coefficients (written by benchmarks/calibrate_aqa.py; do not
edit by hand: rerun the script with --write)."""

from __future__ import annotations

BIAS: float = -4.261100
WEIGHTS: dict[str, float] = {
    "coverage": 0.876505,
    "context_coverage": 1.001914,
    "missing_key": -1.104992,
    "bigrams": 0.147943,
    "type_match": 0.420670,
    "span_score": 1.250497,
    "typed_question": -0.409103,
    "negation_mismatch": -0.226359,
    "margin": 0.250617,
    "key_elsewhere": 0.141688,
    "unmatched": -0.531376,
}
