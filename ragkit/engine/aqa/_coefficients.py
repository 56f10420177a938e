"""Fitted answerability coefficients per target (written by benchmarks/calibrate_aqa.py;
do not edit by hand: rerun the script with --write)."""

from __future__ import annotations

BIAS: dict[str, float] = {
    "span": -4.270533,
    "contains": -2.975687,
}
WEIGHTS: dict[str, dict[str, float]] = {
    "span": {
        "coverage": 1.219844,
        "context_coverage": 0.901981,
        "missing_key": -0.965210,
        "bigrams": 0.075864,
        "type_match": 0.798214,
        "span_score": 0.702894,
        "typed_question": -0.244107,
        "negation_mismatch": -0.280507,
        "margin": 0.663203,
        "key_elsewhere": 0.538227,
        "unmatched": -0.521630,
        "relevance": 0.419329,
        "has_relevance": -0.523013,
    },
    "contains": {
        "coverage": 2.181036,
        "context_coverage": 0.572797,
        "missing_key": -1.277606,
        "bigrams": 0.852740,
        "type_match": 1.016361,
        "span_score": 0.418218,
        "typed_question": -1.414544,
        "negation_mismatch": -0.617526,
        "margin": 1.045842,
        "key_elsewhere": 0.597438,
        "unmatched": -0.862213,
        "relevance": 0.122498,
        "has_relevance": 0.006817,
    },
}
