"""Normalisation shared by the loaders."""

from __future__ import annotations

import pytest

from ingest.clean import (
    dehyphenate,
    hyphenated_words,
    line_key,
    looks_garbled,
    normalize_text,
    split_paragraphs,
    strip_repeated_lines,
)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("ﬁnal ﬂow ﬀ ﬃ ﬄ Auﬂage", "final flow ff ffi ffl Auflage"),  # ligatures (NFKC)
        ("a\x00b\x12c\x7fd", "a b c d"),  # control characters from math fonts
        ("soft\xadhyphen zero\u200bwidth", "softhyphen zerowidth"),
        ("no\xa0break\u2009thin", "no break thin"),
        ("\uf0b7 bullet from a symbol font", "bullet from a symbol font"),
        ("wide  spaces\t\ttabs   ", "wide spaces tabs"),
        ("crlf\r\nand\rcr", "crlf\nand\ncr"),
        ("a\n\n\n\n\nb", "a\n\nb"),
        ("ｆｕｌｌ width", "full width"),
    ],
)
def test_normalize_text(raw: str, clean: str) -> None:
    assert normalize_text(raw) == clean


def test_normalize_keeps_indentation_unless_asked() -> None:
    code = "def f():\n    return 1"
    assert normalize_text(code) == code
    assert normalize_text("  23  \n  body", keep_indent=False) == "23\nbody"


@pytest.mark.parametrize(
    ("raw", "joined"),
    [
        ("Atabak Ash-\nfaq, Pengfei", "Atabak Ashfaq, Pengfei"),
        ("best prac-\ntice for", "best practice for"),
        ("state-of-the-\nart systems", "state-of-the-art systems"),  # compound stays a compound
        ("Soekarno-\nHatta airport", "Soekarno-Hatta airport"),  # capital: a name, keep hyphen
        ("pages 12-\n15", "pages 12-\n15"),  # numbers are not words
        ("a list:\n- item", "a list:\n- item"),
    ],
)
def test_dehyphenate(raw: str, joined: str) -> None:
    assert dehyphenate(raw) == joined


def test_dehyphenate_keeps_compounds_the_document_spells_with_a_hyphen() -> None:
    text = (
        "long-term keys and key-agreement. Some long-\nterm and key- agreement keys; ill- formed."
    )
    result = dehyphenate(text, hyphenated_words(text))
    assert "long-term and key-agreement keys" in result
    assert "ill- formed" in result  # never seen whole: left alone


def test_line_key_ignores_numbers_case_and_spacing() -> None:
    assert line_key("Page 3 of 48  Instructions") == line_key("page 12 of 48 Instructions")
    assert line_key("xii") == line_key("7") == "#"
    assert line_key("   ") == ""


_TOPICS = "keys nonces salts hashes ciphers modes curves groups primes tokens".split()


def _body(topic: str) -> str:
    return "\n".join(f"Line {letter} of the body is about {topic}." for letter in "abcdefghij")


def _pages(n: int) -> list[str]:
    return [
        f"NIST SP 800-57 Pt. 1 Rev. 4\n{number}\n{_body(topic)}\n"
        f"This publication is available free of charge from: https://doi.org/x"
        for number, topic in enumerate(_TOPICS[:n], start=1)
    ]


def test_strip_repeated_lines_removes_running_heads_page_numbers_and_footers() -> None:
    cleaned, removed = strip_repeated_lines(_pages(10))
    assert cleaned == [_body(topic) for topic in _TOPICS]
    assert removed == [
        "NIST SP 800-57 Pt. 1 Rev. 4",
        "1",
        "This publication is available free of charge from: https://doi.org/x",
    ]


def test_strip_repeated_lines_leaves_short_documents_and_body_lines_alone() -> None:
    assert strip_repeated_lines(_pages(2))[0] == _pages(2)
    # Zones shrink on short pages (slides): a third of the lines from each end.
    titles = ["Origin", "Goal", "Definitions", "Spam", "Tools", "Thanks"]
    pages = [
        "\n".join(
            [
                title,
                *(f"Point {p} on {title}" for p in "ab"),
                "repeated line",
                "repeated line",
                *(f"Point {p} on {title}" for p in "cde"),
                f"Speaker - Talk - {n} / 6",
            ]
        )
        for n, title in enumerate(titles, start=1)
    ]
    cleaned, removed = strip_repeated_lines(pages)
    assert removed == ["Speaker - Talk - 1 / 6"]
    assert all(page.count("repeated line") == 2 for page in cleaned)


def test_strip_repeated_lines_needs_a_share_of_the_pages() -> None:
    pages = [f"Chapter {n}\nText {n}.\nMore {n} text.\nEnd." for n in range(20)]
    pages[:3] = [f"Draft\n{p}" for p in pages[:3]]
    cleaned, _ = strip_repeated_lines(pages)
    assert cleaned[0].startswith("Draft")  # on 3 of 20 pages: not a running head


def test_looks_garbled() -> None:
    assert not looks_garbled("Ein topologischer Raum (X, T) mit x\x00y und α, β ∈ ℝ.")
    assert not looks_garbled("わたくしといふ現象は仮定された有機交流電燈のひとつの青い照明です")
    assert not looks_garbled("short \x00\x01")
    assert looks_garbled("\x01\x02\x03 text with many \x04\x05\x06 controls \x07\x08")
    assert looks_garbled("ɹɹং Θͨ͘͠ͱ͍;ݱ\u09c5\u0378၊ఆ͞Εͨ༗ަػྲྀి౯ͷͻͱͭͷ੨͍র໌Ͱ")


def test_split_paragraphs() -> None:
    assert split_paragraphs("a\nb\n \n\nc\n") == ["a\nb", "c"]
    assert split_paragraphs("  \n ") == []


def test_long_slugs_go_from_anywhere_even_when_cut_short() -> None:
    slug = (
        "VerDate Sep<11>2014 16:21 Aug 05, 2020 Jkt 250001 PO 00000 Frm 000{n} Fmt 4702 Sfmt 4702"
    )
    pages = [f"{_body(topic)}\n{slug.format(n=n)} jbell on DSK" for n, topic in enumerate(_TOPICS)]
    # A figure pushed the slug of one page into the middle, and cut it.
    pages[3] = f"Line a.\n{slug.format(n=3)}\nFigure 2.\n{_body('figures')}"
    cleaned, _ = strip_repeated_lines(pages)
    assert not any("VerDate" in page for page in cleaned)
    assert cleaned[3] == f"Line a.\nFigure 2.\n{_body('figures')}"
