"""Stable names for what ingest stores: document IDs from paths, chunk IDs from content.

A document's ID is a readable slug of its relative path plus 12 base32 characters
(60 bits) of the path's sha256, at most 40 characters and valid under the API's ID
rule (``[a-z0-9-]``, no dash at either end):

>>> document_id("nist/SP 800-63b.pdf")
'nist-sp-800-63b-pdf-aay6ivym7eih'

Two different paths get the same ID only if their 60-bit hashes collide: for ``n``
files the chance is about ``n**2 / 2**61``, 4e-11 at the API's 10,000 documents per
corpus. The slug is for people; identity rests on the hash alone.

A chunk's ID is ``{generation}-{index}``. The *generation* hashes everything that
decides a document's chunks: its content, the chunking parameters and
:data:`INGEST_VERSION`. Equal generation and index therefore mean equal text and
metadata, so a chunk that already exists under its planned name is known to be
stored (an interrupted run resumes instead of duplicating), and chunks of another
generation are stale leftovers of an earlier version.

>>> chunk_id("k3j5h2a9qd", 7)
'k3j5h2a9qd-7'
"""

from __future__ import annotations

import base64
import hashlib
import re
import unicodedata
from pathlib import PurePath

from ragkit.types.limits import MAX_ID_CHARS

#: Bump when loaders or the chunker change what they produce for the same file:
#: every document is then re-chunked on the next ingest.
INGEST_VERSION = 1

_PATH_HASH_CHARS = 12  # 60 bits of base32
_GENERATION_CHARS = 10  # 50 bits: tells versions of one document apart
_SLUG_CHARS = MAX_ID_CHARS - _PATH_HASH_CHARS - 1
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def relative_key(path: PurePath | str) -> str:
    """The canonical form of a relative path: ``/`` separators, Unicode NFC.

    NFC makes a file synced from macOS (which stores names decomposed) keep its ID.

    >>> relative_key(PurePath("a") / "b.md")
    'a/b.md'
    """
    text = path.as_posix() if isinstance(path, PurePath) else path.replace("\\", "/")
    return unicodedata.normalize("NFC", text)


def _base32(data: bytes, length: int) -> str:
    return base64.b32encode(data).decode("ascii").lower()[:length]


def slug(text: str, length: int = _SLUG_CHARS) -> str:
    """Lowercase ASCII letters and digits of ``text``, runs of anything else as one dash.

    >>> slug("Über die Größe (2nd ed.).PDF")
    'uber-die-groe-2nd-ed-pdf'
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _NOT_SLUG.sub("-", ascii_text.lower())[:length].strip("-")


def document_id(relative: str) -> str:
    """The document ID for a file at ``relative`` (see the module docstring)."""
    key = relative_key(relative)
    tag = _base32(hashlib.sha256(key.encode("utf-8")).digest(), _PATH_HASH_CHARS)
    readable = slug(key)
    return f"{readable}-{tag}" if readable else tag


def generation(content_sha256: str, chunk_tokens: int, overlap_tokens: int) -> str:
    """The tag of one chunking of one content (see the module docstring).

    >>> len(generation("0" * 64, 300, 50))
    10
    """
    recipe = f"{content_sha256}:{chunk_tokens}:{overlap_tokens}:{INGEST_VERSION}"
    return _base32(hashlib.sha256(recipe.encode("ascii")).digest(), _GENERATION_CHARS)


def chunk_id(generation_tag: str, index: int) -> str:
    """The ID of chunk ``index`` of a document chunked as ``generation_tag``."""
    return f"{generation_tag}-{index}"


def generation_of(chunk_name: str) -> str:
    """The generation part of a chunk's name or ID (``""`` for a foreign ID).

    >>> generation_of("corpora/c/documents/d/chunks/k3j5h2a9qd-7")
    'k3j5h2a9qd'
    """
    tail = chunk_name.rsplit("/", 1)[-1]
    head, dash, index = tail.rpartition("-")
    return head if dash and index.isdigit() else ""
