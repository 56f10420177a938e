"""Reasons stated next to the sentence that restates a "why" question.

Documents often give a reason in one sentence and point at it from the next ("PDF files
don't store text in a semantically meaningful way. For this reason, text extraction from
PDFs is hard.") or state a fact and explain it right after ("Triple quotes are used even
though the string fits on one line. This makes it easy to later expand it."). The
sentence that matches a "why" question best is then the restatement; the answer is its
neighbour.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence

from ragkit.engine.aqa.sentences import Sentence, SentenceMatch

# The sentence points back at the reason before it.
_BACKWARD = re.compile(
    r"^(?:for (?:this|that|these|those) reasons?|this is why|that is why|that's why|therefore|"
    r"hence|thus|as a result|consequently)\b",
    re.IGNORECASE,
)
# The next sentence explains the one before it.
_FORWARD = re.compile(
    r"^(?:(?:this|that|it) (?:is because|makes|allows|lets|ensures|means|avoids|helps)|"
    r"because|the reason)\b",
    re.IGNORECASE,
)


def reason_neighbour(chosen: SentenceMatch, sentences: Sequence[Sentence]) -> SentenceMatch | None:
    """The neighbour of ``chosen`` that states the reason, matched as well as ``chosen``.

    The pair answers together, so the neighbour keeps ``chosen``'s match figures (the
    answerability features then describe the pair).
    """
    s = chosen.sentence
    before = sentences[s.index - 1] if s.index > 0 else None
    after = sentences[s.index + 1] if s.index + 1 < len(sentences) else None
    if before is not None and before.passage_index == s.passage_index and _BACKWARD.search(s.text):
        return dataclasses.replace(chosen, sentence=before)
    if (
        after is not None
        and after.passage_index == s.passage_index
        and _FORWARD.search(after.text.lstrip("-•*− "))
    ):
        return dataclasses.replace(chosen, sentence=after)
    return None
