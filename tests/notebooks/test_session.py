"""``ragkit.Ragkit``: the facade the notebooks use, in and out of a running event loop."""

from __future__ import annotations

import asyncio
import doctest
import os
import shutil
import signal
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import get_args

import httpx
import pytest

import ragkit
import ragkit.session
from ragkit.config import Settings
from ragkit.qa.where import WhereError
from ragkit.render import Listing, SearchResults
from ragkit.session import (
    RETRIEVAL_HEADER,
    IngestSummary,
    Ragkit,
    RetrievalMode,
    UnsupportedRetrievalError,
    run_blocking,
)
from ragkit.types import Condition, MetadataFilter, Operator
from tests.conftest import SAMPLE_DOCS

CORPUS = "session-samples"
SAMPLE_FILES = sorted(path.name for path in SAMPLE_DOCS.iterdir())
MODES = {"lexical", "dense", "hybrid"}


@pytest.fixture(scope="module")
def samples_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory holding the sample documents, ingested once for this module."""
    home = tmp_path_factory.mktemp("session-home")
    with Ragkit(CORPUS, backend="local", home=home) as rk:
        summary = rk.ingest(SAMPLE_DOCS)
    assert summary.counts["new"] == len(SAMPLE_FILES), summary.report.to_json()
    return home


@pytest.fixture
def rk(samples_home: Path) -> Iterator[Ragkit]:
    with Ragkit(CORPUS, backend="local", home=samples_home) as session:
        yield session


@pytest.fixture
def one_file(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy(SAMPLE_DOCS / "pep0257.rst", folder)
    return folder


def test_ragkit_is_exported_lazily_from_the_package() -> None:
    assert ragkit.Ragkit is Ragkit
    assert "Ragkit" in ragkit.__all__


def test_settings_layer_like_command_line_flags() -> None:
    session = Ragkit("papers", threshold=0.7, top_k=4)
    assert session.corpus == "corpora/papers"
    assert session.settings.threshold == 0.7
    assert session.settings.top_k == 4
    assert repr(session) == "Ragkit(corpus='corpora/papers', backend='local')"
    session.close()


@pytest.mark.anyio
async def test_sync_ingest_works_inside_a_running_event_loop(one_file: Path) -> None:
    asyncio.get_running_loop()  # this test body runs in a loop, like a Jupyter cell
    with Ragkit("in-loop") as session:
        first = session.ingest(one_file)
        again = session.ingest(one_file)
        listing = session.documents()
    assert first.counts["new"] == 1
    assert again.counts["unchanged"] == 1
    assert [row[1] for row in listing.rows] == ["pep0257.rst"]


@pytest.mark.anyio
async def test_async_ingest_can_be_awaited(one_file: Path) -> None:
    async with Ragkit("awaited") as session:
        summary = await session.ingest_async(one_file, dry_run=True)
        assert summary.report.dry_run
        assert summary.counts["new"] == 1
        assert session.corpora().rows == ()  # a dry run does not even create the corpus
        stored = await session.ingest_async(one_file)
    assert stored.counts["new"] == 1
    assert stored.report.chunks_after == stored.report.files[0].chunks > 0


@pytest.mark.anyio
async def test_sync_queries_work_inside_a_running_event_loop(rk: Ragkit) -> None:
    answer = rk.ask("What is integrity?")
    hits = rk.search("impact levels", top_k=3)
    assert answer.question == "What is integrity?"
    assert answer.corpus == f"corpora/{CORPUS}"
    assert len(hits) == 3
    assert rk.documents().rows and rk.corpora().rows


@pytest.mark.anyio
async def test_async_twins_agree_with_the_sync_methods(rk: Ragkit) -> None:
    question = "What is the definition of availability?"
    awaited = await rk.ask_async(question)
    direct = rk.ask(question)
    assert awaited.text == direct.text
    assert [c.chunk for c in awaited.citations] == [c.chunk for c in direct.citations]
    found = await rk.search_async("docstring first line", top_k=4)
    assert [hit.chunk for hit in found] == [
        hit.chunk for hit in rk.search("docstring first line", top_k=4)
    ]


def test_ask_options_override_the_settings(rk: Ragkit) -> None:
    refused = rk.ask("What is integrity?", threshold=1.0, top_k=2)
    assert not refused.answered
    assert refused.threshold == 1.0
    assert len(refused.nearest) <= 2
    assert rk.ask("What is integrity?").threshold == rk.settings.threshold


def test_where_takes_cli_expressions_lists_and_wire_filters(rk: Ragkit) -> None:
    pdf_only = rk.search("information", where="type=pdf", top_k=5)
    assert {hit.file for hit in pdf_only} == {"nist_fips199.pdf"}
    later_pages = rk.search("information", where=["type=pdf", "page>=8"], top_k=5)
    assert later_pages and all(hit.pages and hit.pages[0] >= 8 for hit in later_pages)
    wire = MetadataFilter(
        key="document.custom_metadata.type",
        conditions=[Condition(string_value="markdown", operation=Operator.EQUAL)],
    )
    markdown = rk.search("extract text", where=[wire], top_k=3)
    assert {hit.file for hit in markdown} == {"pypdf_extract_text.md"}
    answer = rk.ask("What is integrity?", where="type=rst")
    assert all(c.file == "pep0257.rst" for c in (*answer.citations, *answer.nearest))
    with pytest.raises(WhereError):
        rk.search("x", where="title>abc")


def test_search_results_display_themselves(rk: Ragkit) -> None:
    hits = rk.search("docstring conventions", top_k=2)
    assert isinstance(hits, SearchResults)
    assert hits.query == "docstring conventions"
    assert "<mark>" in hits._repr_html_()
    assert all(hit.score is not None for hit in hits)


def test_documents_listing_reads_what_ingest_recorded(rk: Ragkit) -> None:
    listing = rk.documents()
    assert isinstance(listing, Listing)
    assert listing.columns == (
        "document",
        "file",
        "title",
        "type",
        "pages",
        "chunks",
        "tokens",
        "updated",
    )
    rows = {row[1]: dict(zip(listing.columns, row, strict=True)) for row in listing.rows}
    assert sorted(rows) == SAMPLE_FILES
    pdf = rows["nist_fips199.pdf"]
    assert (pdf["type"], pdf["pages"]) == ("pdf", 13)
    assert rows["pep0257.rst"]["pages"] is None
    assert all(isinstance(row["chunks"], int) and row["chunks"] > 0 for row in rows.values())
    assert "<td>nist_fips199.pdf</td>" in listing._repr_html_()


def test_chunks_resolve_a_file_an_id_or_a_name(rk: Ragkit) -> None:
    documents = rk.documents()
    by_file = {row[1]: row[0] for row in documents.rows}
    chunk_counts = {row[1]: row[5] for row in documents.rows}
    by_path = rk.chunks("nist_fips199.pdf")
    by_id = rk.chunks(by_file["nist_fips199.pdf"])
    by_name = rk.chunks(f"corpora/{CORPUS}/documents/{by_file['nist_fips199.pdf']}")
    assert by_path.rows == by_id.rows == by_name.rows
    assert len(by_path) == chunk_counts["nist_fips199.pdf"]
    column = {name: index for index, name in enumerate(by_path.columns)}
    indexes = [row[column["index"]] for row in by_path.rows]
    assert indexes == list(range(len(indexes)))
    assert all(0 < row[column["tokens"]] <= rk.settings.chunk_tokens for row in by_path.rows)
    assert str(by_path.rows[0][column["pages"]]).startswith("1")  # "1" or "1-2"
    with pytest.raises(LookupError, match="no document"):
        rk.chunks("missing.pdf")


def test_ingest_summary_shows_each_file_and_why_one_failed(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy(SAMPLE_DOCS / "pep0257.rst", folder)
    with Ragkit("summary") as session:
        summary = session.ingest([folder, tmp_path / "absent"])
    assert isinstance(summary, IngestSummary)
    assert summary.failed
    assert summary.counts["new"] == 1 and summary.counts["failed"] == 1
    html = summary._repr_html_()
    assert "pep0257.rst" in html and "no such file or folder" in html
    assert "| pep0257.rst | new |" in summary._repr_markdown_()
    assert repr(summary).startswith("IngestSummary(corpus='corpora/summary', new=1,")


def test_close_releases_the_client_and_a_later_call_reopens_it(rk: Ragkit) -> None:
    first = rk.client
    rk.close()
    assert rk.client is not first
    assert rk.documents().rows


def test_run_blocking_outside_and_inside_a_loop() -> None:
    async def value() -> str:
        await asyncio.sleep(0)
        return "done"

    async def failing() -> None:
        raise KeyError("boom")

    assert run_blocking(value) == "done"

    async def nested() -> str:
        with pytest.raises(KeyError, match="boom"):
            run_blocking(failing)
        return run_blocking(value)

    assert asyncio.run(nested()) == "done"


def test_module_doctests() -> None:
    results = doctest.testmod(ragkit.session, optionflags=doctest.ELLIPSIS)
    assert results.attempted >= 2
    assert results.failed == 0


def test_retrieval_picks_the_engines_ranker(rk: Ragkit) -> None:
    query = "What happens when the availability of information is lost?"
    ranked = {mode: rk.search(query, top_k=8, retrieval=mode) for mode in sorted(MODES)}  # type: ignore[arg-type]
    chunks = {mode: [hit.chunk for hit in hits] for mode, hits in ranked.items()}
    assert chunks["lexical"] != chunks["dense"]
    assert chunks["hybrid"] == [hit.chunk for hit in rk.search(query, top_k=8)]
    assert all(0.0 <= (hit.score or 0.0) <= 1.0 for hits in ranked.values() for hit in hits)


@pytest.mark.anyio
async def test_retrieval_with_the_async_twin(rk: Ragkit) -> None:
    query = "What happens when the availability of information is lost?"
    awaited = await rk.search_async(query, top_k=5, retrieval="lexical")
    assert [hit.chunk for hit in awaited] == [
        hit.chunk for hit in rk.search(query, top_k=5, retrieval="lexical")
    ]


def test_the_retrieval_names_match_the_engines() -> None:
    from ragkit.engine import retrieval

    assert RETRIEVAL_HEADER == retrieval.RETRIEVAL_HEADER
    assert set(get_args(RetrievalMode)) == set(retrieval.RETRIEVAL_MODES) == MODES


def test_a_backend_that_ignores_the_ranker_header_is_an_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[str | None] = []

    def google_like(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers.get(RETRIEVAL_HEADER))
        return httpx.Response(200, json={"relevantChunks": []})  # and no echo

    def arguments(settings: object, *, asynchronous: bool) -> dict[str, object]:
        mock = httpx.MockTransport(google_like)
        return {"base_url": "http://google.invalid", "transport": mock, "max_retries": 0}

    monkeypatch.setattr(Settings, "_client_arguments", arguments)
    with Ragkit("papers") as session, pytest.raises(UnsupportedRetrievalError, match="ignored"):
        session.search("keys", retrieval="dense")
    assert seen == ["dense"]


def test_interrupting_run_blocking_cancels_the_work() -> None:
    unwound = threading.Event()
    started = threading.Event()

    async def forever() -> None:
        try:
            started.set()
            await asyncio.sleep(3600)
        finally:
            unwound.set()

    def interrupt_when_started() -> None:
        started.wait(30)
        os.kill(os.getpid(), signal.SIGINT)  # what Ctrl-C or "interrupt kernel" sends

    async def in_a_cell() -> None:
        threading.Thread(target=interrupt_when_started, daemon=True).start()
        run_blocking(forever)

    # A bare loop, like the kernel's: no asyncio.run, which would take over SIGINT.
    loop = asyncio.new_event_loop()
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with pytest.raises(KeyboardInterrupt):
            loop.run_until_complete(in_a_cell())
    finally:
        signal.signal(signal.SIGINT, previous)
        loop.close()
    assert unwound.is_set(), "the coroutine was left running"
