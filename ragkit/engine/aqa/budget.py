"""The input-token budget of ``models/aqa``: trailing passages that overflow are dropped."""

from __future__ import annotations

from collections.abc import Sequence

from ragkit.engine.aqa.types import Passage
from ragkit.tokens import count_tokens

# Google's AQA guide: "the model's context (7168 input tokens) overflows, the trailing
# passages are dropped". Passages arrive sorted by decreasing relevance.
INPUT_TOKEN_LIMIT = 7168


def passage_tokens(passage: Passage) -> int:
    """Tokens a passage costs: its parts' text (counted with the offline encoding)."""
    return sum(count_tokens(part) for part in passage.parts)


def fit_budget(
    prompt_tokens: int, passages: Sequence[Passage], limit: int = INPUT_TOKEN_LIMIT
) -> list[Passage]:
    """The leading passages that fit in ``limit`` after ``prompt_tokens`` (question+history).

    The first passage that does not fit is dropped with everything after it, as the hosted
    model does; earlier passages are never truncated.

    >>> ps = [Passage("a", ("word " * 100,)), Passage("b", ("word " * 100,))]
    >>> [p.id for p in fit_budget(10, ps, limit=150)]
    ['a']
    """
    kept: list[Passage] = []
    used = prompt_tokens
    for passage in passages:
        used += passage_tokens(passage)
        if used > limit:
            break
        kept.append(passage)
    return kept
