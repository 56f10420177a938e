"""Fitted answerability coefficients (written by benchmarks/calibrate_aqa.py; do not
edit by hand: rerun the script with --write)."""

from __future__ import annotations

BIAS: float = -6.183147
WEIGHTS: dict[str, float] = {
    "coverage": 1.243952,
    "context_coverage": 1.994330,
    "missing_key": -0.871582,
    "bigrams": 0.098507,
    "type_match": 0.348547,
    "span_score": 1.723822,
    "typed_question": -0.281550,
    "negation_mismatch": 0.201710,
    "margin": 0.272730,
}
