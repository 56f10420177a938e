"""Multi-turn questions: fold the previous user turn into a short or anaphoric follow-up."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ragkit.engine.aqa.text import tokenize, words

# Words that point back at something named earlier in the conversation.
_ANAPHORA = words("""
    it its it's they them their theirs this that these those he him his she her hers there
    then such same former latter one ones
    """)
_FOLLOW_UP = re.compile(r"^\s*(?:and|what about|how about|and what about|also|but)\b", re.I)


def needs_context(question: str) -> bool:
    """True when ``question`` likely leans on an earlier turn.

    >>> needs_context("How often should they be rotated?"), needs_context("Who built the bridge?")
    (True, False)
    """
    tokens = tokenize(question)
    topic = [t for t in tokens if not t.is_stopword]
    # "And in 1932?", "What about Paris?", "Why?": elliptical follow-ups.
    if _FOLLOW_UP.match(question) or len(topic) <= 1:
        return True
    return any(t.lower in _ANAPHORA for t in tokens)


def previous_user_turn(history: Sequence[tuple[str, str]]) -> str:
    """The text of the last user turn before the current question ("" when none)."""
    for role, text in reversed(history):
        if role.lower() == "user" and text.strip():
            return text
    return ""


def context_for(question: str, history: Sequence[tuple[str, str]]) -> str:
    """Earlier-turn text whose topic words should join the question (maybe "").

    ``history`` holds ``(role, text)`` turns before the question, oldest first; roles are
    "user" and "model" as in the API's ``contents``.

    >>> context_for("How often should they be rotated?",
    ...             [("user", "What does the guide say about API keys?"), ("model", "...")])
    'What does the guide say about API keys?'
    """
    if not history or not needs_context(question):
        return ""
    return previous_user_turn(history)
