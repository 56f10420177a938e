"""Loaders on the repo's own fixtures (these run in a plain clone)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ingest import loaders
from ingest.loaders import (
    HtmlLoader,
    Loader,
    load_document,
    loader_for,
    register_loader,
    supported_suffixes,
)
from ingest.model import Block, LoadedDocument, LoadError
from tests.conftest import FIXTURES, SAMPLE_DOCS

HARD = FIXTURES / "hard"
_LIGATURES = re.compile("[\ufb00-\ufb06]")


def test_every_supported_suffix_has_a_loader() -> None:
    expected = {".pdf", ".html", ".htm", ".md", ".markdown", ".rst", ".txt"}
    assert expected <= supported_suffixes()
    for suffix in expected:
        loader = loader_for(Path(f"x{suffix.upper()}"))
        assert isinstance(loader, Loader)
    assert loader_for("photo.jpg") is None and loader_for("Makefile") is None


def test_unsupported_and_missing_files_are_load_errors(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match=r"unsupported file type: \.jpg"):
        load_document(tmp_path / "photo.jpg")
    with pytest.raises(LoadError, match="cannot read") as missing:
        load_document(tmp_path / "gone.pdf")
    assert missing.value.path == tmp_path / "gone.pdf"


class _CsvLoader:
    kind = "csv"
    suffixes = (".csv",)

    def load(self, path: Path) -> LoadedDocument:
        rows = path.read_text().splitlines()
        return LoadedDocument(path, self.kind, path.stem, tuple(Block(r) for r in rows if r))


class _Exploding:
    kind = "boom"
    suffixes = (".boom",)

    def load(self, path: Path) -> LoadedDocument:
        raise KeyError("/Root")


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> None:
    """A private copy of the loader registry, so test loaders do not leak."""
    monkeypatch.setattr(loaders, "_by_suffix", dict(loaders._by_suffix))


@pytest.mark.usefixtures("registry")
def test_new_formats_register_by_suffix(tmp_path: Path) -> None:
    register_loader(_CsvLoader())
    (tmp_path / "t.CSV").write_text("a,b\n1,2\n")
    assert [b.text for b in load_document(tmp_path / "t.CSV").blocks] == ["a,b", "1,2"]
    with pytest.raises(ValueError, match="already has a loader"):
        register_loader(_CsvLoader())
    register_loader(_CsvLoader(), replace=True)


def test_registered_test_loaders_do_not_leak() -> None:
    assert loader_for("t.csv") is None and loader_for("x.boom") is None


@pytest.mark.usefixtures("registry")
def test_a_loader_crash_becomes_a_load_error(tmp_path: Path) -> None:
    register_loader(_Exploding())
    with pytest.raises(LoadError, match="unexpected KeyError") as err:
        load_document(tmp_path / "x.boom")
    assert isinstance(err.value.__cause__, KeyError)


# --- PDF ---------------------------------------------------------------------------


def test_pdf_pages_sections_and_clean_text() -> None:
    doc = load_document(SAMPLE_DOCS / "nist_fips199.pdf")
    assert (doc.kind, doc.page_count) == ("pdf", 13)
    assert doc.title.startswith("FIPS 199, Standards for Security Categorization")
    pages = [b.page for b in doc.blocks]
    assert pages == sorted(pages) and pages[0] == 1 and pages[-1] == 13
    text = doc.text
    # The running head of every page is gone; the title page keeps its own title.
    head = "FIPS Publication 199 Standards for Security Categorization of Federal Information"
    assert head not in text and "FIPS PUB 199" in text
    assert not _LIGATURES.search(text) and "\x00" not in text
    # Sections come from the PDF outline, cut where the heading is printed.
    purpose = [b for b in doc.blocks if b.section == "1 PURPOSE"]
    assert purpose[0].text.startswith("1 PURPOSE\n") and purpose[0].page == 5
    assert doc.blocks[0].section is None


def test_pdf_encrypted_with_an_empty_user_password_loads() -> None:
    doc = load_document(HARD / "encrypted_empty_userpw.pdf")
    assert doc.page_count == 18
    assert "Digital Millennium Copyright Act" in doc.text


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("encrypted_password.pdf", "encrypted: a password is required"),
        ("truncated_fips199.pdf", "broken PDF: Stream has ended unexpectedly"),
    ],
)
def test_pdf_that_cannot_be_read_says_why(name: str, reason: str) -> None:
    with pytest.raises(LoadError) as err:
        load_document(HARD / name)
    assert (err.value.path.name, err.value.reason) == (name, reason)


def test_pdf_warnings_do_not_reach_the_user(
    root_messages: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(LoadError):
        load_document(HARD / "truncated_fips199.pdf")  # pypdf logs "EOF marker not found"
    assert root_messages == []
    assert capsys.readouterr().err == ""


def test_empty_and_fake_pdfs_are_broken(tmp_path: Path) -> None:
    (tmp_path / "empty.pdf").write_bytes(b"")
    (tmp_path / "fake.pdf").write_text("<html>not a pdf</html>")
    for name in ("empty.pdf", "fake.pdf"):
        with pytest.raises(LoadError, match="broken PDF"):
            load_document(tmp_path / name)


# --- HTML --------------------------------------------------------------------------


def test_html_keeps_title_and_headings_and_drops_boilerplate() -> None:
    doc = load_document(SAMPLE_DOCS / "v8_blog_wasm_standalone.html")
    assert doc.title == "Outside the web: standalone WebAssembly binaries using Emscripten"
    sections = {b.section for b in doc.blocks}
    assert "Using standalone mode in Emscripten > Write your own JavaScript loader" in sections
    text = doc.text
    for boilerplate in ("Branding · Terms · Privacy", "Retweet this article", "classNam", "#\n"):
        assert boilerplate not in text
    # Code keeps its lines, drawn with <br> in this page.
    assert "// add.c\n#include <emscripten.h>" in text


def test_html_structure_from_a_small_page(tmp_path: Path) -> None:
    page = tmp_path / "p.html"
    page.write_text(
        "<html><head><title>T - Site</title><style>p{}</style></head><body>"
        "<nav>Home About</nav><main><h1>Guide</h1><p>Intro <b>bold</b>\n text.</p>"
        "<h2>Setup <a href='#setup'>¶</a></h2><ul><li>One</li><li>Two</li></ul>"
        "<table><tr><th>k</th><th>v</th></tr><tr><td>a</td><td>1</td></tr></table>"
        "<div class='cookie-banner'>We use cookies</div><script>var x=1;</script>"
        "<h3>Deep</h3><p>Line<br>break</p></main><footer>© 2024</footer></body></html>",
        encoding="utf-8",
    )
    doc = load_document(page)
    assert doc.title == "Guide"
    assert [(b.text, b.section) for b in doc.blocks] == [
        ("Guide", None),
        ("Intro bold text.", None),
        ("Setup", "Setup"),
        ("- One", "Setup"),
        ("- Two", "Setup"),
        ("k | v\na | 1", "Setup"),
        ("Deep", "Setup > Deep"),
        ("Line\nbreak", "Setup > Deep"),
    ]


def test_html_without_text_is_refused(tmp_path: Path) -> None:
    (tmp_path / "blank.htm").write_text("<html><body><script>x()</script></body></html>")
    with pytest.raises(LoadError, match="empty"):
        HtmlLoader().load(tmp_path / "blank.htm")


# --- Markdown, reStructuredText ----------------------------------------------------


def test_markdown_headings_become_sections_and_code_stays_whole() -> None:
    doc = load_document(SAMPLE_DOCS / "pypdf_extract_text.md")
    assert (doc.kind, doc.title) == ("markdown", "Extract Text from a PDF")
    code = next(b for b in doc.blocks if b.text.startswith("from pypdf import PdfReader"))
    assert "\n\nreader = PdfReader" in code.text  # blank lines inside a fence kept
    assert "```" not in doc.text
    assert any(b.section == "Using a visitor" for b in doc.blocks)


def test_markdown_details(tmp_path: Path) -> None:
    md = tmp_path / "n.md"
    md.write_text(
        "---\ntitle: 'Notes'\n---\nIntro\n\nSetup `pip`\n=====\n\ntext\n\n## [Link](u) *x*\n\n"
        "```\n# not a heading\n```\n\n---\n\nafter rule\n"
    )
    doc = load_document(md)
    assert doc.title == "Notes"
    assert [(b.text, b.section) for b in doc.blocks] == [
        ("Intro", None),
        ("Setup pip", "Setup pip"),
        ("text", "Setup pip"),
        ("Link x", "Setup pip > Link x"),
        ("# not a heading", "Setup pip > Link x"),
        ("after rule", "Setup pip > Link x"),
    ]


def test_rst_pep_title_and_sections() -> None:
    doc = load_document(SAMPLE_DOCS / "pep0257.rst")
    assert (doc.kind, doc.title) == ("rst", "PEP 257 – Docstring Conventions")
    assert doc.blocks[0].text.startswith("PEP: 257\nTitle: Docstring Conventions")
    sections = [b.section for b in doc.blocks]
    assert "Specification > One-line Docstrings" in sections
    assert ".. _Docutils:" not in doc.text  # link targets are not text


def test_rst_levels_follow_first_use(tmp_path: Path) -> None:
    rst = tmp_path / "r.rst"
    rst.write_text(
        "=====\nTitle\n=====\n\nA\n---\n\nbody\n\nB\n~~\n\nmore\n\nC\n---\n\nend\n\n..\n  comment\n"
    )
    doc = load_document(rst)
    assert [(b.text, b.section) for b in doc.blocks] == [
        ("Title", "Title"),
        ("A", "Title > A"),
        ("body", "Title > A"),
        ("B", "Title > A > B"),
        ("more", "Title > A > B"),
        ("C", "Title > C"),
        ("end", "Title > C"),
    ]
