"""Shape of answers per style, attributions and the reference examples of section 12."""

from __future__ import annotations

import pytest

from ragkit.engine.aqa import NO_EVIDENCE_TEXT, AqaAnswer, Passage, answer

BRIDGE = Passage("p1", ("The bridge was designed in 1929.", "It opened to traffic in 1932."))


def test_reference_example_5_multi_part_passage() -> None:
    a = answer("When was the bridge opened?", [BRIDGE], style="EXTRACTIVE")
    assert a.text == "1932"
    assert [(x.passage_id, x.part_index, x.text) for x in a.attributions] == [
        ("p1", 1, "It opened to traffic in 1932.")
    ]


def test_extractive_is_a_verbatim_substring_of_an_attributed_part() -> None:
    passages = [
        Passage("a", ("Plain LLMs may hallucinate when not grounded.",)),
        Passage(
            "b",
            (
                "The Warsaw Uprising began on 1 August 1944.",
                "The fighting lasted for 63 days with little outside support.",
            ),
        ),
    ]
    a = answer("How many days did the Warsaw Uprising last?", passages, style="EXTRACTIVE")
    assert a.text in {"63", "63 days"}
    assert len(a.attributions) == 1
    assert a.attributions[0].passage_id == "b"
    assert a.attributions[0].part_index == 1
    assert a.text in a.attributions[0].text


def test_abstractive_is_a_short_answer_holding_the_span() -> None:
    a = answer("When was the bridge opened?", [BRIDGE], style="ABSTRACTIVE")
    assert a.text == "It opened to traffic in 1932."
    assert [x.part_index for x in a.attributions] == [1]


def test_verbose_gives_several_sentences_each_attributed() -> None:
    passage = Passage(
        "001",
        (
            "Attributed Question Answering (AQA) answers questions grounded in a given corpus. "
            "AQA cites the supporting passages for every answer.",
            "The weather in Lisbon is mild in winter.",
        ),
    )
    other = Passage("002", ("AQA reports an answerable probability with each answer.",))
    a = answer("What does AQA do with passages?", [passage, other], style="VERBOSE")
    sentences = [s for s in a.text.split(". ") if s]
    assert len(sentences) >= 2
    attributed = " ".join(x.text for x in a.attributions)
    for sentence in sentences:
        assert sentence.rstrip(".") in attributed
    assert all("Lisbon" not in x.text for x in a.attributions)


def test_attribution_text_is_the_whole_part() -> None:
    a = answer("When was the bridge designed?", [BRIDGE], style="EXTRACTIVE")
    assert a.text == "1929"
    assert a.attributions[0].part_index == 0
    assert a.attributions[0].text == BRIDGE.parts[0]


def test_probability_is_a_probability_and_text_is_never_empty() -> None:
    a = answer("1+1=?", [Passage("x", ("2+2=4",))], style="EXTRACTIVE")
    assert isinstance(a, AqaAnswer)
    assert a.text
    assert 0.0 <= a.answerable_probability <= 1.0


def test_no_passages_gives_the_no_evidence_text() -> None:
    a = answer("Who?", [], style="VERBOSE")
    assert a == AqaAnswer(NO_EVIDENCE_TEXT, (), 0.0)


def test_unknown_style_is_rejected() -> None:
    with pytest.raises(ValueError, match="answer style"):
        answer("Who?", [BRIDGE], style="POETIC")  # type: ignore[arg-type]


def test_deterministic_and_temperature_does_not_change_the_answer() -> None:
    passages = [BRIDGE, Passage("p2", ("The bridge is 1,200 metres long.",))]
    runs = {
        answer("How long is the bridge?", passages, style=style, temperature=t)
        for style in ("EXTRACTIVE",)
        for t in (0.0, 0.2, 1.0, 0.2)
    }
    assert len(runs) == 1
