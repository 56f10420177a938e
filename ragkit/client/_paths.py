"""Resource-name arguments: validate them before sending, naming the argument.

Full names (``"corpora/docs/documents/guide"``) are accepted everywhere. A bare
ID is accepted only where it is unambiguous: a corpus (``"docs"`` means
``"corpora/docs"``), a model (``"aqa"`` means ``"models/aqa"``) and the ``name``
of a resource being created under a given parent (``documents.create("corpora/docs",
name="guide")`` creates ``corpora/docs/documents/guide``).
"""

from __future__ import annotations

from collections.abc import Callable

from ragkit.types import names


def corpus(value: str, *, what: str) -> str:
    """``corpora/{id}`` from a full corpus name or a bare corpus ID."""
    if isinstance(value, str) and "/" not in value:
        return names.corpus_name(_id(value, what=what))
    names.parse_corpus_name(value, what=what)
    return value


def _full_name(parse: Callable[..., object], form: str) -> Callable[..., str]:
    def check(value: str, *, what: str) -> str:
        parse(value, what=what)
        return value

    check.__doc__ = f"A validated ``{form}``."
    return check


document = _full_name(names.parse_document_name, "corpora/{c}/documents/{d}")
chunk = _full_name(names.parse_chunk_name, "corpora/{c}/documents/{d}/chunks/{k}")
permission = _full_name(names.parse_permission_name, "corpora/{c}/permissions/{p}")


def source(value: str, *, what: str) -> str:
    """A retrieval source: a corpus (bare ID allowed) or a document name."""
    if isinstance(value, str) and "/" not in value:
        return corpus(value, what=what)
    names.parse_source(value, what=what)
    return value


def model(value: str, *, what: str = "model") -> str:
    """``models/{id}`` from a full model name or a bare ID such as ``"aqa"``."""
    try:
        return names.model_name(value)
    except ValueError as exc:
        raise ValueError(f"{what}: {exc}") from None


def child(parent: str, collection: str, value: str, *, what: str) -> str:
    """The full name of a new child: a bare ID is placed under ``parent``.

    >>> child("corpora/docs", "documents", "guide", what="name")
    'corpora/docs/documents/guide'
    """
    if isinstance(value, str) and "/" not in value:
        return f"{parent}/{collection}/{_id(value, what=what)}"
    prefix = f"{parent}/{collection}/"
    if not isinstance(value, str) or not value.startswith(prefix):
        raise ValueError(f"{what} {value!r} must be an ID or a name under {prefix!r}")
    _id(value.removeprefix(prefix), what=what)
    return value


def _id(value: str, *, what: str) -> str:
    if not value:
        raise ValueError(f"expected a non-empty value for {what}")
    return names.validate_id(value, what=what)
