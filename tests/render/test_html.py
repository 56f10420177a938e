"""Notebook HTML: escaping, highlighted spans, collapsible sources, the gauge, no assets."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from ragkit.render import answer_html, listing_html, search_html
from tests.render.examples import SEARCH_QUERY, answered, hits, hostile, refused

VOID = {"br", "meta", "img", "hr", "input", "link", "wbr"}


class _Tree(HTMLParser):
    """Collects elements (tag, attrs, text inside) and checks that tags nest properly."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict[str, str | None], list[str]]] = []
        self.elements: list[tuple[str, dict[str, str | None], str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID:
            self.elements.append((tag, dict(attrs), ""))
        else:
            self.stack.append((tag, dict(attrs), []))

    def handle_endtag(self, tag: str) -> None:
        assert self.stack, f"</{tag}> closes nothing"
        open_tag, attrs, text = self.stack.pop()
        assert open_tag == tag, f"<{open_tag}> closed by </{tag}>"
        content = "".join(text)
        self.elements.append((tag, attrs, content))
        if self.stack:
            self.stack[-1][2].append(content)

    def handle_data(self, data: str) -> None:
        if self.stack:
            self.stack[-1][2].append(data)

    def find(self, tag: str, css: str | None = None) -> list[tuple[dict[str, str | None], str]]:
        return [
            (attrs, text)
            for name, attrs, text in self.elements
            if name == tag and (css is None or css in (attrs.get("class") or "").split())
        ]


def _parse(markup: str) -> _Tree:
    tree = _Tree()
    tree.feed(markup)
    tree.close()
    assert not tree.stack, f"unclosed tags: {[tag for tag, _, _ in tree.stack]}"
    return tree


def test_answer_html_structure() -> None:
    markup = answer_html(answered())
    tree = _parse(markup)
    (root_attrs, _), *_ = [e for e in tree.find("div", "rk") if "rk-answer" in str(e[0])]
    assert "rk-answered" in (root_attrs["class"] or "")
    # one <details> per source, each titled with file, pages and section
    sources = tree.find("details", "rk-src")
    assert len(sources) == 2
    summaries = [text for _, text in tree.find("summary")]
    assert "nist_fips199.pdf" in summaries[0] and "p.6" in summaries[0]
    assert "Security Objectives" in summaries[0] and "score 0.91" in summaries[0]
    assert "pp.6-7" in summaries[1] and "Potential Impact" in summaries[1]
    # the answer span is marked inside the full passage (and in the snippet)
    marks = [text for _, text in tree.find("mark")]
    assert marks.count("three security objectives") == 2
    assert marks.count("a severe or catastrophic adverse effect") == 2
    quotes = [text for _, text in tree.find("blockquote", "rk-passage")]
    assert "A loss of availability is the disruption" in quotes[0]


def test_markers_link_to_their_sources() -> None:
    tree = _parse(answer_html(answered()))
    links = [attrs for attrs, _ in tree.find("a")]
    targets = [(attrs.get("href") or "").lstrip("#") for attrs in links]
    ids = {attrs.get("id") for attrs, _ in tree.find("details", "rk-src")}
    assert len(targets) == 2 and set(targets) == ids
    assert [text for _, text in tree.find("sup", "rk-ref")] == ["1", "2"]
    assert (links[0].get("title") or "").startswith("nist_fips199.pdf p.6 — Security Objectives:")


def test_unsupported_sentence_is_flagged() -> None:
    tree = _parse(answer_html(answered()))
    flagged = [text for _, text in tree.find("span", "rk-unsupported")]
    assert flagged == ["Agencies must recategorize every system once a year."]
    assert [text for _, text in tree.find("span", "rk-flag")] == ["unsupported"]
    assert "1 sentence is not supported" in tree.find("div", "rk-warning")[0][1]


def test_gauge_shows_probability_and_threshold() -> None:
    markup = answer_html(answered())
    tree = _parse(markup)
    ((meter, _),) = tree.find("div", "rk-bar")
    assert meter["role"] == "meter" and meter["aria-valuenow"] == "0.8700"
    assert tree.find("div", "rk-fill")[0][0]["style"] == "width:87.0%"
    assert tree.find("div", "rk-threshold")[0][0]["style"] == "left:50.0%"
    assert "answerable 0.87 · threshold 0.50" in tree.find("div", "rk-gauge")[0][1]


def test_probability_not_reported() -> None:
    answer = answered().model_copy(update={"answerable_probability": None})
    tree = _parse(answer_html(answer))
    assert not tree.find("div", "rk-bar")
    assert "answerability not reported" in tree.find("div", "rk-gauge")[0][1]


def test_refusal_variant() -> None:
    tree = _parse(answer_html(refused()))
    assert tree.find("div", "rk-refusal")[0][1] == "The documents don't answer this question."
    assert "rk-refused" in str(tree.find("div", "rk")[-1][0])
    headings = [text for _, text in tree.find("div", "rk-h")]
    assert headings == ["Nearest passages"]
    assert len(tree.find("details", "rk-src")) == 2
    assert not tree.find("sup", "rk-ref") and not tree.find("mark")
    assert "result in major financial loss" in tree.find("div", "rk-guess")[0][1]
    assert tree.find("div", "rk-fill")[0][0]["style"] == "width:12.0%"


def test_everything_from_documents_is_escaped() -> None:
    markup = answer_html(hostile())
    assert "<script" not in markup and "&amp; <b>" not in markup
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in markup
    assert "&amp;amp; &lt;b&gt;" in markup
    tree = _parse(markup)
    assert [text for _, text in tree.find("mark")] == ["the answer is 42"] * 2
    # attribute values are escaped too (the marker's tooltip quotes the passage)
    title = tree.find("a")[0][0]["title"] or ""
    assert "<script>alert('x')</script>" in title  # decoded by the parser, so it was escaped


@pytest.mark.parametrize(
    "markup",
    [
        answer_html(answered()),
        answer_html(refused()),
        search_html(SEARCH_QUERY, hits()),
        listing_html([["a", 1]], ["x", "y"], "T"),
    ],
)
def test_self_contained(markup: str) -> None:
    assert "<script" not in markup.lower()
    assert not re.search(r"\b(src|srcset)=", markup)
    assert "@import" not in markup and "url(" not in markup
    assert all(href.startswith("#") for href in re.findall(r'href="([^"]*)"', markup))
    assert markup.count("<style>") == 1
    _parse(markup)


def test_colours_work_in_light_and_dark_themes() -> None:
    css = re.search(r"<style>(.*)</style>", answer_html(answered()), re.S)
    assert css is not None
    # No fixed text or page background colour: text inherits the theme's colour.
    assert not re.search(r"(?<![-\w])color:\s*#(?:000|fff)", css.group(1), re.I)
    assert not re.search(r"background(?:-color)?:\s*(?:#fff|white|#000|black)\b", css.group(1))
    assert "currentColor" in css.group(1)


def test_distinct_answers_get_distinct_anchors() -> None:
    first = re.findall(r'id="([^"]+)"', answer_html(answered()))
    second = re.findall(r'id="([^"]+)"', answer_html(refused()))
    assert first and second and not set(first) & set(second)
    assert answer_html(answered()) == answer_html(answered())  # deterministic


def test_answer_repr_html_and_markdown_use_the_renderers() -> None:
    from ragkit.render import answer_markdown

    answer = answered()
    assert answer._repr_html_() == answer_html(answer)
    assert answer._repr_markdown_() == answer_markdown(answer)


def test_search_html() -> None:
    tree = _parse(search_html(SEARCH_QUERY, hits()))
    rows = tree.find("tr")
    assert len(rows) == 4  # header + 3 hits
    assert "3 hits" in tree.find("div", "rk-title")[0][1]
    marked = {text.lower() for _, text in tree.find("mark")}
    assert {"impact", "loss", "integrity"} <= marked
    assert "of" not in marked  # stopwords are not highlighted
    assert len(tree.find("details", "rk-more")) == 3
    cells = [text for _, text in tree.find("td")]
    assert cells[:3] == ["1", "0.82", "nist_fips199.pdfp.6 · Security Objectives"]
    assert len(tree.find("span", "rk-mini")) == 3
    widths = re.findall(r'<span style="width:([\d.]+)%">', search_html(SEARCH_QUERY, hits()))
    assert widths == ["82.0", "77.0", "8.0"]


def test_search_html_escapes_and_handles_no_hits() -> None:
    markup = search_html("<img src=x>", [])
    assert "<img" not in markup and "No passages matched." in markup
    assert "0 hits" in markup


def test_listing_html() -> None:
    from datetime import UTC, datetime

    rows = [["corpora/a", "<A>", datetime(2024, 5, 1, 12, 3, tzinfo=UTC), 2.0, None]]
    tree = _parse(listing_html(rows, ["corpus", "name", "created", "n", "empty"], "Corpora"))
    assert [text for _, text in tree.find("th")] == ["corpus", "name", "created", "n", "empty"]
    cells = tree.find("td")
    assert [text for _, text in cells] == ["corpora/a", "<A>", "2024-05-01 12:03", "2", ""]
    assert cells[3][0]["class"] == "rk-n"
    assert "Corpora (1)" in tree.find("div", "rk-title")[0][1]
    assert "Nothing to list." in listing_html([], ["x"], "Empty")


def test_hit_without_score_or_file() -> None:
    from ragkit.qa.answer import Passage

    hit = Passage(
        chunk="corpora/c/documents/d/chunks/k",
        document="corpora/c/documents/d",
        file=None,
        text="Loose text.",
    )
    tree = _parse(search_html("loose", [hit]))
    cells = [text for _, text in tree.find("td")]
    assert cells[1] == "—" and cells[2] == "corpora/c/documents/d"
    assert not tree.find("span", "rk-mini")
