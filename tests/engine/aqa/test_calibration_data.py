"""The calibration data and the per-style probability models stay consistent."""

from __future__ import annotations

import doctest
import json
from pathlib import Path

import pytest

from ragkit.engine.aqa import Passage, _coefficients, answer, calibration, question, shapes
from ragkit.engine.aqa import text as aqa_text
from ragkit.engine.aqa.answerer import gather_evidence
from ragkit.engine.aqa.features import FEATURE_NAMES
from ragkit.eval.metrics import contains_answer

DATA = Path(calibration.__file__).parent / "data" / "calibration.json"
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "docs"


def test_both_targets_have_a_weight_for_every_feature() -> None:
    assert set(_coefficients.BIAS) == set(calibration.TARGETS)
    for target in calibration.TARGETS:
        assert set(_coefficients.WEIGHTS[target]) == set(FEATURE_NAMES)


def test_doc_question_golds_are_verbatim_in_their_fixture_document() -> None:
    from ingest.loaders import load_document

    data = json.loads(DATA.read_text(encoding="utf-8"))
    questions = data["doc_questions"]
    assert len(questions) >= 100
    assert sum(1 for q in questions if not q["answers"]) >= 40
    texts = {name: load_document(FIXTURES / name).text for name in {q["doc"] for q in questions}}
    missing = [
        (q["id"], a)
        for q in questions
        for a in q["answers"]
        if not contains_answer(texts[q["doc"]], [a])
    ]
    assert not missing
    assert len({q["id"] for q in questions}) == len(questions)


def test_styles_use_their_own_target() -> None:
    passages = [Passage("p", ("Rotate API keys every 90 days.",))]
    ev = gather_evidence("How often should API keys be rotated?", passages)
    assert ev is not None
    for style in ("EXTRACTIVE", "ABSTRACTIVE", "VERBOSE"):
        got = answer("How often should API keys be rotated?", passages, style=style)
        expected = calibration.probability(ev.features, calibration.target_for(style))
        assert got.answerable_probability == round(expected, 4)
    # The clause holding the span is far more often right than the exact span.
    assert calibration.probability(ev.features, "contains") > calibration.probability(
        ev.features, "span"
    )


def test_retrieval_relevance_is_a_feature() -> None:
    text = ("Rotate API keys every 90 days.",)
    inline = gather_evidence("How often should API keys be rotated?", [Passage("p", text)])
    retrieved = gather_evidence(
        "How often should API keys be rotated?", [Passage("p", text, relevance=0.8)]
    )
    assert inline is not None and retrieved is not None
    names = list(FEATURE_NAMES)
    assert inline.features[names.index("has_relevance")] == 0.0
    assert retrieved.features[names.index("has_relevance")] == 1.0
    assert retrieved.features[names.index("relevance")] == 0.8


@pytest.mark.parametrize("module", [calibration, question, shapes, aqa_text])
def test_docstring_examples(module: object) -> None:
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)  # type: ignore[arg-type]
    assert result.failed == 0
