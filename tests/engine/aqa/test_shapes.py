"""Shaped answers: lists, conditions, definitions, objects and "Key: value" lines."""

from __future__ import annotations

import pytest

from ragkit.engine.aqa import Passage, answer
from ragkit.engine.aqa.question import question_shape


@pytest.mark.parametrize(
    ("question", "shape"),
    [
        ("What are the three levels of potential impact?", ("list", (), 3)),
        ("Which Wasm runtimes can run standalone files?", ("list", (), 0)),
        ("What does the term information technology include?", ("list", (), 0)),
        ("When is the potential impact high?", ("condition", (), 0)),
        ("When should you use raw strings?", ("condition", (), 0)),
        ("What is a docstring?", ("definition", ("docstr",), 0)),
        ("What does SCADA stand for?", ("definition", ("scada",), 0)),
        ("What does FIPS 199 define?", ("object", ("defin",), 0)),
        # Not shaped: a past "when" asks for a date; "what does X do before Y" has no
        # clear verb at the end; "which process" is singular.
        ("When was the bridge opened?", ("", (), 0)),
        ("What do ducks make before breeding?", ("", (), 0)),
        ("Which process was used?", ("", (), 0)),
    ],
)
def test_question_shapes(question: str, shape: tuple[str, tuple[str, ...], int]) -> None:
    assert question_shape(question) == shape


def _extractive(question: str, *texts: str) -> str:
    passages = [Passage(f"p{i}", (t,)) for i, t in enumerate(texts)]
    return answer(question, passages, style="EXTRACTIVE").text


@pytest.mark.parametrize(
    ("question", "text", "span"),
    [
        (
            "What are the two forms of docstrings?",
            "There are two forms of docstrings: one-liners and multi-line docstrings.",
            "one-liners and multi-line docstrings",
        ),
        (
            "Which features depend on JavaScript?",
            "Various features, like C++ exceptions, setjmp, and pthreads, depend on JavaScript.",
            "C++ exceptions, setjmp, and pthreads",
        ),
        (
            "When should you use raw triple quotes?",
            'Use r"""raw triple quotes""" if you use any backslashes in your docstrings.',
            "if you use any backslashes in your docstrings",
        ),
        (
            "When is the worst result some dirty looks?",
            "If you violate these conventions, the worst you'll get is some dirty looks.",
            "If you violate these conventions",
        ),
        (
            "What is a loss of integrity?",
            "A loss of integrity is the unauthorized modification or destruction of information.",
            "the unauthorized modification or destruction of information",
        ),
        (
            "What is OCR?",
            "Optical Character Recognition (OCR) is the process of extracting text from images.",
            "the process of extracting text from images",
        ),
        (
            "What is an information system?",
            "INFORMATION SYSTEM: A discrete set of information resources organized for the "
            "collection, processing, maintenance, use, sharing, dissemination, or disposition "
            "of information.",
            "A discrete set of information resources",
        ),
        (
            "What does Mozilla's manifesto outline?",
            "Mozilla has a manifesto, which outlines goals, principles, and a pledge.",
            "goals, principles, and a pledge",
        ),
    ],
)
def test_shaped_spans(question: str, text: str, span: str) -> None:
    assert _extractive(question, text).startswith(span)


def test_key_value_header_answers_from_its_block() -> None:
    header = "PEP: 257\nTitle: Docstring Conventions\nStatus: Active\nType: Informational"
    assert _extractive("What is the status of PEP 257?", header) == "Active"


def test_a_number_of_the_question_is_not_its_answer() -> None:
    header = "PEP: 257\nTitle: Docstring Conventions\nCreated: 29-May-2001"
    assert _extractive("When was PEP 257 created?", header) == "29-May-2001"


def test_list_with_the_asked_count_wins() -> None:
    text = "Plans come in two tiers, free and paid, and three sizes: small, medium and large."
    assert _extractive("What are the three sizes?", text) == "small, medium and large"


@pytest.mark.parametrize(
    ("question", "text", "span"),
    [
        (
            "What does SCADA stand for?",
            "A power plant contains a SCADA (supervisory control and data acquisition) system.",
            "supervisory control and data acquisition",
        ),
        (
            "What does NIST stand for?",
            "The series of the National Institute of\nStandards and Technology (NIST) is official.",
            "National Institute of\nStandards and Technology",
        ),
        (
            "What does OCR stand for?",
            "Optical Character Recognition (OCR) is the process of extracting text from images.",
            "Optical Character Recognition",
        ),
    ],
)
def test_acronym_expansions(question: str, text: str, span: str) -> None:
    assert _extractive(question, text) == span


@pytest.mark.parametrize(
    ("question", "text", "reason"),
    [
        (
            "Why is text extraction from PDFs hard?",
            "PDF files don't store text in a semantically meaningful way. For this reason, "
            "text extraction from PDFs is hard.",
            "PDF files don't store text in a semantically meaningful way.",
        ),
        (
            "Why are triple quotes used even though the string fits on one line?",
            "- Triple quotes are used even though the string fits on one line.\n"
            "This makes it easy to later expand it.",
            "This makes it easy to later expand it.",
        ),
    ],
)
def test_why_questions_take_the_reason_next_door(question: str, text: str, reason: str) -> None:
    a = answer(question, [Passage("p", (text,))], style="ABSTRACTIVE")
    assert a.text == reason
