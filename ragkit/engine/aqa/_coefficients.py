"""Fitted answerability coefficients per target (written by benchmarks/calibrate_aqa.py;
do not edit by hand: rerun the script with --write)."""

from __future__ import annotations

BIAS: dict[str, float] = {
    "span": -4.195511,
    "contains": -2.972480,
}
WEIGHTS: dict[str, dict[str, float]] = {
    "span": {
        "coverage": 0.421936,
        "context_coverage": 0.863420,
        "missing_key": -1.099524,
        "bigrams": -0.221989,
        "type_match": 0.670701,
        "span_score": 1.118744,
        "typed_question": -0.277055,
        "negation_mismatch": -0.253831,
        "margin": 0.967177,
        "key_elsewhere": 0.289483,
        "unmatched": -0.569742,
    },
    "contains": {
        "coverage": 1.539104,
        "context_coverage": 0.660863,
        "missing_key": -1.332180,
        "bigrams": 0.330591,
        "type_match": 0.482574,
        "span_score": 0.726188,
        "typed_question": -1.007739,
        "negation_mismatch": -0.439328,
        "margin": 1.224630,
        "key_elsewhere": 0.610099,
        "unmatched": -0.751616,
    },
}
