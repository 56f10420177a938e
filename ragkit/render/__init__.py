"""Rendering of answers, search hits and listings: terminal, Markdown, JSON and HTML.

Every renderer reads only :class:`ragkit.qa.answer.Answer` / ``Passage`` and the wire
models, so all backends and query modes look the same.

- :mod:`ragkit.render.terminal` -- rich output for the CLI (``render_answer``, ``render_search``,
  ``render_corpora``, ``render_documents``, ``render_chunks``)
- :mod:`ragkit.render.markdown` -- ``answer_markdown``, ``search_markdown``, ``listing_markdown``
- :mod:`ragkit.render.json` -- ``answer_json``/``dumps_answer`` and ``search_json`` with
  versioned JSON Schemas (``docs/answer-json.md``)
- :mod:`ragkit.render.html` -- notebook HTML (``answer_html``, ``search_html``, ``listing_html``)
- :class:`SearchResults` and :class:`Listing` -- objects a notebook displays directly

>>> from ragkit.render import SearchResults, Listing, render_answer, answer_json
"""

from __future__ import annotations

from ragkit.render.html import answer_html, listing_html, search_html
from ragkit.render.json import (
    ANSWER_SCHEMA_VERSION,
    SEARCH_SCHEMA_VERSION,
    answer_json,
    dumps_answer,
    dumps_search,
    load_schema,
    search_json,
)
from ragkit.render.listing import Listing, chunks_listing, corpora_listing, documents_listing
from ragkit.render.markdown import answer_markdown, listing_markdown, search_markdown
from ragkit.render.results import SearchResults
from ragkit.render.terminal import (
    render_answer,
    render_chunks,
    render_corpora,
    render_documents,
    render_listing,
    render_search,
)

__all__ = [
    "ANSWER_SCHEMA_VERSION",
    "SEARCH_SCHEMA_VERSION",
    "Listing",
    "SearchResults",
    "answer_html",
    "answer_json",
    "answer_markdown",
    "chunks_listing",
    "corpora_listing",
    "documents_listing",
    "dumps_answer",
    "dumps_search",
    "listing_html",
    "listing_markdown",
    "load_schema",
    "render_answer",
    "render_chunks",
    "render_corpora",
    "render_documents",
    "render_listing",
    "render_search",
    "search_html",
    "search_json",
    "search_markdown",
]
