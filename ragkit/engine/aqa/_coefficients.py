"""Fitted answerability coefficients per target (written by benchmarks/calibrate_aqa.py;
do not edit by hand: rerun the script with --write)."""

from __future__ import annotations

BIAS: dict[str, float] = {
    "span": -3.878394,
    "contains": -2.724000,
}
WEIGHTS: dict[str, dict[str, float]] = {
    "span": {
        "coverage": 0.798200,
        "context_coverage": 0.907468,
        "missing_key": -1.009047,
        "bigrams": -0.014681,
        "type_match": 0.816556,
        "span_score": 0.734960,
        "typed_question": -0.202730,
        "negation_mismatch": -0.311128,
        "margin": 0.646149,
        "key_elsewhere": 0.490599,
        "unmatched": -0.660466,
        "relevance": 0.235282,
        "has_relevance": -0.231755,
    },
    "contains": {
        "coverage": 1.884949,
        "context_coverage": 0.547621,
        "missing_key": -1.301541,
        "bigrams": 0.817465,
        "type_match": 0.996796,
        "span_score": 0.512217,
        "typed_question": -1.352318,
        "negation_mismatch": -0.667472,
        "margin": 0.948048,
        "key_elsewhere": 0.535821,
        "unmatched": -0.990090,
        "relevance": 0.068240,
        "has_relevance": 0.221645,
    },
}
