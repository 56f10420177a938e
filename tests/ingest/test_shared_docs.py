"""Every file of ../shared/data/docs: loads cleanly, or is refused with its reason."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

from ingest.chunking import chunk_document
from ingest.loaders import load_document
from ingest.model import LoadedDocument, LoadError

pytestmark = [pytest.mark.shared_data, pytest.mark.slow]

# name -> page count (MANIFEST.md); None for formats without pages.
NORMAL = {
    "pdf/acl2020_specter.pdf": 13,
    "pdf/acl2020_s2orc.pdf": 15,
    "pdf/eacl2023_longeval.pdf": 20,
    "pdf/naacl2018_litgraph.pdf": 8,
    "pdf/nist_sp800_63b.pdf": 79,
    "pdf/nist_sp800_61r2.pdf": 79,
    "pdf/nist_sp800_57pt1r4.pdf": 160,
    "pdf/nist_csf_v1_0.pdf": 41,
    "pdf/nist_fips199.pdf": 13,
    "pdf/irs_i1040nr_2007.pdf": 50,
    "pdf/fedreg_2020_17221.pdf": 15,
    "pdf/fbi_nics_2015_11.pdf": 1,
    "pdf/senate_expenditures.pdf": 1,
    "pdf/faa_amt_handbook_p1.pdf": 1,
    "pdf/geotopo_de.pdf": 117,
    "pdf/slides_fighting_spam.pdf": 43,
    "hard/encrypted_empty_userpw.pdf": 18,
    "html/wiki_mozilla.html": None,
    "html/wiki_hermitian_matrix.html": None,
    "html/wiki_duck.html": None,
    "html/v8_blog_wasm_standalone.html": None,
    "html/firefox_nightly_news_85.html": None,
    "text/pep0008.rst": None,
    "text/pep0257.rst": None,
    "text/rfc3986.txt": 61,
    "text/pypdf_extract_text.md": None,
    "text/pdfplumber_readme.md": None,
}
REFUSED = {
    "hard/encrypted_password.pdf": "encrypted: a password is required",
    "hard/scanned_wikipedia_ocr.pdf": "no text layer (scanned image?): run OCR on it first",
    # An 11 KB file whose one page is a 1.2-gigapixel image: nothing to read, and
    # the image is never decoded, so it is refused at once like a scan.
    "hard/huge_image_page.pdf": "no text layer (scanned image?): run OCR on it first",
    "hard/truncated_fips199.pdf": "broken PDF: Stream has ended unexpectedly",
    # Refused rather than indexed: mojibake would match nothing and quote nonsense.
    "hard/nounicode_japanese.pdf": (
        "garbled text: the fonts have no Unicode map, so the characters cannot be decoded"
    ),
}
KINDS = {".pdf": "pdf", ".html": "html", ".rst": "rst", ".txt": "text", ".md": "markdown"}
_ODD_CHARACTERS = re.compile("[\ufb00-\ufb06\x00-\x09\x0b-\x1f\x7f-\x9f\ue000-\uf8ff\ufffd]")
_BROKEN_WORD = re.compile(r"[^\W\d_]-\n[a-zà-ÿ]")


@cache
def _load(root: Path, name: str) -> LoadedDocument:
    return load_document(root / "docs" / name)


def test_the_folder_holds_exactly_these_files(shared_data: Path) -> None:
    docs = shared_data / "docs"
    found = {str(p.relative_to(docs)) for p in docs.glob("*/*")}
    assert found == set(NORMAL) | set(REFUSED)


@pytest.mark.parametrize("name", sorted(NORMAL))
def test_normal_files_load_with_sane_text(shared_data: Path, name: str) -> None:
    doc = _load(shared_data, name)
    assert doc.kind == KINDS[Path(name).suffix]
    assert doc.title.strip() and doc.blocks
    assert doc.page_count == NORMAL[name]
    text = doc.text
    assert len(text) > 2000
    assert not _ODD_CHARACTERS.search(text), _ODD_CHARACTERS.search(text)
    assert not _BROKEN_WORD.search(text), _BROKEN_WORD.search(text)
    if doc.page_count:
        pages = [b.page for b in doc.blocks if b.page is not None]
        assert len(pages) == len(doc.blocks)
        assert pages == sorted(pages) and pages[0] >= 1 and pages[-1] <= doc.page_count
        # Nearly every page has text (a full-page figure or a blank page may not).
        assert len(set(pages)) >= 0.8 * doc.page_count


@pytest.mark.parametrize(("name", "reason"), sorted(REFUSED.items()))
def test_hard_files_are_refused_with_their_reason(
    shared_data: Path, name: str, reason: str
) -> None:
    with pytest.raises(LoadError) as err:
        _load(shared_data, name)
    assert err.value.reason == reason
    assert err.value.path.name == Path(name).name


@pytest.mark.parametrize(
    ("name", "gone", "kept"),
    [
        ("pdf/eacl2023_longeval.pdf", ["Ash- faq", "Ash-\nfaq"], ["Atabak Ashfaq"]),
        ("pdf/geotopo_de.pdf", [], ["Auflage", "Einführung"]),
        ("pdf/slides_fighting_spam.pdf", ["/ 43", "2018-06-09T18:30:00Z 2"], ["Fighting Spam"]),
        ("pdf/irs_i1040nr_2007.pdf", ["MUST be removed before printing", "-2- Instructions"], []),
        ("pdf/fedreg_2020_17221.pdf", ["VerDate", "Federal Register / Vol. 85"], ["Boeing"]),
        ("pdf/nist_sp800_61r2.pdf", ["COMPUTER SECURITY INCIDENT HANDLING GUIDE\n"], []),
        ("pdf/nist_sp800_57pt1r4.pdf", ["Key Management: General\nii"], ["key-agreement key"]),
        ("pdf/nist_csf_v1_0.pdf", ["February 12, 2014 Cybersecurity Framework Version 1.0"], []),
        ("text/rfc3986.txt", ["Standards Track [Page", "RFC 3986 URI Generic Syntax January"], []),
    ],
)
def test_cleaning_on_real_files(
    shared_data: Path, name: str, gone: list[str], kept: list[str]
) -> None:
    text = _load(shared_data, name).text
    for piece in gone:
        assert piece not in text
    for piece in kept:
        assert piece in text


def test_pdf_outlines_give_sections(shared_data: Path) -> None:
    doc = _load(shared_data, "pdf/nist_sp800_57pt1r4.pdf")
    audience = [b for b in doc.blocks if b.section == "1 Introduction > 1.2 Audience"]
    assert audience and audience[0].page == 14 and audience[0].text.startswith("1.2 Audience")
    assert _load(shared_data, "pdf/geotopo_de.pdf").page_labels is not None


@pytest.mark.parametrize(
    ("name", "title", "sections", "gone"),
    [
        (
            "html/wiki_duck.html",
            "Duck",
            ["Etymology", "Taxonomy"],
            ["Main menu", "This page was last edited", "Privacy policy", "[edit]", "client-js"],
        ),
        (
            "html/wiki_mozilla.html",
            "Mozilla",
            ["History", "History > Eich CEO promotion controversy"],
            ["Navigation menu", "Jump to navigation", "Retrieved from", "Categories:"],
        ),
        (
            "html/wiki_hermitian_matrix.html",
            "Hermitian matrix",
            ["Alternative characterizations > Equality with the adjoint"],
            ["Jump to", "displaystyle", "mw-parser-output"],
        ),
        (
            "html/v8_blog_wasm_standalone.html",
            "Outside the web: standalone WebAssembly binaries using Emscripten",
            ["Current status"],
            ["Branding · Terms", "Retweet this article", "documentElement"],
        ),
        (
            "html/firefox_nightly_news_85.html",
            "These Weeks in Firefox: Issue 85",
            ["Highlights", "Project Updates > Search and Navigation"],
            ["More articles in", "Download Firefox Nightly", "Search this site", "@media"],
        ),
    ],
)
def test_html_keeps_title_and_headings_and_drops_boilerplate(
    shared_data: Path, name: str, title: str, sections: list[str], gone: list[str]
) -> None:
    doc = _load(shared_data, name)
    assert doc.title == title
    found = {b.section for b in doc.blocks}
    for section in sections:
        assert section in found
        heading = section.split(" > ")[-1]
        assert any(b.text == heading and b.section == section for b in doc.blocks)
    for piece in gone:
        assert piece not in doc.text


@pytest.mark.parametrize("name", sorted(NORMAL))
def test_real_documents_chunk_within_the_limits(shared_data: Path, name: str) -> None:
    doc = _load(shared_data, name)
    chunks = list(chunk_document(doc))
    assert all(c.token_count <= 300 for c in chunks)
    assert [c.index for c in chunks] == list(range(len(chunks)))
    if doc.page_count:
        firsts = [c.first_page for c in chunks if c.first_page is not None]
        assert len(firsts) == len(chunks) and firsts == sorted(firsts)
