"""ragkit: cited answers from your documents over Google's Semantic Retriever API.

The public surface is re-exported here as each part lands; see ``__all__``.

>>> import ragkit
>>> with ragkit.Client(base_url="http://127.0.0.1:8765") as client:  # a `ragkit serve`
...     client.base_url
'http://127.0.0.1:8765'
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ragkit._version import __version__

if TYPE_CHECKING:
    from ragkit.client import (
        NOT_GIVEN,
        AbortedError,
        AlreadyExistsError,
        APIConnectionError,
        APITimeoutError,
        AsyncClient,
        Client,
        ConflictError,
        DataLossError,
        DeadlineExceededError,
        FailedPreconditionError,
        InternalError,
        InvalidArgumentError,
        NotFoundError,
        NotGiven,
        OutOfRangeError,
        PermissionDeniedError,
        RagkitAPIError,
        RagkitError,
        RateLimitError,
        RequestCancelledError,
        RetryPolicy,
        UnauthenticatedError,
        UnavailableError,
        UnexpectedResponseError,
        UnimplementedError,
        UnknownError,
    )
    from ragkit.session import Ragkit

__all__ = [
    "NOT_GIVEN",
    "APIConnectionError",
    "APITimeoutError",
    "AbortedError",
    "AlreadyExistsError",
    "AsyncClient",
    "Client",
    "ConflictError",
    "DataLossError",
    "DeadlineExceededError",
    "FailedPreconditionError",
    "InternalError",
    "InvalidArgumentError",
    "NotFoundError",
    "NotGiven",
    "OutOfRangeError",
    "PermissionDeniedError",
    "Ragkit",
    "RagkitAPIError",
    "RagkitError",
    "RateLimitError",
    "RequestCancelledError",
    "RetryPolicy",
    "UnauthenticatedError",
    "UnavailableError",
    "UnexpectedResponseError",
    "UnimplementedError",
    "UnknownError",
    "__version__",
]

# Modules whose public names are served from here on first access: the client pulls in
# httpx, pydantic and the wire models, which `import ragkit` (and so every CLI start)
# should not pay for. A part adding exports lists its module here and its names above.
_LAZY_MODULES = ("ragkit.client", "ragkit.session")


def __getattr__(name: str) -> Any:
    if name in __all__:
        for module_name in _LAZY_MODULES:
            module = importlib.import_module(module_name)
            if name in getattr(module, "__all__", ()):
                value = getattr(module, name)
                globals()[name] = value
                return value
    raise AttributeError(f"module 'ragkit' has no attribute {name!r}")
