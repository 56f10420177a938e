"""Hand-built answers for the render tests and for docs/example-answer.html.

The passages are real text from NIST FIPS PUB 199 (tests/fixtures/docs/nist_fips199.pdf,
public domain), with the page numbers pypdf reports for them. Run this module to
rewrite docs/example-answer.html after changing a renderer:

    .venv/bin/python -m tests.render.examples
"""

from __future__ import annotations

from pathlib import Path

from ragkit.qa.answer import Answer, Citation, Passage, SentenceAttribution, Timings

DOC = "corpora/fips/documents/nist-fips199-pdf"
EXAMPLE_HTML = Path(__file__).resolve().parents[2] / "docs" / "example-answer.html"

OBJECTIVES = (
    "Security Objectives\nThe FISMA defines three security objectives for information and "
    "information systems:\nCONFIDENTIALITY\n“Preserving authorized restrictions on information "
    "access and disclosure, including means for protecting personal privacy and proprietary "
    "information…” [44 U.S.C., Sec. 3542]\nA loss of confidentiality is the unauthorized "
    "disclosure of information.\nINTEGRITY\n“Guarding against improper information modification "
    "or destruction, and includes ensuring information non-repudiation and authenticity…” "
    "[44 U.S.C., Sec. 3542]\nA loss of integrity is the unauthorized modification or destruction "
    "of information.\nAVAILABILITY\n“Ensuring timely and reliable access to and use of "
    "information…” [44 U.S.C., SEC. 3542]\nA loss of availability is the disruption of access to "
    "or use of information or an information system."
)
HIGH_IMPACT = (
    "The potential impact is HIGH if—\n−  The loss of confidentiality, integrity, or availability "
    "could be expected to have a severe or catastrophic adverse effect on organizational "
    "operations, organizational assets, or individuals.\nAMPLIFICATION: A severe or catastrophic "
    "adverse effect means that, for example, the loss of confidentiality, integrity, or "
    "availability might: (i) cause a severe degradation in or loss of mission capability to an "
    "extent and duration that the organization is not able to perform one or more of its primary "
    "functions; (ii) result in major damage to organizational assets; (iii) result in major "
    "financial loss; or (iv) result in severe or catastrophic harm to individuals involving loss "
    "of life or serious life threatening injuries."
)
PURPOSE = (
    "FIPS Publication 199 addresses the first task cited—to develop standards for categorizing "
    "information and information systems. Security categorization standards for information and "
    "information systems provide a common framework and understanding for expressing security "
    "that, for the federal government, promotes: (i) effective management and oversight of "
    "information security programs, including the coordination of information security efforts "
    "throughout the civilian, national security, emergency preparedness, homeland security, and "
    "law enforcement communities; and (ii) consistent reporting to the Office of Management and "
    "Budget (OMB) and Congress on the adequacy and effectiveness of information security "
    "policies, procedures, and practices."
)


def span(text: str, needle: str) -> tuple[int, int]:
    """The span of ``needle`` in ``text`` (it must be there)."""
    start = text.index(needle)
    return start, start + len(needle)


def answered() -> Answer:
    """Two citations (one over a page range), three sentences, the last one unsupported."""
    sentences = (
        SentenceAttribution(
            sentence="FISMA defines three security objectives: confidentiality, integrity "
            "and availability.",
            citations=(1,),
            supported=True,
        ),
        SentenceAttribution(
            sentence="Losing one of them has a high impact when the effect on operations, "
            "assets or individuals could be severe or catastrophic.",
            citations=(2,),
            supported=True,
        ),
        SentenceAttribution(
            sentence="Agencies must recategorize every system once a year.",
            citations=(),
            supported=False,
        ),
    )
    return Answer(
        question="What security objectives does FISMA define, and when is the impact of "
        "losing one high?",
        text=" ".join(sentence.sentence for sentence in sentences),
        answered=True,
        style="VERBOSE",
        answerable_probability=0.87,
        threshold=0.5,
        mode="inline",
        corpus="corpora/fips",
        citations=(
            Citation(
                number=1,
                chunk=f"{DOC}/chunks/objectives01",
                document=DOC,
                file="nist_fips199.pdf",
                title="Standards for Security Categorization of Federal Information and "
                "Information Systems",
                pages=(6, 6),
                section="Security Objectives",
                quote=OBJECTIVES,
                answer_span=span(OBJECTIVES, "three security objectives"),
                score=0.91,
            ),
            Citation(
                number=2,
                chunk=f"{DOC}/chunks/highimpact02",
                document=DOC,
                file="nist_fips199.pdf",
                title=None,
                pages=(6, 7),
                section="Potential Impact on Organizations and Individuals",
                quote=HIGH_IMPACT,
                answer_span=span(HIGH_IMPACT, "a severe or catastrophic adverse effect"),
                score=0.74,
            ),
        ),
        sentences=sentences,
        timings=Timings(retrieval=0.042, generation=0.318, total=0.371),
    )


