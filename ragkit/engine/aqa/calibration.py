"""answerableProbability: a logistic model over the features of ``features.py``.

The coefficients live in ``_coefficients.py``, written by ``benchmarks/calibrate_aqa.py``,
which fits an L2-regularised logistic regression on the calibration set in
``ragkit/engine/aqa/data/`` (hand-written questions over public-domain and permissively
licensed documents; see its README). SQuAD 2.0 is never used to fit them: the squad2-500
benchmark only reports how well they transfer.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from ragkit.engine.aqa._coefficients import BIAS, WEIGHTS
from ragkit.engine.aqa.features import FEATURE_NAMES


def probability(features: Sequence[float]) -> float:
    """P(answerable and grounded) for one feature vector (order of ``FEATURE_NAMES``)."""
    if len(features) != len(FEATURE_NAMES):
        raise ValueError(f"expected {len(FEATURE_NAMES)} features, got {len(features)}")
    z = BIAS + sum(WEIGHTS[name] * x for name, x in zip(FEATURE_NAMES, features, strict=True))
    # Numerically stable logistic.
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)
