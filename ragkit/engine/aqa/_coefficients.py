"""Fitted answerability coefficients per target (written by benchmarks/calibrate_aqa.py;
do not edit by hand: rerun the script with --write)."""

from __future__ import annotations

BIAS: dict[str, float] = {
    "span": -3.892148,
    "contains": -2.732625,
}
WEIGHTS: dict[str, dict[str, float]] = {
    "span": {
        "coverage": 0.785933,
        "context_coverage": 0.924945,
        "missing_key": -1.010103,
        "bigrams": -0.065349,
        "type_match": 0.778462,
        "span_score": 0.766688,
        "typed_question": -0.232884,
        "negation_mismatch": -0.308072,
        "margin": 0.672060,
        "key_elsewhere": 0.491955,
        "unmatched": -0.651319,
        "relevance": 0.250775,
        "has_relevance": -0.272207,
    },
    "contains": {
        "coverage": 1.871107,
        "context_coverage": 0.601926,
        "missing_key": -1.306287,
        "bigrams": 0.687038,
        "type_match": 0.906306,
        "span_score": 0.560438,
        "typed_question": -1.399388,
        "negation_mismatch": -0.655960,
        "margin": 0.977608,
        "key_elsewhere": 0.527854,
        "unmatched": -0.967979,
        "relevance": 0.064454,
        "has_relevance": 0.150498,
    },
}
