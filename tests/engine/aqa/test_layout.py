"""Sentence splitting of document text: line layout, headings, citations, header blocks."""

from __future__ import annotations

from ragkit.engine.aqa import Passage
from ragkit.engine.aqa.sentences import split_passages
from ragkit.engine.aqa.text import sentence_spans, stem


def _sentences(text: str) -> list[str]:
    return [text[a:b] for a, b in sentence_spans(text)]


def test_pdf_headings_and_glossary_lines_start_sentences() -> None:
    text = (
        "AUTHORITY\nFederal Information Processing Standards Publications (FIPS PUBS) are "
        "issued by the National\nInstitute of Standards and Technology (NIST).\n"
        "Security Objectives\nThe FISMA defines three security objectives for information:\n"
        "INFORMATION TYPE: A specific category of information.\n[44 U.S.C., SEC. 3542]\n"
        "A loss of integrity is the unauthorized modification of information."
    )
    assert _sentences(text) == [
        "AUTHORITY",
        "Federal Information Processing Standards Publications (FIPS PUBS) are issued by the "
        "National\nInstitute of Standards and Technology (NIST).",
        "Security Objectives",
        "The FISMA defines three security objectives for information:",
        "INFORMATION TYPE: A specific category of information.",
        "[44 U.S.C., SEC. 3542]",
        "A loss of integrity is the unauthorized modification of information.",
    ]


def test_wrapped_lines_and_open_line_ends_stay_together() -> None:
    text = (
        "The NIST, through its\nInformation Technology Laboratory, provides leadership.\n"
        "The potential impact is LOW if—\n− The loss of confidentiality could be expected "
        "to have a limited adverse\neffect on organizational operations."
    )
    assert _sentences(text) == [
        "The NIST, through its\nInformation Technology Laboratory, provides leadership.",
        "The potential impact is LOW if—\n− The loss of confidentiality could be expected to "
        "have a limited adverse\neffect on organizational operations.",
    ]


def test_bullets_and_key_lines_split() -> None:
    text = (
        "Notes:\n- Triple quotes are used\n- The closing quotes are on the same line\n"
        "Status: Active"
    )
    assert _sentences(text) == [
        "Notes:",
        "- Triple quotes are used",
        "- The closing quotes are on the same line",
        "Status: Active",
    ]


def test_headings_and_header_blocks_carry_their_topic() -> None:
    text = "Security Objectives\nThe FISMA defines three objectives.\nIt lists them."
    s = split_passages([Passage("p", (text,))])
    assert {"securiti", "objectiv"} <= s[1].carried  # after the heading
    assert "fisma" in s[2].carried  # after a pronoun
    header = "PEP: 257\nTitle: Docstring Conventions\nStatus: Active"
    h = split_passages([Passage("h", (header,))])
    assert {"pep", "257", "titl"} <= h[2].carried


def test_short_verbs_stem_like_their_base_form() -> None:
    assert stem("used") == stem("use") == "use"
    assert stem("need") == stem("needs") == "need"
