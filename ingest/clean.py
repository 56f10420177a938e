"""Text normalisation shared by every loader.

Each function does one thing and returns new text; loaders call them in this order:
:func:`looks_garbled` on the raw extraction, :func:`normalize_text`,
:func:`strip_repeated_lines` (paged formats), :func:`dehyphenate`, then
:func:`split_paragraphs`.

>>> normalize_text("The ﬁrst  ﬂoor\\x00plan\\r\\n\\n\\n\\nnext")
'The first floor plan\\n\\nnext'
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Container, Sequence
from functools import cache

# --- normalize_text ---------------------------------------------------------------

_LINE_BREAKS = re.compile("\r\n?|[\x0b\x0c\x85\u2028\u2029]")


def _translation_table() -> dict[int, str]:
    table: dict[int, str] = {}
    # Control characters (pdf math fonts emit \x00, \x12 ...) become a space so
    # the words on either side stay apart; newline and tab are kept for now.
    for code in [*range(0x00, 0x20), *range(0x7F, 0xA0)]:
        if chr(code) not in "\n\t":
            table[code] = " "
    table[ord("\t")] = " "
    # Invisible format characters carry nothing a reader or a search index needs.
    for code in (0xAD, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2060, 0xFEFF):
        table[code] = ""
    for code in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]:
        table[code] = ""
    # Private-use code points (symbol-font bullets like U+F0B7) and the
    # replacement character have no meaning outside the font that drew them.
    for code in range(0xE000, 0xF900):
        table[code] = " "
    table[0xFFFD] = " "
    return table


_TABLE = _translation_table()
_SURROGATES = re.compile("[\ud800-\udfff]")
_INNER_SPACES = re.compile(r"(?<=\S) {2,}")
_TRAILING_SPACES = re.compile(r" +(?=\n|\Z)")
_LEADING_SPACES = re.compile(r"^ +", re.MULTILINE)
_BLANK_RUNS = re.compile(r"\n{3,}")


def normalize_text(text: str, *, keep_indent: bool = True) -> str:
    """Unicode- and whitespace-normalise extracted text.

    NFKC folds ligatures (``ﬁ`` -> ``fi``), full-width forms and non-breaking
    spaces; control, private-use and invisible format characters go; runs of
    spaces inside a line become one space; trailing spaces and runs of blank
    lines go. ``keep_indent=False`` also drops leading spaces (PDF extraction
    indents lines by layout, not by meaning).

    >>> normalize_text("  a\\tb  \\n\\n\\n  c", keep_indent=False)
    'a b\\n\\nc'
    """
    text = _LINE_BREAKS.sub("\n", text)
    text = unicodedata.normalize("NFKC", text)
    text = text.translate(_TABLE)
    text = _SURROGATES.sub(" ", text)
    text = _INNER_SPACES.sub(" ", text)
    text = _TRAILING_SPACES.sub("", text)
    if not keep_indent:
        text = _LEADING_SPACES.sub("", text)
    text = _BLANK_RUNS.sub("\n\n", text)
    return text.strip("\n ")


# --- dehyphenate -------------------------------------------------------------------

_COMPOUND = re.compile(r"(?<![\w-])([^\W\d_]+)-([^\W\d_]+)(?![\w-])")
# A word broken at the end of a line: "prac-\ntice". The left side may itself be
# a compound ("state-of-the-\nart").
_LINE_BREAK_HYPHEN = re.compile(r"(?<![\w-])([\w-]*[^\W\d_])-\n([^\W\d_]+)")
# What some PDFs leave of a compound broken across lines: "key- agreement".
_SPACED_HYPHEN = re.compile(r"(?<![\w-])([^\W\d_]+)- ([^\W\d_]+)")


def hyphenated_words(text: str) -> set[str]:
    """Lower-cased ``left-right`` compounds written whole somewhere in ``text``.

    >>> sorted(hyphenated_words("A long-term plan, long-\\nterm."))
    ['long-term']
    """
    return {m.group(0).lower() for m in _COMPOUND.finditer(text)}


def dehyphenate(text: str, keep: Container[str] = frozenset(), *, typeset: bool = True) -> str:
    """Join words that typesetting broke at a line end.

    ``"prac-\\ntice"`` becomes ``"practice"``; the rest of the second line joins
    the first. A hyphen is kept where the word is a compound: when ``keep``
    (usually :func:`hyphenated_words` of the whole document) holds it, or when
    the left part is already hyphenated. A capitalised right part
    (``"Soekarno-\\nHatta"``) keeps its hyphen. ``"key- agreement"`` (a
    compound whose line break became a space) is closed up only when ``keep``
    holds ``"key-agreement"``.

    >>> dehyphenate("best prac-\\ntice for long-\\nterm use", keep={"long-term"})
    'best practice for long-term use'
    """

    def at_line_end(m: re.Match[str]) -> str:
        left, right = m.group(1), m.group(2)
        last = left.rsplit("-", 1)[-1]
        if not typeset or not right[0].islower():
            return f"{left}-{right}"
        if "-" in left or f"{last}-{right}".lower() in keep:
            return f"{left}-{right}"
        return f"{left}{right}"

    def spaced(m: re.Match[str]) -> str:
        left, right = m.group(1), m.group(2)
        if f"{left}-{right}".lower() in keep:
            return f"{left}-{right}"
        return m.group(0)

    text = _LINE_BREAK_HYPHEN.sub(at_line_end, text)
    return _SPACED_HYPHEN.sub(spaced, text)


# --- repeated headers and footers --------------------------------------------------

#: Repeated lines at least this long (spaces aside) go wherever they are on a page.
LONG_LINE = 40
_ROMAN_NUMERAL = re.compile(r"[ivxlcdm]+", re.IGNORECASE)
_DIGITS = re.compile(r"\d+")
_WHITESPACE = re.compile(r"\s+")
_WHITESPACE_CHARS = re.compile(r"\s")


def line_key(line: str) -> str:
    """What two running heads have in common: case, spacing and numbers ignored.

    >>> line_key("-3-Instructions for Form 1040NR") == line_key("-12- Instructions for Form 1040NR")
    True
    >>> line_key(" iv ")
    '#'
    """
    stripped = line.strip()
    if _ROMAN_NUMERAL.fullmatch(stripped):
        return "#"
    return _WHITESPACE.sub("", _DIGITS.sub("#", stripped.lower()))


def _zone(lines: list[str], size: int) -> list[int]:
    """Indexes of the first and last ``size`` non-blank lines.

    On a short page (a slide) the zone shrinks to a third of its lines from each
    end, so repeated lines in the body of small pages are not taken for heads.
    """
    filled = [i for i, line in enumerate(lines) if line.strip()]
    size = max(1, min(size, len(filled) // 3))
    return sorted(set(filled[:size] + filled[-size:]))


def strip_repeated_lines(
    pages: Sequence[str], *, zone: int = 4, min_share: float = 0.4, min_pages: int = 3
) -> tuple[list[str], list[str]]:
    """Remove running heads, footers, page numbers and printer slugs from pages.

    A line is *repeated* when, numbers aside (see :func:`line_key`), it sits among
    the first or last ``zone`` non-blank lines of at least ``min_pages`` pages and
    of ``min_share`` of all pages. Repeated lines are dropped from those zones,
    and long ones (:data:`LONG_LINE` characters or more, like a printer's slug
    that a figure pushed into the middle of the extracted text) from anywhere.
    Returns the cleaned pages and one example of each removed line.

    >>> pages = [f"Annual report\\nPart {n}.\\nMore.\\n- {n} -" for n in (1, 2, 3)]
    >>> strip_repeated_lines(pages)
    (['Part 1.\\nMore.', 'Part 2.\\nMore.', 'Part 3.\\nMore.'], ['Annual report', '- 1 -'])
    """
    needed = max(min_pages, math.ceil(min_share * len(pages)))
    split = [page.split("\n") for page in pages]
    zones = [_zone(lines, zone) for lines in split]
    seen: Counter[str] = Counter()
    for lines, indexes in zip(split, zones, strict=True):
        seen.update({line_key(lines[i]) for i in indexes} - {""})
    repeated = {key for key, count in seen.items() if count >= needed}
    long_keys = [key for key in repeated if len(key) >= LONG_LINE]

    def is_slug(key: str) -> bool:
        # Extraction may end a long slug early or run the next line into it.
        return len(key) >= LONG_LINE and any(
            key.startswith(k) or k.startswith(key) for k in long_keys
        )

    cleaned: list[str] = []
    examples: dict[str, str] = {}
    for lines, indexes in zip(split, zones, strict=True):
        in_zone = set(indexes)
        kept: list[str] = []
        for i, line in enumerate(lines):
            key = line_key(line)
            if (key in repeated and i in in_zone) or is_slug(key):
                examples.setdefault(key, line.strip())
            else:
                kept.append(line)
        cleaned.append("\n".join(kept).strip("\n"))
    return cleaned, list(examples.values())


# --- garbled text ------------------------------------------------------------------

# Letters of these scripts routinely share a page; count them as one family.
_FAMILIES = {"HIRAGANA": "CJK", "KATAKANA": "CJK", "HANGUL": "CJK", "IDEOGRAPHIC": "CJK"}
_LATIN_LETTERS = re.compile(r"[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f]")
_BEYOND_LATIN = re.compile(r"[\u0250-\U0010ffff]")


@cache
def _undecodable_pattern() -> re.Pattern[str]:
    """Control, unassigned, private-use, surrogate and replacement characters
    (whitespace excluded), as one character class: far faster than asking
    ``unicodedata`` about every character of a long document."""
    codes = [
        code
        for code in range(0x10000)
        if unicodedata.category(chr(code)) in {"Cc", "Cn", "Co", "Cs"} and not chr(code).isspace()
    ] + [0xFFFD]
    ranges: list[str] = []
    start = prev = codes[0]
    for code in [*codes[1:], -1]:
        if code != prev + 1:
            ranges.append(f"\\u{start:04x}-\\u{prev:04x}" if prev > start else f"\\u{start:04x}")
            start = code
        prev = code
    return re.compile("[" + "".join(ranges) + "\\U000f0000-\\U0010ffff]")


def _script(char: str) -> str:
    name = unicodedata.name(char, "?").split(" ", 1)[0]
    return _FAMILIES.get(name, name)


def looks_garbled(text: str, *, max_undecodable: float = 0.08, max_scripts: int = 4) -> bool:
    """True when extracted text is mojibake rather than words.

    Two signs, either is enough: at least ``max_undecodable`` of the non-space
    characters are control, unassigned, private-use or replacement characters
    (a font with no Unicode map), or the letters spread over more than
    ``max_scripts`` scripts with at least 2% each (glyph IDs read as code
    points land in Greek, Arabic, Tibetan ... at once). Short texts (under 20
    visible characters) are never judged.

    >>> looks_garbled("Plain English text with a formula x\\x00y.")
    False
    >>> looks_garbled("ɹɹং Θͨ͘͠ͱ͍;ݱ\\u09c5\\u0378၊ఆ͞Εͨ༗ަػྲྀి౯ͷͻͱͭͷ੨͍র໌Ͱ")
    True
    """
    visible = len(text) - len(_WHITESPACE_CHARS.findall(text))
    if visible < 20:
        return False
    if len(_undecodable_pattern().findall(text)) >= max_undecodable * visible:
        return True
    # Only letters beyond Latin can make a script soup; most pages have few.
    scripts = Counter(_script(c) for c in _BEYOND_LATIN.findall(text) if c.isalpha())
    scripts["LATIN"] += len(_LATIN_LETTERS.findall(text))
    letters = sum(scripts.values())
    return sum(1 for n in scripts.values() if n >= 0.02 * letters) > max_scripts


# --- paragraphs --------------------------------------------------------------------

_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


def split_paragraphs(text: str) -> list[str]:
    """Non-empty, stripped paragraphs separated by blank lines.

    >>> split_paragraphs("one\\nline\\n\\n\\n two ")
    ['one\\nline', 'two']
    """
    return [p.strip() for p in _PARAGRAPH_BREAK.split(text) if p.strip()]
