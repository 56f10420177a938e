"""What IPython sends to a notebook for an Answer, SearchResults and a Listing."""

from __future__ import annotations

import pytest

from ragkit.render import Listing, SearchResults, answer_html, search_html
from tests.render.examples import SEARCH_QUERY, answered, hits

formatters = pytest.importorskip("IPython.core.formatters", reason="IPython comes with ipykernel")


def _bundle(obj: object) -> dict[str, object]:
    data, _ = formatters.DisplayFormatter().format(obj)
    return dict(data)


def test_answer_displays_as_html_and_markdown() -> None:
    bundle = _bundle(answered())
    assert bundle["text/html"] == answer_html(answered())
    assert str(bundle["text/markdown"]).startswith("**Question:**")


def test_search_results_and_listing_display() -> None:
    bundle = _bundle(SearchResults(SEARCH_QUERY, hits()))
    assert bundle["text/html"] == search_html(SEARCH_QUERY, hits())
    assert bundle["text/plain"] == "SearchResults(query='impact of a loss of integrity', hits=3)"
    listing = _bundle(Listing("Corpora", ("corpus",), (("corpora/fips",),)))
    assert "<td>corpora/fips</td>" in str(listing["text/html"])
    assert "| corpora/fips |" in str(listing["text/markdown"])
