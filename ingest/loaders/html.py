"""HTML loader: the page's main text with its title and heading structure.

Boilerplate goes before any text is read: scripts, styles, forms, navigation,
sidebars, footers, cookie banners, edit links, tables of contents, citation
markers. What is left is walked in document order; every heading starts a
section, and paragraphs, list items, table rows and code blocks become blocks.
"""

from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup
from bs4.element import (
    Comment,
    Declaration,
    Doctype,
    NavigableString,
    ProcessingInstruction,
    Tag,
)

from ingest.loaders._builder import BlockBuilder
from ingest.model import LoadedDocument

_DROP_TAGS = (
    "script style noscript template svg canvas iframe object embed head link meta "
    "button input select option textarea nav aside footer map audio video dialog"
).split()
_DROP_ROLES = frozenset(
    "navigation banner contentinfo search complementary menu menubar toolbar dialog alert".split()
)
# Words in class or id values that mark page furniture rather than content.
_FURNITURE = frozenset(
    """nav navbar navbox navigation navframe menu menubar dropdown toolbar sidebar
    breadcrumb breadcrumbs footer toc editsection catlinks printfooter noprint sitesub
    contentsub indicators jump skip share sharing social cookie cookies consent banner
    advert advertisement ads sponsored related comments comment reply respond subscribe
    newsletter signup login search pagination paging widget widgets backlink""".split()
)
# Furniture words are only trusted on containers: inside code, "comment" is a token class.
_SKIP_LINKS = frozenset({"jump", "skip"})
_CONTAINERS = frozenset(
    "div section aside nav ul ol table form footer header details dl figure span sup".split()
)
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_BLOCKS = frozenset(
    """p div section article main header li ul ol dl dt dd blockquote figure figcaption
    caption address details summary hr center fieldset legend""".split()
)
_WORD_SPLIT = re.compile(r"[-_\s]+")
_SPACES = re.compile(r"[ \t\r\n\f]+")
_DISPLAYSTYLE = re.compile(r"^\{\\displaystyle\s*(.*)\}$", re.DOTALL)


def _words(tag: Tag) -> set[str]:
    """The words of a tag's class and id values ("mw-jump-link" -> mw, jump, link)."""
    words: set[str] = set()
    for attr in ("class", "id"):
        value = tag.get(attr)
        for item in value if isinstance(value, list) else [value] if value else []:
            words.update(_WORD_SPLIT.split(str(item).lower()))
    return words


def _is_furniture(tag: Tag) -> bool:
    if tag.name in _DROP_TAGS:
        return True
    if tag.get("role") in _DROP_ROLES or tag.get("aria-hidden") == "true":
        return True
    if tag.has_attr("hidden"):
        return True
    if tag.name == "a":
        # "Skip to content" links, and heading permalinks drawn as "#" or "¶".
        if _words(tag) & _SKIP_LINKS:
            return True
        href = str(tag.get("href") or "")
        return href.startswith("#") and not any(c.isalnum() for c in tag.get_text())
    if tag.name not in _CONTAINERS or tag.find_parent(("pre", "code")) is not None:
        return False
    words = _words(tag)
    if tag.name == "sup" and "reference" in words:
        return True  # Wikipedia's "[12]" citation markers
    return bool(words & _FURNITURE)


def _pre_text(tag: Tag) -> str:
    """A code block's text with its line breaks, also those drawn with ``<br>``."""
    parts: list[str] = []
    for node in tag.descendants:
        if isinstance(node, Tag) and node.name == "br":
            parts.append("\n")
        elif isinstance(node, NavigableString) and not isinstance(node, Comment):
            parts.append(str(node))
    return "".join(parts)


def _replace_math(soup: BeautifulSoup) -> None:
    """Render MathML as its TeX source (when given) instead of flattened glyphs."""
    for math in soup.find_all("math"):
        tex = math.get("alttext")
        text = str(tex) if tex else math.get_text(" ")
        matched = _DISPLAYSTYLE.match(text.strip())
        text = matched.group(1).strip() if matched else text.strip()
        # Wikipedia hides the MathML in a display:none span next to an image
        # fallback; replace the whole wrapper.
        wrapper = math.find_parent(class_="mwe-math-element") or math
        wrapper.replace_with(f" {text} ")


