"""Plain text: encodings, form-feed pages, numbered headings."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.loaders import load_document
from ingest.model import LoadError

_NAMES = ["Introduction", "Terminology", "Syntax", "Security", "References"]


def _rfc_like(pages: int) -> str:
    out = []
    for n, name in enumerate(_NAMES[:pages], start=1):
        out.append(
            f"RFC 9999            Example Protocol            May 2030\n\n"
            f"{n}.  {name}\n\n"
            f"   Body of section {n} is indented, as in an RFC. It says {n * 'x'}.\n\n"
            f"{n}.1.  {name} details\n\n   Detail text on {name}.\n\n"
            f"Doe                      Standards Track                    [Page {n}]\n"
        )
    return "\f\n".join(out) + "\f"


def test_form_feeds_make_pages_and_repeated_lines_go(tmp_path: Path) -> None:
    path = tmp_path / "rfc.txt"
    path.write_text(_rfc_like(5), encoding="ascii")
    doc = load_document(path)
    assert doc.page_count == 5  # the final form feed ends page 5, it starts no page 6
    assert [b.page for b in doc.blocks if b.text.startswith("Body")] == [1, 2, 3, 4, 5]
    assert "Standards Track" not in doc.text and "Example Protocol" not in doc.text
    body = next(b for b in doc.blocks if b.text.startswith("Body of section 3"))
    assert body.section == "3. Syntax"
    detail = [b.section for b in doc.blocks if b.text.startswith("Detail text")]
    assert detail[2] == "3. Syntax > 3.1. Syntax details"


def test_plain_text_without_form_feeds_has_no_pages(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("First paragraph\nwraps here.\n\n\nSecond.\n", encoding="utf-8")
    doc = load_document(path)
    assert [(b.text, b.page, b.section) for b in doc.blocks] == [
        ("First paragraph\nwraps here.", None, None),
        ("Second.", None, None),
    ]
    assert (doc.kind, doc.title, doc.page_count) == ("text", "notes", None)


def test_numbered_lines_in_ordinary_text_are_not_headings(tmp_path: Path) -> None:
    path = tmp_path / "list.txt"
    path.write_text("Steps:\n\n1. Open the box\n\n2. Read the note\n\n3. Close it\n")
    assert {b.section for b in load_document(path).blocks} == {None}


@pytest.mark.parametrize(
    ("data", "text", "warned"),
    [
        ("café".encode(), "café", False),
        (b"\xef\xbb\xbfcaf\xc3\xa9", "café", False),
        ("café".encode("utf-16"), "café", False),
        ("café “q”".encode("cp1252"), 'café "q"', True),
    ],
)
def test_encodings(tmp_path: Path, data: bytes, text: str, warned: bool) -> None:
    path = tmp_path / "e.txt"
    path.write_bytes(data)
    doc = load_document(path)
    assert doc.text.replace("“", '"').replace("”", '"') == text
    assert bool(doc.warnings) is warned


@pytest.mark.parametrize(
    ("name", "data"), [("bin.txt", b"\x7fELF\x00\x00\x01"), ("e.md", b"\n \n")]
)
def test_binary_or_empty_files_are_refused(tmp_path: Path, name: str, data: bytes) -> None:
    (tmp_path / name).write_bytes(data)
    with pytest.raises(LoadError):
        load_document(tmp_path / name)
