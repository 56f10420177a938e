"""Fitted answerability coefficients per target (written by benchmarks/calibrate_aqa.py;
do not edit by hand: rerun the script with --write)."""

from __future__ import annotations

BIAS: dict[str, float] = {
    "span": -3.994299,
    "contains": -2.779631,
}
WEIGHTS: dict[str, dict[str, float]] = {
    "span": {
        "coverage": 0.936430,
        "context_coverage": 0.959756,
        "missing_key": -0.973466,
        "bigrams": -0.010524,
        "type_match": 0.881263,
        "span_score": 0.664333,
        "typed_question": -0.212811,
        "negation_mismatch": -0.304553,
        "margin": 0.649719,
        "key_elsewhere": 0.519489,
        "unmatched": -0.643477,
        "relevance": 0.239104,
        "has_relevance": -0.265512,
    },
    "contains": {
        "coverage": 1.993453,
        "context_coverage": 0.640407,
        "missing_key": -1.275441,
        "bigrams": 0.746482,
        "type_match": 1.039260,
        "span_score": 0.415294,
        "typed_question": -1.379396,
        "negation_mismatch": -0.650282,
        "margin": 0.964372,
        "key_elsewhere": 0.552053,
        "unmatched": -0.954139,
        "relevance": 0.024822,
        "has_relevance": 0.167999,
    },
}