def _main_content(soup: BeautifulSoup) -> Tag:
    articles = soup.find_all("article")
    if len(articles) == 1:
        return articles[0]
    for found in (soup.find("main"), soup.find(None, {"role": "main"}), soup.body):
        if isinstance(found, Tag):
            return found
    return soup


def _text_of(tag: Tag) -> str:
    return " ".join(tag.get_text(" ").split())


def _title(soup: BeautifulSoup, root: Tag) -> str | None:
    h1s = root.find_all("h1")
    if len(h1s) == 1 and _text_of(h1s[0]):
        return _text_of(h1s[0])
    og = soup.find("meta", attrs={"property": "og:title"})
    if isinstance(og, Tag) and og.get("content"):
        return " ".join(str(og["content"]).split())
    if soup.title and soup.title.get_text().strip():
        return " ".join(soup.title.get_text().split())
    return None


class _Walker:
    """Turns the cleaned DOM into blocks, tracking the heading path."""

    def __init__(self, title: str) -> None:
        self.out = BlockBuilder(title)
        self.inline: list[str] = []
        self.prefix = ""

    def flush(self) -> None:
        text = "".join(self.inline)
        self.inline.clear()
        lines = [" ".join(line.split()) for line in text.split("\n")]
        joined = "\n".join(line for line in lines if line)
        if joined:
            self.out.add(self.prefix + joined)
        self.prefix = ""

    def table(self, tag: Tag) -> None:
        self.flush()
        rows = []
        for row in tag.find_all("tr"):
            cells = [_text_of(cell) for cell in row.find_all(("th", "td"))]
            cells = [cell for cell in cells if cell]
            if cells:
                rows.append(" | ".join(cells))
        caption = tag.find("caption")
        if isinstance(caption, Tag) and _text_of(caption):
            rows.insert(0, _text_of(caption))
        if rows:
            self.out.add("\n".join(rows))

    def walk(self, node: Tag) -> None:
        for child in node.children:
            if isinstance(child, Comment | Declaration | Doctype | ProcessingInstruction):
                continue
            if isinstance(child, NavigableString):
                self.inline.append(_SPACES.sub(" ", str(child)))
            elif isinstance(child, Tag):
                self.visit(child)

    def visit(self, tag: Tag) -> None:
        name = tag.name
        if name in _HEADINGS:
            self.flush()
            self.out.heading(_HEADINGS[name], _text_of(tag))
        elif name == "pre":
            self.flush()
            self.out.add(_pre_text(tag), verbatim=True)
        elif name == "table":
            self.table(tag)
        elif name == "br":
            self.inline.append("\n")
        elif name in _BLOCKS:
            self.flush()
            if name == "li":
                self.prefix = "- "
            self.walk(tag)
            self.flush()
        else:
            self.walk(tag)


class HtmlLoader:
    """Loads saved web pages (``.html``, ``.htm``)."""

    kind = "html"
    suffixes = (".html", ".htm", ".xhtml")

    def load(self, path: Path) -> LoadedDocument:
        """Main text of the page, one block per paragraph, list item or table.

        >>> doc = HtmlLoader().load(Path("tests/fixtures/docs/v8_blog_wasm_standalone.html"))
        >>> doc.title
        'Outside the web: standalone WebAssembly binaries using Emscripten'
        """
        # Bytes, so that bs4 honours the page's declared or sniffed encoding.
        soup = BeautifulSoup(path.read_bytes(), "html.parser")
        _replace_math(soup)
        root = _main_content(soup)
        title = _title(soup, root) or path.stem
        for tag in root.find_all(_is_furniture):
            if not tag.decomposed:
                tag.decompose()
        walker = _Walker(title=title)
        walker.walk(root)
        walker.flush()
        return walker.out.finish(path, self.kind)
