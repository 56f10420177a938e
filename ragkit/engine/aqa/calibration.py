"""answerableProbability: logistic models over the features of ``features.py``.

answerableProbability means "the answer is correct and grounded", and what counts as a
correct answer depends on the style, so there is one model per *target*:

- ``"span"`` (EXTRACTIVE): the soft target is the F1 of the returned span against the
  gold answer, so the probability also says how exact the span is;
- ``"contains"`` (ABSTRACTIVE, VERBOSE): the returned clause or sentences contain a gold
  answer. That is far easier than the exact span, so the same evidence earns a higher
  probability.

The coefficients live in ``_coefficients.py``, written by ``benchmarks/calibrate_aqa.py``,
which fits L2-regularised logistic regressions on the calibration set in
``ragkit/engine/aqa/data/`` (hand-written questions over public-domain and permissively
licensed documents; see its README). SQuAD 2.0 is never used to fit them: the squad2-500
benchmark only reports how well they transfer.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Literal

from ragkit.engine.aqa._coefficients import BIAS, WEIGHTS
from ragkit.engine.aqa.features import FEATURE_NAMES
from ragkit.engine.aqa.types import AnswerStyle

Target = Literal["span", "contains"]
TARGETS: tuple[Target, ...] = ("span", "contains")


def target_for(style: AnswerStyle) -> Target:
    """The calibration target of an answer style.

    >>> target_for("EXTRACTIVE"), target_for("ABSTRACTIVE"), target_for("VERBOSE")
    ('span', 'contains', 'contains')
    """
    return "span" if style == "EXTRACTIVE" else "contains"


def probability(features: Sequence[float], target: Target = "span") -> float:
    """P(answer correct and grounded) for one feature vector (order of ``FEATURE_NAMES``)."""
    if len(features) != len(FEATURE_NAMES):
        raise ValueError(f"expected {len(FEATURE_NAMES)} features, got {len(features)}")
    weights = WEIGHTS[target]
    z = BIAS[target] + sum(
        weights[name] * x for name, x in zip(FEATURE_NAMES, features, strict=True)
    )
    # Numerically stable logistic.
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)
