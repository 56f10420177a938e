"""Listings from wire models and the displayable wrappers (Listing, SearchResults)."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from rich.console import Console

from ragkit.render import (
    Listing,
    SearchResults,
    chunks_listing,
    corpora_listing,
    documents_listing,
    render_chunks,
    render_corpora,
    render_documents,
)
from ragkit.types import Chunk, ChunkData, Corpus, CustomMetadata, Document, State
from tests.render.examples import SEARCH_QUERY, hits

WHEN = datetime(2024, 5, 1, 12, 3, 30, tzinfo=UTC)


def _console() -> Console:
    return Console(file=io.StringIO(), force_terminal=False, width=120)


def _documents() -> list[Document]:
    return [
        Document(
            name="corpora/fips/documents/nist-fips199-pdf",
            display_name="nist_fips199.pdf",
            custom_metadata=[CustomMetadata.of("pages", 13), CustomMetadata.of("tags", ["a", "b"])],
            update_time=WHEN,
        ),
        Document(name="corpora/fips/documents/pep0257-rst", display_name="pep0257.rst"),
    ]


def test_corpora_listing() -> None:
    listing = corpora_listing([Corpus(name="corpora/fips", display_name="FIPS", create_time=WHEN)])
    assert listing.title == "Corpora"
    assert listing.rows == (("corpora/fips", "FIPS", WHEN, None),)
    console = _console()
    render_corpora([Corpus(name="corpora/fips", display_name="FIPS", create_time=WHEN)], console)
    output = console.file.getvalue()  # type: ignore[attr-defined]
    assert "corpora/fips" in output and "FIPS" in output and "2024-05-01 12:03" in output


def test_documents_listing_names_the_corpus_once() -> None:
    listing = documents_listing(_documents())
    assert listing.title == "Documents in corpora/fips"
    assert [row[0] for row in listing.rows] == ["nist-fips199-pdf", "pep0257-rst"]
    assert listing.rows[0][2] == "pages=13; tags=a, b"
    console = _console()
    render_documents(_documents(), console)
    output = console.file.getvalue()  # type: ignore[attr-defined]
    assert "Documents in corpora/fips" in output and "pages=13; tags=a, b" in output


def test_documents_from_several_corpora_keep_full_names() -> None:
    docs = [Document(name="corpora/a/documents/x"), Document(name="corpora/b/documents/y")]
    listing = documents_listing(docs)
    assert listing.title == "Documents"
    assert [row[0] for row in listing.rows] == ["corpora/a/documents/x", "corpora/b/documents/y"]


def test_chunks_listing() -> None:
    chunk = Chunk(
        name="corpora/fips/documents/d/chunks/c1",
        data=ChunkData(string_value="Security categorization " * 10),
        state=State.STATE_ACTIVE,
        custom_metadata=[CustomMetadata.of("page", 6)],
    )
    listing = chunks_listing([chunk])
    assert listing.title == "Chunks in corpora/fips/documents/d"
    name, state, text, metadata = listing.rows[0]
    assert (name, state, metadata) == ("c1", "active", "page=6")
    assert isinstance(text, str) and text.endswith("…") and len(text) <= 81
    console = _console()
    render_chunks([chunk], console)
    assert "active" in console.file.getvalue()  # type: ignore[attr-defined]


def test_empty_listing() -> None:
    console = _console()
    render_documents([], console)
    assert console.file.getvalue().strip() == "Documents: none"  # type: ignore[attr-defined]


def test_listing_displays_everywhere() -> None:
    listing = Listing("Files", ("name", "pages"), (("a.pdf", 3), ("b.md", None)))
    assert len(listing) == 2
    assert "<td>a.pdf</td>" in listing._repr_html_()
    assert "| a.pdf | 3 |" in listing._repr_markdown_()
    console = _console()
    console.print(listing)
    output = console.file.getvalue()  # type: ignore[attr-defined]
    assert "Files" in output and "a.pdf" in output and "b.md" in output


def test_search_results_is_a_sequence_that_displays() -> None:
    results = SearchResults(SEARCH_QUERY, hits())
    assert len(results) == 3 and results[0] == hits()[0]
    assert [hit.file for hit in results] == ["nist_fips199.pdf", "nist_fips199.pdf", "pep0257.rst"]
    assert list(results[1:]) == list(hits()[1:])
    assert repr(results) == "SearchResults(query='impact of a loss of integrity', hits=3)"
    assert results.to_json()["hits"][2]["file"] == "pep0257.rst"
    assert "<mark>" in results._repr_html_()
    assert results._repr_markdown_().startswith("**Search “impact of a loss of integrity”**")
    console = _console()
    console.print(results)
    output = console.file.getvalue()  # type: ignore[attr-defined]
    assert "3 hits for" in output and "pep0257.rst" in output


def test_empty_search_results_print_a_note() -> None:
    console = _console()
    console.print(SearchResults("nothing here", []))
    assert "No passages matched “nothing here”." in console.file.getvalue()  # type: ignore[attr-defined]


def test_listing_accepts_lists_and_prints_a_note_when_empty() -> None:
    listing = Listing("T", ["a"], [["x"]])  # type: ignore[arg-type]
    assert listing.columns == ("a",) and listing.rows == (("x",),)
    console = _console()
    console.print(Listing("Chunks", ("chunk",), ()))
    assert console.file.getvalue().strip() == "Chunks: none"  # type: ignore[attr-defined]
