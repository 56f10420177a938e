"""Fitted answerability coefficients per target (written by benchmarks/calibrate_aqa.py;
do not edit by hand: rerun the script with --write)."""

from __future__ import annotations

BIAS: dict[str, float] = {
    "span": -4.104980,
    "contains": -2.808069,
}
WEIGHTS: dict[str, dict[str, float]] = {
    "span": {
        "coverage": 0.993751,
        "context_coverage": 0.940230,
        "missing_key": -0.972096,
        "bigrams": -0.056936,
        "type_match": 0.919739,
        "span_score": 0.568316,
        "typed_question": -0.174372,
        "negation_mismatch": -0.266291,
        "margin": 0.796573,
        "key_elsewhere": 0.462715,
        "unmatched": -0.539759,
    },
    "contains": {
        "coverage": 2.094917,
        "context_coverage": 0.864759,
        "missing_key": -1.302169,
        "bigrams": 0.820156,
        "type_match": 1.115665,
        "span_score": 0.232497,
        "typed_question": -1.435627,
        "negation_mismatch": -0.661694,
        "margin": 0.884378,
        "key_elsewhere": 0.845893,
        "unmatched": -0.859781,
    },
}
