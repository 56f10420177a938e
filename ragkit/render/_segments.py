"""Split an answer's text into sentences carrying their footnote numbers.

Every renderer prints the answer the same way: the original text (its spacing and
line breaks kept), each sentence followed by the numbers of the citations that
support it, unsupported sentences flagged. This module finds where each attributed
sentence sits in the text so the renderers only decide how to draw a marker.
"""

from __future__ import annotations

from dataclasses import dataclass

from ragkit.qa.answer import Answer


@dataclass(frozen=True)
class Segment:
    """A run of answer text: a sentence with its markers, or the text between sentences."""

    text: str
    citations: tuple[int, ...] = ()
    unsupported: bool = False


def answer_segments(answer: Answer) -> tuple[Segment, ...]:
    """The answer text cut into sentences (with citation numbers) and the gaps between them.

    Without sentence attributions the whole text is one segment citing every source.
    If a sentence cannot be found in the text (a backend that normalised it), the
    sentences are shown joined by spaces instead, so no marker lands in the wrong place.
    """
    text = answer.text
    if not answer.sentences:
        return (Segment(text, tuple(citation.number for citation in answer.citations)),)
    segments: list[Segment] = []
    cursor = 0
    for sentence in answer.sentences:
        at = text.find(sentence.sentence, cursor)
        if at < 0:
            return _joined(answer)
        if at > cursor:
            segments.append(Segment(text[cursor:at]))
        segments.append(Segment(sentence.sentence, sentence.citations, not sentence.supported))
        cursor = at + len(sentence.sentence)
    if cursor < len(text):
        segments.append(Segment(text[cursor:]))
    return tuple(segments)


def _joined(answer: Answer) -> tuple[Segment, ...]:
    segments: list[Segment] = []
    for index, sentence in enumerate(answer.sentences):
        if index:
            segments.append(Segment(" "))
        segments.append(Segment(sentence.sentence, sentence.citations, not sentence.supported))
    return tuple(segments)
