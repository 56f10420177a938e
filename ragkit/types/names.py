"""Resource names and IDs: validate, build and parse them (reference §4).

A resource name is the full path of a resource (``corpora/c/documents/d``); an ID is one
segment of it (``d``). IDs are 1-40 characters of ``a-z``, ``0-9`` and ``-``, neither starting
nor ending with ``-``. Errors are ``ValueError`` naming the argument and the expected form, so
the client can fail before sending and the engine can return a 400.

>>> document_name("docs", "guide")
'corpora/docs/documents/guide'
>>> parse_chunk_name("corpora/docs/documents/guide/chunks/c1")
ChunkIds(corpus_id='docs', document_id='guide', chunk_id='c1')
"""

from __future__ import annotations

import re
from typing import Final, NamedTuple

from ragkit.types.limits import MAX_ID_CHARS

__all__ = [
    "ID_PATTERN",
    "ChunkIds",
    "DocumentIds",
    "PermissionIds",
    "SourceIds",
    "chunk_name",
    "corpus_name",
    "document_name",
    "is_valid_id",
    "model_name",
    "parse_chunk_name",
    "parse_corpus_name",
    "parse_document_name",
    "parse_permission_name",
    "parse_source",
    "permission_name",
    "validate_id",
]

ID_PATTERN: Final = r"^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$"
"""Regular expression every corpus, document, chunk and permission ID must match."""

_ID = re.compile(ID_PATTERN)
_SEGMENT = r"([^/]+)"
_CORPUS = re.compile(rf"^corpora/{_SEGMENT}$")
_DOCUMENT = re.compile(rf"^corpora/{_SEGMENT}/documents/{_SEGMENT}$")
_CHUNK = re.compile(rf"^corpora/{_SEGMENT}/documents/{_SEGMENT}/chunks/{_SEGMENT}$")
_PERMISSION = re.compile(rf"^corpora/{_SEGMENT}/permissions/{_SEGMENT}$")
_ID_RULE = (
    f"1-{MAX_ID_CHARS} characters of lowercase letters, digits and '-', "
    "not starting or ending with '-'"
)


class DocumentIds(NamedTuple):
    """The IDs in ``corpora/{corpus_id}/documents/{document_id}``."""

    corpus_id: str
    document_id: str


class ChunkIds(NamedTuple):
    """The IDs in ``corpora/{corpus_id}/documents/{document_id}/chunks/{chunk_id}``."""

    corpus_id: str
    document_id: str
    chunk_id: str


class PermissionIds(NamedTuple):
    """The IDs in ``corpora/{corpus_id}/permissions/{permission_id}``."""

    corpus_id: str
    permission_id: str


class SourceIds(NamedTuple):
    """A retrieval source: a whole corpus (``document_id is None``) or one document."""

    corpus_id: str
    document_id: str | None


def is_valid_id(value: str) -> bool:
    """Whether ``value`` is a valid resource ID (see :data:`ID_PATTERN`)."""
    return _ID.match(value) is not None


def validate_id(value: str, *, what: str) -> str:
    """Return ``value`` if it is a valid ID, else raise ``ValueError`` naming ``what``.

    >>> validate_id("my-corpus", what="corpus_id")
    'my-corpus'
    >>> validate_id("My_Corpus", what="corpus_id")
    Traceback (most recent call last):
    ...
    ValueError: corpus_id 'My_Corpus' is not a valid ID: expected 1-40 characters of \
lowercase letters, digits and '-', not starting or ending with '-'
    """
    if not isinstance(value, str) or _ID.match(value) is None:
        raise ValueError(f"{what} {value!r} is not a valid ID: expected {_ID_RULE}")
    return value


def corpus_name(corpus_id: str) -> str:
    """``corpora/{corpus_id}``."""
    return f"corpora/{validate_id(corpus_id, what='corpus_id')}"


def document_name(corpus_id: str, document_id: str) -> str:
    """``corpora/{corpus_id}/documents/{document_id}``."""
    return f"{corpus_name(corpus_id)}/documents/{validate_id(document_id, what='document_id')}"


