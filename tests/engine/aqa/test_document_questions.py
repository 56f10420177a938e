"""Plain document questions: the acceptance table of the ABSTRACTIVE answerer.

Passages are verbatim excerpts of the fixture documents (tests/fixtures/docs; origins and
licences in tests/fixtures/LICENSES.md), line breaks of the extracted text included. The
questions were written for these tests (most differ from the calibration set's
``doc_questions``; the few shared wordings are marked). ``ragkit ask`` uses ABSTRACTIVE and
refuses at answerableProbability <= 0.5, so an answerable question must score above 0.5
with the gold in the answer text, and an unanswerable one at most 0.5.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from ragkit.engine.aqa import Passage, answer
from ragkit.eval.metrics import contains_answer

THRESHOLD = 0.5
REQUIRED_RATE = 0.9

# FIPS 199, the two passages users met in the field (issue of the AQA v2 brief).
FIPS_P1 = (
    "FIPS 199 defines three levels of potential impact on organizations or individuals should "
    "there be a breach of security: low, moderate and high."
)
FIPS_P2 = (
    "The potential impact is high if the loss of confidentiality, integrity, or availability "
    "could be expected to have a severe or catastrophic adverse effect."
)
FIPS_OBJECTIVES = (
    "A loss of confidentiality is the unauthorized disclosure of information.\n"
    "INTEGRITY\n"
    "“Guarding against improper information modification or destruction, and includes "
    "ensuring\ninformation non-repudiation and authenticity...” [44 U.S.C., Sec. 3542]\n"
    "A loss of integrity is the unauthorized modification or destruction of information.\n"
    "AVAILABILITY\n"
    "“Ensuring timely and reliable access to and use of information...” [44 U.S.C., SEC. 3542]\n"
    "A loss of availability is the disruption of access to or use of information or an "
    "information system."
)
FIPS_GLOSSARY = (
    "SECURITY CONTROLS: The management, operational, and technical controls (i.e., safeguards "
    "or\ncountermeasures) prescribed for an information system to protect the "
    "confidentiality, integrity, and\navailability of the system and its information.\n"
    "SECURITY OBJECTIVE: Confidentiality, integrity, or availability."
)
FIPS_IT = (
    "The term\ninformation technology includes computers, ancillary equipment, software, "
    "firmware and similar\nprocedures, services (including support services), and related "
    "resources. [40 U.S.C., SEC. 1401]"
)
FIPS_PURPOSE = (
    "FIPS Publication 199 addresses the first task cited—to develop standards for "
    "categorizing information\nand information systems. Subsequent NIST standards and "
    "guidelines will address the second and third tasks cited."
)
PEP_QUOTES = (
    'For consistency, always use ``"""triple double quotes"""`` around\ndocstrings. Use '
    '``r"""raw triple double quotes"""`` if you use any\nbackslashes in your docstrings.\n\n'
    "There are two forms of docstrings: one-liners and multi-line\ndocstrings."
)
PEP_CLASS = (
    "The docstring for a class should summarize its behavior and list the\npublic methods "
    "and instance variables. If the class is intended to be\nsubclassed, and has an "
    "additional interface for subclasses, this\ninterface should be listed separately (in "
    "the docstring). The class\nconstructor should be documented in the docstring for its "
    "``__init__``\nmethod."
)
PEP_RATIONALE = (
    "If you violate these conventions, the worst you'll get is some dirty\nlooks. But some "
    "software (such as the Docutils_ docstring processing\nsystem :pep:`256`, :pep:`258`) "
    "will be aware of the conventions, so following them\nwill get you the best results."
)
PYPDF_MEMORY = (
    "Extracting the text of a page requires parsing its whole content stream. This can "
    "require quite a lot of memory -\nwe have seen 10 GB RAM being required for an "
    "uncompressed content stream of about 300 MB (which should not occur\nvery often)."
)
PYPDF_OCR = (
    "OCR vs. Text Extraction\n\nOptical Character Recognition (OCR) is the process of "
    "extracting text from\nimages. Software which does this is called *OCR software*. The\n"
    "[tesseract OCR engine](https://github.com/tesseract-ocr/tesseract) is the\nmost "
    "commonly known open source OCR software.\n\npypdf is **not** OCR software."
)
PYPDF_FONT = (
    "The `font_dictionary` may be `None` in case of unknown fonts.\nIf not `None`, it could "
    'contain something like the key `"/BaseFont"` with the value `"/Arial,Bold"`.'
)
V8_ADD = (
    'When emcc sees we only want Wasm then it makes it "standalone" - a Wasm file that can '
    "run by itself as much as possible, without any JavaScript runtime code from "
    "Emscripten.\n\nDisassembling it, it's very minimal - just 87 bytes! It contains the "
    "obvious add function"
)
V8_RUNTIMES = (
    "Another nice thing about standalone Wasm files is that you can run them in Wasm "
    "runtimes like wasmer, wasmtime, or WAVM. For example, consider this hello world:"
)
V8_STATUS = (
    "- WebAssembly limitations: Various features, like C++ exceptions, setjmp, and pthreads, "
    "depend on JavaScript due to Wasm limitations, and there is no good non-JS replacement "
    "yet.\n\n- WASI limitations: Libraries and APIs like OpenGL and SDL don't have "
    "corresponding WASI APIs yet."
)
V8_HEADER = (
    "Outside the web: standalone WebAssembly binaries using Emscripten\n\nPublished 21 "
    "November 2019 · Tagged with WebAssembly tooling"
)


@dataclass(frozen=True)
class Case:
    """One question asked of a few passages; ``gold`` is empty when they do not answer it."""

    question: str
    passages: tuple[str, ...]
    gold: tuple[str, ...] = ()

    def ask(self, style: str = "ABSTRACTIVE") -> tuple[str, float]:
        parts = [Passage(f"p{i}", (text,)) for i, text in enumerate(self.passages)]
        a = answer(self.question, parts, style=style)  # type: ignore[arg-type]
        return a.text, a.answerable_probability


ANSWERABLE = [
    Case(
        "What are the three levels of potential impact?",
        (FIPS_P1, FIPS_P2),
        ("low, moderate and high",),
    ),
    Case(
        "When is the potential impact high?",
        (FIPS_P1, FIPS_P2),
        ("severe or catastrophic adverse effect",),
    ),
    Case("What does FIPS 199 define?", (FIPS_P1, FIPS_P2), ("three levels of potential impact",)),
    Case(
        "What does a loss of integrity mean?",
        (FIPS_OBJECTIVES,),
        ("the unauthorized modification or destruction of information",),
    ),
    Case(
        "What is a security objective?",
        (FIPS_GLOSSARY, FIPS_IT),
        ("Confidentiality, integrity, or availability",),
    ),
    # The calibration set asks "What does the term information technology include?".
    Case(
        "What does information technology include?",
        (FIPS_GLOSSARY, FIPS_IT),
        ("computers, ancillary equipment, software",),
    ),
    Case(
        "What does FIPS Publication 199 address?",
        (FIPS_PURPOSE, FIPS_P1),
        ("to develop standards for categorizing information",),
    ),
    Case(
        "When should raw triple double quotes be used?",
        (PEP_QUOTES, PEP_CLASS),
        ("if you use any backslashes",),
    ),
    Case(
        "What should the docstring for a class list?",
        (PEP_CLASS, PEP_QUOTES),
        ("public methods and instance variables",),
    ),
    Case(
        "What is the worst you get for violating these conventions?",
        (PEP_RATIONALE,),
        ("some dirty looks",),
    ),
    Case(
        "How much RAM can a 300 MB content stream require?", (PYPDF_MEMORY, PYPDF_OCR), ("10 GB",)
    ),
    Case(
        "What is OCR?", (PYPDF_OCR, PYPDF_MEMORY), ("the process of extracting text from images",)
    ),
    Case("Which OCR software is the most commonly known?", (PYPDF_OCR,), ("tesseract OCR engine",)),
    Case(
        "When can the font_dictionary be None?",
        (PYPDF_FONT, PYPDF_MEMORY),
        ("in case of unknown fonts",),
    ),
    Case("How small is the standalone add.wasm binary?", (V8_ADD, V8_RUNTIMES), ("87 bytes",)),
    Case(
        "When does emcc make a standalone Wasm file?",
        (V8_ADD, V8_RUNTIMES),
        ("emcc sees we only want Wasm",),
    ),
    Case(
        "Which Wasm runtimes can run standalone Wasm files?",
        (V8_RUNTIMES, V8_ADD),
        ("wasmer, wasmtime, or WAVM",),
    ),
    Case(
        "Which features depend on JavaScript?",
        (V8_STATUS, V8_RUNTIMES),
        ("C++ exceptions, setjmp, and pthreads",),
    ),
    Case("Which libraries have no corresponding WASI APIs?", (V8_STATUS,), ("OpenGL and SDL",)),
    Case(
        "When was the post about standalone WebAssembly published?",
        (V8_HEADER, V8_ADD),
        ("21 November 2019",),
    ),
]

UNANSWERABLE = [
    Case("Which impact level applies to payroll systems?", (FIPS_P1, FIPS_P2)),
    Case(
        "When was the Federal Information Security Management Act amended?",
        (FIPS_OBJECTIVES, FIPS_P1),
    ),
    Case(
        "How much did federal agencies spend on information technology?", (FIPS_IT, FIPS_GLOSSARY)
    ),
    Case("How long should the summary line of a docstring be?", (PEP_CLASS, PEP_QUOTES)),
    Case("When was PEP 257 rejected?", (PEP_RATIONALE, PEP_QUOTES)),
    Case("Which Python version does pypdf require?", (PYPDF_MEMORY, PYPDF_FONT)),
    Case("Which OCR engine is the most accurate?", (PYPDF_OCR,)),
    Case("How many pages per second can pypdf extract?", (PYPDF_MEMORY, PYPDF_OCR)),
    Case("How big is the add.js file?", (V8_ADD, V8_RUNTIMES)),
    Case("Which Wasm runtime is the fastest?", (V8_RUNTIMES, V8_ADD)),
    Case("Who maintains the WAVM runtime?", (V8_RUNTIMES,)),
    Case("When will WASI support pthreads?", (V8_STATUS, V8_HEADER)),
]


def _rate(results: list[tuple[Case, str, float, bool]]) -> float:
    return sum(1 for *_, ok in results if ok) / len(results)


def _listing(results: list[tuple[Case, str, float, bool]]) -> str:
    return "\n".join(
        f"{'ok ' if ok else 'BAD'} p={p:.3f} {case.question!r} -> {text[:90]!r}"
        for case, text, p, ok in results
    )


def test_table_sizes() -> None:
    assert len(ANSWERABLE) >= 15
    assert len(UNANSWERABLE) >= 10


def test_answerable_document_questions_are_answered_with_the_gold() -> None:
    results = []
    for case in ANSWERABLE:
        text, p = case.ask()
        results.append((case, text, p, p > THRESHOLD and contains_answer(text, case.gold)))
    assert _rate(results) >= REQUIRED_RATE, _listing(results)


def test_unanswerable_document_questions_are_refused() -> None:
    results = []
    for case in UNANSWERABLE:
        text, p = case.ask()
        results.append((case, text, p, p <= THRESHOLD))
    assert _rate(results) >= REQUIRED_RATE, _listing(results)


@pytest.mark.parametrize(
    ("question", "span"),
    [
        ("What are the three levels of potential impact?", "low, moderate and high"),
        (
            "When is the potential impact high?",
            "if the loss of confidentiality, integrity, or availability could be expected to "
            "have a severe or catastrophic adverse effect",
        ),
        ("What does FIPS 199 define?", "three levels of potential impact"),
    ],
)
def test_fips_questions_get_the_right_span_and_are_answered(question: str, span: str) -> None:
    case = Case(question, (FIPS_P1, FIPS_P2))
    extractive, _ = case.ask("EXTRACTIVE")
    assert extractive.startswith(span)
    abstractive, p = case.ask("ABSTRACTIVE")
    assert p > THRESHOLD
    assert span in abstractive
