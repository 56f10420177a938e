"""Server-generated resource IDs (reference §4).

* corpus and document: a slug of the display name, ``-``, 12 random characters, at
  most 40 in all (``"Google for Developers Blog"`` -> ``google-for-developers-bl-x7k2m9q0w3zb``);
  a random 12-character ID when there is no usable display name;
* chunk: 12 random characters;
* permission: 18 random digits (the observed names are numeric).

>>> import re
>>> bool(re.fullmatch(r"my-corpus-[a-z0-9]{12}", slug_id("My corpus!")))
True
"""

from __future__ import annotations

import re
import secrets
import string

from ragkit.types.limits import MAX_ID_CHARS

SUFFIX_LENGTH = 12
_ALPHABET = string.ascii_lowercase + string.digits
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def random_id(length: int = SUFFIX_LENGTH) -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(length))


def slug_id(display_name: str | None) -> str:
    """A fresh ID derived from ``display_name`` (random when it has no letters or digits)."""
    slug = _NOT_SLUG.sub("-", (display_name or "").lower()).strip("-")
    slug = slug[: MAX_ID_CHARS - 1 - SUFFIX_LENGTH].rstrip("-")
    return f"{slug}-{random_id()}" if slug else random_id()


def permission_id() -> str:
    return str(secrets.randbelow(9 * 10**17) + 10**17)
