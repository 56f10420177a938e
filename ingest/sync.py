"""What the corpus holds now, read through the client: the corpus itself and its documents.

Only metadata is read here (documents are listed 20 a page; chunks are never
listed for the whole corpus), so a re-ingest of an unchanged folder costs one
listing and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass

from ragkit import docmeta
from ragkit.client import (
    AlreadyExistsError,
    AsyncClient,
    NotFoundError,
    PermissionDeniedError,
)
from ragkit.types import Corpus, CustomMetadata, Document
from ragkit.types.limits import MAX_DOCUMENTS_PAGE_SIZE


@dataclass(frozen=True, slots=True)
class RemoteDocument:
    """A document already in the corpus, with what ingest recorded on it.

    ``ingested`` is false for documents that ingest did not make (no ``source``
    and ``ingest_version``): prune never touches those.
    """

    name: str
    source: str | None
    sha256: str | None
    chunk_tokens: int | None
    overlap_tokens: int | None
    ingest_version: int | None
    chunks: int
    tokens: int
    complete: bool
    pending: str | None
    metadata: tuple[CustomMetadata, ...]

    @property
    def document_id(self) -> str:
        """The last segment of the document's name."""
        return self.name.rsplit("/", 1)[-1]

    @property
    def ingested(self) -> bool:
        """Whether ingest made this document."""
        return self.source is not None and self.ingest_version is not None


def _number(values: dict[str, str | float | list[str]], key: str) -> int | None:
    value = values.get(key)
    return int(value) if isinstance(value, float) else None


def _string(values: dict[str, str | float | list[str]], key: str) -> str | None:
    value = values.get(key)
    return value if isinstance(value, str) else None


def remote_document(document: Document) -> RemoteDocument:
    """Read ingest's metadata off a listed document."""
    if document.name is None:
        raise ValueError("a listed document has no name")
    values = {entry.key: entry.value for entry in document.custom_metadata}
    return RemoteDocument(
        name=document.name,
        source=_string(values, docmeta.SOURCE),
        sha256=_string(values, docmeta.SHA256),
        chunk_tokens=_number(values, docmeta.CHUNK_TOKENS),
        overlap_tokens=_number(values, docmeta.OVERLAP_TOKENS),
        ingest_version=_number(values, docmeta.INGEST_VERSION),
        chunks=_number(values, docmeta.CHUNKS) or 0,
        tokens=_number(values, docmeta.TOKENS) or 0,
        complete=values.get(docmeta.COMPLETE) == 1.0,
        pending=_string(values, docmeta.PENDING),
        metadata=tuple(document.custom_metadata),
    )


def corpus_name(corpus: str) -> str:
    """``corpora/x`` for ``x`` or ``corpora/x``.

    >>> corpus_name("papers"), corpus_name("corpora/papers")
    ('corpora/papers', 'corpora/papers')
    """
    return corpus if corpus.startswith("corpora/") else f"corpora/{corpus}"


async def find_corpus(client: AsyncClient, corpus: str) -> Corpus | None:
    """The corpus, or ``None`` if it does not exist.

    Google answers 403 rather than 404 for a corpus that does not exist; both mean
    "not there (for you)" here, and a real permission problem surfaces on create.
    """
    try:
        return await client.corpora.get(corpus_name(corpus))
    except (NotFoundError, PermissionDeniedError):
        return None


async def ensure_corpus(client: AsyncClient, corpus: str, display_name: str) -> Corpus:
    """The corpus, created with ``display_name`` if it does not exist yet."""
    found = await find_corpus(client, corpus)
    if found is not None:
        return found
    try:
        return await client.corpora.create(name=corpus_name(corpus), display_name=display_name)
    except AlreadyExistsError:  # made meanwhile, or an earlier attempt's answer was lost
        return await client.corpora.get(corpus_name(corpus))


async def list_documents(client: AsyncClient, corpus: str) -> dict[str, RemoteDocument]:
    """Every document of the corpus by ID (at most 10,000: the API's limit)."""
    found: dict[str, RemoteDocument] = {}
    pager = client.corpora.documents.list(corpus_name(corpus), page_size=MAX_DOCUMENTS_PAGE_SIZE)
    async for document in pager:
        remote = remote_document(document)
        found[remote.document_id] = remote
    return found
