"""``Corpus`` and the corpora CRUD messages (reference §6.1, §8)."""

# ruff: noqa: RUF012  (pydantic copies mutable field defaults per instance; ruff only
# recognises direct BaseModel subclasses, not WireModel ones)

from __future__ import annotations

from ragkit.types._base import FieldMask, Timestamp, WireModel
from ragkit.types._fields import CorpusName, DisplayName, PageSize

__all__ = [
    "Corpus",
    "CreateCorpusRequest",
    "DeleteCorpusRequest",
    "GetCorpusRequest",
    "ListCorporaRequest",
    "ListCorporaResponse",
    "UpdateCorpusRequest",
]


class Corpus(WireModel):
    """A collection of Documents; a project may create up to 5 (10 since 2025).

    >>> Corpus(name="corpora/product-docs", display_name="Product docs").name
    'corpora/product-docs'
    """

    name: CorpusName | None = None
    """Immutable. ``corpora/{id}``; generated from ``displayName`` when empty on create."""
    display_name: DisplayName | None = None
    """Optional. Human-readable name, at most 512 characters. The only PATCH-able field."""
    create_time: Timestamp | None = None
    """Output only. When the corpus was created."""
    update_time: Timestamp | None = None
    """Output only. When the corpus was last updated."""


class CreateCorpusRequest(WireModel):
    """``POST /v1beta/corpora``; the body is the ``corpus``."""

    corpus: Corpus
    """Required. The corpus to create."""


class GetCorpusRequest(WireModel):
    """``GET /v1beta/{name=corpora/*}``."""

    name: CorpusName
    """Required. ``corpora/{id}``."""


class UpdateCorpusRequest(WireModel):
    """``PATCH /v1beta/{corpus.name=corpora/*}?updateMask=displayName``."""

    corpus: Corpus
    """Required. The corpus with the new values."""
    update_mask: FieldMask
    """Required. Fields to update; only ``displayName`` is supported."""


class DeleteCorpusRequest(WireModel):
    """``DELETE /v1beta/{name=corpora/*}?force=``."""

    name: CorpusName
    """Required. ``corpora/{id}``."""
    force: bool | None = None
    """Optional. Also delete the corpus's documents and chunks; without it a non-empty
    corpus gives ``FAILED_PRECONDITION``."""


class ListCorporaRequest(WireModel):
    """``GET /v1beta/corpora?pageSize=&pageToken=``."""

    page_size: PageSize | None = None
    """Optional. Corpora per page: default 10, maximum 20."""
    page_token: str | None = None
    """Optional. ``nextPageToken`` of the previous page."""


class ListCorporaResponse(WireModel):
    """A page of corpora, ascending by ``createTime``."""

    corpora: list[Corpus] = []
    """The corpora."""
    next_page_token: str | None = None
    """Token of the next page; absent on the last page."""