def refused() -> Answer:
    """A refusal with the model's below-threshold answer and two nearest passages."""
    return Answer(
        question="What fine does an agency pay for miscategorizing a system?",
        text="The documents don't answer this question.",
        answered=False,
        style="ABSTRACTIVE",
        answerable_probability=0.12,
        threshold=0.5,
        mode="server",
        corpus="corpora/fips",
        nearest=(
            Passage(
                chunk=f"{DOC}/chunks/highimpact02",
                document=DOC,
                file="nist_fips199.pdf",
                pages=(7, 7),
                section="Potential Impact on Organizations and Individuals",
                text=HIGH_IMPACT,
                score=0.41,
            ),
            Passage(
                chunk=f"{DOC}/chunks/purpose0001",
                document=DOC,
                file="nist_fips199.pdf",
                pages=(5, 5),
                section="1 Purpose",
                text=PURPOSE,
                score=0.33,
            ),
        ),
        model_answer="result in major financial loss",
        timings=Timings(retrieval=0.051, generation=0.204, total=0.262),
    )


HOSTILE = "<script>alert('x')</script> [bold red]boom[/] *stars* _under_ $x^2$ | pipe &amp; <b>"


def hostile() -> Answer:
    """Every document-derived string carries markup for HTML, Markdown, rich and LaTeX."""
    quote = f"Intro {HOSTILE} the answer is 42 {HOSTILE}"
    return Answer(
        question=f"Is {HOSTILE} escaped?",
        text=f"The answer is 42 {HOSTILE}.",
        answered=True,
        style="EXTRACTIVE",
        answerable_probability=0.66,
        threshold=0.5,
        mode="inline",
        corpus="corpora/x",
        citations=(
            Citation(
                number=1,
                chunk="corpora/x/documents/d/chunks/c",
                document="corpora/x/documents/d",
                file=f"{HOSTILE}.md",
                title=HOSTILE,
                section=HOSTILE,
                quote=quote,
                answer_span=span(quote, "the answer is 42"),
                score=0.5,
            ),
        ),
        timings=Timings(total=0.1),
    )


def hits() -> tuple[Passage, ...]:
    """Three search hits for "impact levels of a loss of integrity"."""
    return (
        Passage(
            chunk=f"{DOC}/chunks/objectives01",
            document=DOC,
            file="nist_fips199.pdf",
            pages=(6, 6),
            section="Security Objectives",
            text=OBJECTIVES,
            score=0.82,
        ),
        Passage(
            chunk=f"{DOC}/chunks/highimpact02",
            document=DOC,
            file="nist_fips199.pdf",
            pages=(6, 7),
            section="Potential Impact on Organizations and Individuals",
            text=HIGH_IMPACT,
            score=0.77,
        ),
        Passage(
            chunk="corpora/fips/documents/pep0257-rst/chunks/abc",
            document="corpora/fips/documents/pep0257-rst",
            file="pep0257.rst",
            section="What is a Docstring?",
            text="A docstring is a string literal that occurs as the first statement in a "
            "module, function, class, or method definition.",
            score=0.08,
        ),
    )


SEARCH_QUERY = "impact of a loss of integrity"


def example_page() -> str:
    """docs/example-answer.html: the answer, a refusal and a search, in light and dark."""
    from ragkit.render.html import answer_html, search_html

    body = (
        "<h2>Answer</h2>"
        + answer_html(answered())
        + "<h2>Refusal</h2>"
        + answer_html(refused())
        + "<h2>Search</h2>"
        + search_html(SEARCH_QUERY, hits())
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        "<title>ragkit: example answer</title>"
        "<style>body{margin:0;font:15px/1.5 system-ui,sans-serif;display:flex;flex-wrap:wrap}"
        ".theme{flex:1 1 34rem;padding:1rem 1.5rem}.light{background:#fff;color:#1f2328}"
        ".dark{background:#1e1e1e;color:#d4d4d4}h1,h2{font-weight:600}h2{font-size:1.05em;"
        "margin:1.6em 0 .4em;opacity:.6}</style></head><body>\n"
        f'<section class="theme light"><h1>Light theme</h1>{body}</section>\n'
        f'<section class="theme dark"><h1>Dark theme</h1>{body}</section>\n'
        "</body></html>\n"
    )


if __name__ == "__main__":
    EXAMPLE_HTML.parent.mkdir(exist_ok=True)
    EXAMPLE_HTML.write_text(example_page(), encoding="utf-8")
    print(f"wrote {EXAMPLE_HTML}")