def chunk_name(corpus_id: str, document_id: str, chunk_id: str) -> str:
    """``corpora/{corpus_id}/documents/{document_id}/chunks/{chunk_id}``."""
    parent = document_name(corpus_id, document_id)
    return f"{parent}/chunks/{validate_id(chunk_id, what='chunk_id')}"


def permission_name(corpus_id: str, permission_id: str) -> str:
    """``corpora/{corpus_id}/permissions/{permission_id}``."""
    return (
        f"{corpus_name(corpus_id)}/permissions/{validate_id(permission_id, what='permission_id')}"
    )


def _match(pattern: re.Pattern[str], name: str, *, what: str, form: str) -> tuple[str, ...]:
    match = pattern.match(name) if isinstance(name, str) else None
    if match is None:
        raise ValueError(f"{what} {name!r} is not a resource name of the form {form!r}")
    ids = match.groups()
    if not all(_ID.match(part) for part in ids):
        raise ValueError(
            f"{what} {name!r} is not a valid resource name of the form {form!r}: "
            f"each ID must be {_ID_RULE}"
        )
    return ids


def parse_corpus_name(name: str, *, what: str = "name") -> str:
    """The corpus ID of ``corpora/{id}``; ``ValueError`` naming ``what`` otherwise."""
    (corpus_id,) = _match(_CORPUS, name, what=what, form="corpora/{corpus}")
    return corpus_id


def parse_document_name(name: str, *, what: str = "name") -> DocumentIds:
    """The IDs of ``corpora/{c}/documents/{d}``; ``ValueError`` naming ``what`` otherwise."""
    return DocumentIds(
        *_match(_DOCUMENT, name, what=what, form="corpora/{corpus}/documents/{document}")
    )


def parse_chunk_name(name: str, *, what: str = "name") -> ChunkIds:
    """The IDs of ``corpora/{c}/documents/{d}/chunks/{k}``; ``ValueError`` otherwise."""
    form = "corpora/{corpus}/documents/{document}/chunks/{chunk}"
    return ChunkIds(*_match(_CHUNK, name, what=what, form=form))


def parse_permission_name(name: str, *, what: str = "name") -> PermissionIds:
    """The IDs of ``corpora/{c}/permissions/{p}``; ``ValueError`` otherwise."""
    form = "corpora/{corpus}/permissions/{permission}"
    return PermissionIds(*_match(_PERMISSION, name, what=what, form=form))


def parse_source(name: str, *, what: str = "source") -> SourceIds:
    """A ``semanticRetriever.source``: ``corpora/{c}`` or ``corpora/{c}/documents/{d}``.

    >>> parse_source("corpora/docs")
    SourceIds(corpus_id='docs', document_id=None)
    """
    if isinstance(name, str) and _CORPUS.match(name):
        return SourceIds(parse_corpus_name(name, what=what), None)
    if isinstance(name, str) and _DOCUMENT.match(name):
        return SourceIds(*parse_document_name(name, what=what))
    raise ValueError(
        f"{what} {name!r} is not a resource name of the form 'corpora/{{corpus}}' "
        "or 'corpora/{corpus}/documents/{document}'"
    )


def model_name(model: str) -> str:
    """Normalise a model reference to its resource name.

    >>> model_name("aqa"), model_name("models/aqa")
    ('models/aqa', 'models/aqa')
    """
    if not isinstance(model, str) or not model.strip():
        raise ValueError(f"model {model!r} is empty: expected 'models/{{model}}' or a bare ID")
    model = model.strip()
    if model.startswith(("models/", "tunedModels/")):
        if model.count("/") != 1 or model.endswith("/"):
            raise ValueError(f"model {model!r} is not of the form 'models/{{model}}'")
        return model
    if "/" in model:
        raise ValueError(f"model {model!r} is not of the form 'models/{{model}}'")
    return f"models/{model}"
