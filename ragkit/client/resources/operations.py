"""``client.corpora.operations.get``: the long-running-operation binding (section 11).

Google added ``GET /v1beta/{name=corpora/*/operations/*}`` in 2025 without any
documented method that returns an operation, so the model is minimal and open.
"""

from __future__ import annotations

import re
from typing import Any

from ragkit.client._base import APICall
from ragkit.client.resources import _calls as calls
from ragkit.client.resources._resource import AsyncResource, SyncResource
from ragkit.types import Status, WireModel, names

_OPERATION = re.compile(r"^(corpora/[^/]+)/operations/([^/]+)$")


class Operation(WireModel):
    """``google.longrunning.Operation`` (open: ``metadata``/``response`` are ``Any`` messages)."""

    name: str
    """``corpora/{corpus}/operations/{operation}``."""
    done: bool = False
    """Whether the operation has finished."""
    metadata: dict[str, Any] | None = None
    """Service-specific progress information, with an ``@type``."""
    response: dict[str, Any] | None = None
    """The result on success, with an ``@type``."""
    error: Status | None = None
    """The error on failure."""


def _get(name: str) -> APICall[Operation]:
    match = _OPERATION.match(name) if isinstance(name, str) else None
    if match is None:
        raise ValueError(
            f"name {name!r} is not a resource name of the form "
            "'corpora/{corpus}/operations/{operation}'"
        )
    names.parse_corpus_name(match.group(1), what="name")
    return calls.get(name, Operation)


class Operations(SyncResource):
    """``client.corpora.operations``."""

    def get(self, name: str) -> Operation:
        """Fetch the state of a long-running operation on a corpus."""
        return self._client._request(_get(name))


class AsyncOperations(AsyncResource):
    """The async twin of ``Operations``."""

    async def get(self, name: str) -> Operation:
        return await self._client._request(_get(name))
