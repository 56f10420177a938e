"""Who is calling: a principal derived from the request's credentials (reference §3, §11).

The local engine has no identity provider, so a credential *is* an identity:

* no credential: the local user, ``local-user@ragkit.local`` (owns what it creates);
* ``Authorization: Bearer T`` (or ``access_token=``): ``T`` itself when it looks like an
  e-mail address, so a grant to ``USER alice@example.com`` is exercised by sending
  ``Bearer alice@example.com``; any other token maps to ``token-<hash>@ragkit.local``;
* an API key (``x-goog-api-key`` or ``?key=``): ``key-<hash>@ragkit.local`` (a key
  identifies a project, not a person). Secrets are hashed, never stored.

>>> from_credentials(api_key=None, bearer=None).email
'local-user@ragkit.local'
>>> from_credentials(api_key=None, bearer="alice@example.com").email
'alice@example.com'
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass

LOCAL_DOMAIN = "ragkit.local"
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True, slots=True)
class Principal:
    """The caller: ``email`` is what USER grants and OWNER records match."""

    email: str


LOCAL_USER = Principal(f"local-user@{LOCAL_DOMAIN}")


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()[:16]


def from_credentials(*, api_key: str | None, bearer: str | None) -> Principal:
    """The principal for a request's credentials (a bearer token wins over a key)."""
    if bearer:
        if _EMAIL.match(bearer):
            return Principal(bearer.lower())
        return Principal(f"token-{_digest(bearer)}@{LOCAL_DOMAIN}")
    if api_key:
        return Principal(f"key-{_digest(api_key)}@{LOCAL_DOMAIN}")
    return LOCAL_USER


def from_request(headers: Mapping[str, str], query: Mapping[str, str]) -> Principal:
    """Read the credentials Google accepts: header or query-string key, bearer or token."""
    bearer: str | None = None
    authorization = headers.get("authorization", "")
    if authorization[:7].lower() == "bearer ":
        bearer = authorization[7:].strip()
    bearer = bearer or query.get("access_token") or query.get("oauth_token")
    api_key = headers.get("x-goog-api-key") or query.get("key")
    return from_credentials(api_key=api_key, bearer=bearer)
