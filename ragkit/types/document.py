"""``Document`` and the documents CRUD messages (reference §6.2, §9)."""

# ruff: noqa: RUF012  (pydantic copies mutable field defaults per instance; ruff only
# recognises direct BaseModel subclasses, not WireModel ones)

from __future__ import annotations

from ragkit.types._base import FieldMask, Timestamp, WireModel
from ragkit.types._fields import CorpusName, DisplayName, DocumentName, PageSize
from ragkit.types.metadata import CustomMetadataList

__all__ = [
    "CreateDocumentRequest",
    "DeleteDocumentRequest",
    "Document",
    "GetDocumentRequest",
    "ListDocumentsRequest",
    "ListDocumentsResponse",
    "UpdateDocumentRequest",
]


class Document(WireModel):
    """A collection of Chunks; a corpus holds at most 10,000.

    >>> from ragkit.types import CustomMetadata
    >>> doc = Document(display_name="Guide", custom_metadata=[CustomMetadata.of("year", 2024)])
    >>> doc.custom_metadata[0].value
    2024.0
    """

    name: DocumentName | None = None
    """Immutable. ``corpora/{c}/documents/{id}``; generated when empty on create."""
    display_name: DisplayName | None = None
    """Optional. Human-readable name, at most 512 characters."""
    custom_metadata: CustomMetadataList = []
    """Optional. At most 20 user-provided entries, queryable by document-level filters."""
    update_time: Timestamp | None = None
    """Output only. When the document was last updated."""
    create_time: Timestamp | None = None
    """Output only. When the document was created."""


class CreateDocumentRequest(WireModel):
    """``POST /v1beta/{parent=corpora/*}/documents``; the body is the ``document``."""

    parent: CorpusName | None = None
    """The corpus to create the document in (bound from the URL)."""
    document: Document
    """Required. The document to create."""


class GetDocumentRequest(WireModel):
    """``GET /v1beta/{name=corpora/*/documents/*}``."""

    name: DocumentName
    """Required. ``corpora/{c}/documents/{d}``."""


class UpdateDocumentRequest(WireModel):
    """``PATCH /v1beta/{document.name=corpora/*/documents/*}?updateMask=``."""

    document: Document
    """Required. The document with the new values."""
    update_mask: FieldMask
    """Required. ``displayName`` and/or ``customMetadata`` (which is replaced whole)."""


class DeleteDocumentRequest(WireModel):
    """``DELETE /v1beta/{name=corpora/*/documents/*}?force=``."""

    name: DocumentName
    """Required. ``corpora/{c}/documents/{d}``."""
    force: bool | None = None
    """Optional. Also delete the chunks; without it a non-empty document gives
    ``FAILED_PRECONDITION``."""


class ListDocumentsRequest(WireModel):
    """``GET /v1beta/{parent=corpora/*}/documents?pageSize=&pageToken=``."""

    parent: CorpusName | None = None
    """The corpus (bound from the URL)."""
    page_size: PageSize | None = None
    """Optional. Documents per page: default 10, maximum 20."""
    page_token: str | None = None
    """Optional. ``nextPageToken`` of the previous page."""


class ListDocumentsResponse(WireModel):
    """A page of documents, ascending by ``createTime``."""

    documents: list[Document] = []
    """The documents."""
    next_page_token: str | None = None
    """Token of the next page; absent on the last page."""
