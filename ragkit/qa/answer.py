"""The answer ragkit gives: text, a verdict, and citations down to file, page and quote.

One ``Answer`` comes out of both query modes and every backend, and every renderer
(terminal, Markdown, JSON, notebook HTML) reads only this model.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Verdict = Literal["answered", "refused"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Citation(_Frozen):
    """A passage the answer relies on, resolved to where it came from."""

    number: int = Field(description="1-based footnote number, as shown next to the answer.")
    chunk: str = Field(description="Chunk resource name: corpora/…/documents/…/chunks/….")
    document: str = Field(description="Document resource name.")
    file: str | None = Field(description="Source file (path relative to the ingested folder).")
    title: str | None = Field(None, description="Document title.")
    pages: tuple[int, int] | None = Field(
        None, description="First and last page of the passage (PDFs); None for other files."
    )
    section: str | None = Field(None, description="Section heading the passage sits under.")
    quote: str = Field(description="The passage text.")
    answer_span: tuple[int, int] | None = Field(
        None, description="Character span of the answer inside `quote`, when found verbatim."
    )
    score: float | None = Field(None, description="Retrieval relevance score in [0, 1].")

    def location(self) -> str:
        """``report.pdf p.12`` / ``report.pdf pp.3-4`` / ``notes.md``."""
        return _location(self.file or self.document, self.pages)


class SentenceAttribution(_Frozen):
    """One sentence of the answer and the citations (by number) that support it."""

    sentence: str
    citations: tuple[int, ...]
    supported: bool


class Passage(_Frozen):
    """A retrieved passage: a search hit, or what a refusal shows as nearest."""

    chunk: str
    document: str
    file: str | None
    title: str | None = None
    pages: tuple[int, int] | None = None
    section: str | None = None
    text: str
    score: float | None = None

    def location(self) -> str:
        """``report.pdf p.12`` / ``report.pdf pp.3-4`` / ``notes.md``."""
        return _location(self.file or self.document, self.pages)


class Timings(_Frozen):
    """Seconds spent in each step."""

    retrieval: float | None = None
    generation: float | None = None
    total: float


class Answer(_Frozen):
    """A question's answer, or a refusal, with everything needed to check it.

    ``answered`` is False when ``answerable_probability`` is at or below
    ``threshold``; the text is then the refusal and ``nearest`` holds the passages
    that came closest.
    """

    question: str
    text: str = Field(description="The answer, or the refusal message.")
    answered: bool
    style: str
    answerable_probability: float | None
    threshold: float
    mode: Literal["inline", "server"]
    corpus: str
    citations: tuple[Citation, ...] = ()
    sentences: tuple[SentenceAttribution, ...] = ()
    nearest: tuple[Passage, ...] = ()
    model_answer: str | None = Field(
        None, description="What the model answered, kept when ragkit refused it."
    )
    timings: Timings
    raw: dict[str, Any] = Field(default_factory=dict, description="The generateAnswer response.")

    @property
    def verdict(self) -> Verdict:
        """``answered`` or ``refused``."""
        return "answered" if self.answered else "refused"

    @property
    def unsupported_sentences(self) -> tuple[SentenceAttribution, ...]:
        """Answer sentences no cited passage supports (flagged to the reader)."""
        return tuple(sentence for sentence in self.sentences if not sentence.supported)

    def __rich__(self) -> Any:
        from ragkit.render.terminal import answer_renderable

        return answer_renderable(self)

    def _repr_html_(self) -> str:
        from ragkit.render.html import answer_html

        return answer_html(self)

    def _repr_markdown_(self) -> str:
        from ragkit.render.markdown import answer_markdown

        return answer_markdown(self)


def _location(name: str, pages: tuple[int, int] | None) -> str:
    if pages is None:
        return name
    first, last = pages
    return f"{name} p.{first}" if first == last else f"{name} pp.{first}-{last}"
