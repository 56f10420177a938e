"""The API's documented limits as named constants (reference §5).

Models enforce the per-message limits (metadata entries, string lengths, batch sizes, chunk
tokens, results count). Per-corpus counts and page-size maxima are server decisions: the
engine enforces or clamps them using these same constants.
"""

from __future__ import annotations

from typing import Final

MAX_CHUNK_TOKENS: Final = 2043
"""Tokens allowed in one chunk's ``data.stringValue``."""
MAX_BATCH_REQUESTS: Final = 100
"""Sub-requests allowed in ``chunks:batchCreate`` / ``chunks:batchUpdate``."""
MAX_CUSTOM_METADATA: Final = 20
"""``customMetadata`` entries allowed on one Document or Chunk."""
MAX_STRING_LIST_VALUES: Final = 10
"""Strings allowed in one ``stringListValue.values``."""
MAX_STRING_VALUE_CHARS: Final = 256
"""Characters allowed in a custom metadata ``stringValue``."""
MAX_DISPLAY_NAME_CHARS: Final = 512
"""Characters allowed in a Corpus or Document ``displayName``."""
MAX_DOCUMENTS_PER_CORPUS: Final = 10_000
"""Documents one corpus may hold."""
MAX_CHUNKS_PER_CORPUS: Final = 1_000_000
"""Chunks one corpus may hold (over all its documents)."""
MAX_ID_CHARS: Final = 40
"""Characters allowed in a corpus, document, chunk or permission ID."""

DEFAULT_CORPORA_PAGE_SIZE: Final = 10
MAX_CORPORA_PAGE_SIZE: Final = 20
DEFAULT_DOCUMENTS_PAGE_SIZE: Final = 10
MAX_DOCUMENTS_PAGE_SIZE: Final = 20
DEFAULT_CHUNKS_PAGE_SIZE: Final = 10
MAX_CHUNKS_PAGE_SIZE: Final = 100
DEFAULT_PERMISSIONS_PAGE_SIZE: Final = 10
MAX_PERMISSIONS_PAGE_SIZE: Final = 1000

DEFAULT_RESULTS_COUNT: Final = 10
"""``resultsCount`` of a query when unset (or 0, which proto3 cannot tell from unset)."""
MAX_RESULTS_COUNT: Final = 100
"""Largest ``resultsCount`` of ``corpora:query`` / ``documents:query``."""
MAX_EMBED_BATCH: Final = 100
"""Sub-requests allowed in ``batchEmbedContents``."""
