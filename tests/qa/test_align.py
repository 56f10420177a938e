from __future__ import annotations

from ragkit.qa.align import align_sentences, locate, split_sentences


def test_each_sentence_points_at_the_passage_that_says_it() -> None:
    passages = [
        "FIPS 199 defines three levels of potential impact: low, moderate and high.",
        "The security category of an information system is based on confidentiality, "
        "integrity and availability.",
    ]
    answer = (
        "FIPS 199 defines three potential impact levels: low, moderate and high. "
        "A system's security category rests on confidentiality, integrity and availability."
    )
    aligned = align_sentences(answer, passages)
    assert [item.supporting for item in aligned] == [(0,), (1,)]
    assert all(item.supported for item in aligned)


def test_a_sentence_no_passage_supports_is_flagged() -> None:
    aligned = align_sentences(
        "Keys are rotated every 90 days. Quantum computers broke RSA in 2019.",
        ["Rotate keys every 90 days, or sooner after a compromise."],
    )
    assert aligned[0].supported
    assert not aligned[1].supported
    assert aligned[1].score < 0.6


def test_sharing_only_topic_words_is_not_support() -> None:
    aligned = align_sentences(
        "The moderate impact level applies to payroll systems in hospitals.",
        ["The potential impact is moderate if the loss could have a serious adverse effect."],
    )
    assert not aligned[0].supported


def test_sentences_split_on_terminal_punctuation_only() -> None:
    assert split_sentences("Version 2.0 ships today. It costs $3.50! Really?") == [
        "Version 2.0 ships today.",
        "It costs $3.50!",
        "Really?",
    ]
    assert split_sentences("   ") == []


def test_locate_ignores_case_and_spacing_and_misses_cleanly() -> None:
    quote = "The bridge opened to traffic\nin 1932 after three years."
    span = locate("opened to traffic in 1932", quote)
    assert span is not None
    assert quote[span[0] : span[1]] == "opened to traffic\nin 1932"
    assert locate("closed in 1932", quote) is None
    assert locate("", quote) is None
