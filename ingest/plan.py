"""Decide what each file needs, and prepare it: load, chunk, build metadata, check limits.

A file is compared with the document at its ID (see :mod:`ingest.identity`):

* no document: **new**;
* a document never marked complete (an interrupted run): **resume** it;
* complete, with the same content sha256, chunking parameters and ingest version,
  and no replacement pending: **unchanged**, nothing is sent;
* anything else: **changed**, the document is replaced.

:func:`prepare` loads and chunks one file and checks it against :class:`Limits`
before anything is sent; a file that breaks a limit fails with the reason and its
previous version, if any, stays in the corpus.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from ingest.chunking import MAX_CHUNK_TOKENS, MIN_CHUNK_TOKENS, chunk_document
from ingest.identity import INGEST_VERSION, document_id, generation
from ingest.loaders import load_document
from ingest.model import LoadError, PlannedChunk
from ingest.scan import SourceFile, file_sha256
from ingest.sync import RemoteDocument
from ragkit import docmeta
from ragkit.types import limits as api


class Action(enum.StrEnum):
    """What a file needs."""

    NEW = "new"
    RESUME = "resume"
    CHANGED = "changed"
    UNCHANGED = "unchanged"


@dataclass(frozen=True, slots=True)
class Chunking:
    """The chunking parameters; changing either re-chunks every document.

    >>> Chunking(300, 200)
    Traceback (most recent call last):
    ...
    ValueError: overlap must be 0..150 tokens (half the chunk size), got 200
    """

    chunk_tokens: int
    overlap_tokens: int

    def __post_init__(self) -> None:
        if not MIN_CHUNK_TOKENS <= self.chunk_tokens <= MAX_CHUNK_TOKENS:
            raise ValueError(
                f"chunk size must be {MIN_CHUNK_TOKENS}..{MAX_CHUNK_TOKENS} tokens, "
                f"got {self.chunk_tokens}"
            )
        half = self.chunk_tokens // 2
        if not 0 <= self.overlap_tokens <= half:
            raise ValueError(
                f"overlap must be 0..{half} tokens (half the chunk size), got {self.overlap_tokens}"
            )


@dataclass(frozen=True, slots=True)
class Limits:
    """The API limits ingest checks before sending (defaults: the API's own).

    Tests pass smaller ones to see each check fire.
    """

    max_documents: int = api.MAX_DOCUMENTS_PER_CORPUS
    max_chunks: int = api.MAX_CHUNKS_PER_CORPUS
    max_chunk_tokens: int = api.MAX_CHUNK_TOKENS
    max_metadata_entries: int = api.MAX_CUSTOM_METADATA


@dataclass(frozen=True, slots=True)
class PlannedFile:
    """A scanned file, its document ID and content hash, and what it needs."""

    file: SourceFile
    document_id: str
    sha256: str
    action: Action
    remote: RemoteDocument | None


@dataclass(frozen=True)
class PreparedDocument:
    """A loaded, chunked and checked file, ready to upload.

    ``errors`` are broken limits (the file is not sent); ``warnings`` are worth
    telling the user but do not stop the file.
    """

    planned: PlannedFile
    facts: docmeta.SourceFacts
    display_name: str
    generation: str
    chunks: tuple[PlannedChunk, ...]
    warnings: tuple[str, ...] = ()
    errors: tuple[str, ...] = field(default=())

    @property
    def tokens(self) -> int:
        """Tokens over all chunks (overlap counted in each chunk that repeats it)."""
        return self.facts.tokens


def decide(sha256: str, remote: RemoteDocument | None, chunking: Chunking) -> Action:
    """The action for a file with content ``sha256`` given the document at its ID."""
    if remote is None:
        return Action.NEW
    if not remote.complete:
        return Action.RESUME
    same = (
        remote.sha256 == sha256
        and remote.chunk_tokens == chunking.chunk_tokens
        and remote.overlap_tokens == chunking.overlap_tokens
        and remote.ingest_version == INGEST_VERSION
        and remote.pending is None
    )
    return Action.UNCHANGED if same else Action.CHANGED


def plan_file(
    file: SourceFile, remote: dict[str, RemoteDocument], chunking: Chunking
) -> PlannedFile:
    """Hash ``file`` and decide what it needs (reads the file; raises ``OSError``)."""
    doc_id = document_id(file.relative)
    sha = file_sha256(file.path)
    found = remote.get(doc_id)
    return PlannedFile(file, doc_id, sha, decide(sha, found, chunking), found)


def display_name(relative: str) -> str:
    """The document's display name: its relative path, cut to the API's 512 characters."""
    if len(relative) <= api.MAX_DISPLAY_NAME_CHARS:
        return relative
    return "…" + relative[-(api.MAX_DISPLAY_NAME_CHARS - 1) :]


def _problems(
    planned: PlannedFile, title: str, chunks: tuple[PlannedChunk, ...], limits: Limits
) -> tuple[list[str], list[str]]:
    errors: list[str] = []
    warnings: list[str] = []
    too_long = [chunk for chunk in chunks if chunk.token_count > limits.max_chunk_tokens]
    if too_long:
        longest = max(chunk.token_count for chunk in too_long)
        errors.append(
            f"{len(too_long)} chunk(s) over {limits.max_chunk_tokens} tokens (longest {longest})"
        )
    # The most entries a document ever carries: all keys, pages, complete and pending.
    entries = len(docmeta.DOCUMENT_KEYS)
    if entries > limits.max_metadata_entries:
        errors.append(
            f"{entries} document metadata entries, over the limit of {limits.max_metadata_entries}"
        )
    chunk_entries = len(docmeta.CHUNK_KEYS)
    if chunk_entries > limits.max_metadata_entries:
        errors.append(
            f"{chunk_entries} chunk metadata entries, over the limit of "
            f"{limits.max_metadata_entries}"
        )
    relative = planned.file.relative
    if len(relative) > api.MAX_STRING_VALUE_CHARS:
        warnings.append(
            f"path longer than {api.MAX_STRING_VALUE_CHARS} characters: cut in metadata"
        )
    if len(relative) > api.MAX_DISPLAY_NAME_CHARS:
        warnings.append(
            f"path longer than {api.MAX_DISPLAY_NAME_CHARS} characters: display name cut"
        )
    if len(title) > api.MAX_STRING_VALUE_CHARS:
        warnings.append(f"title longer than {api.MAX_STRING_VALUE_CHARS} characters: cut")
    return errors, warnings


def prepare(planned: PlannedFile, chunking: Chunking, limits: Limits) -> PreparedDocument:
    """Load, chunk and check one file (raises :class:`~ingest.model.LoadError`)."""
    file = planned.file
    loaded = load_document(file.path)
    try:
        chunks = tuple(
            chunk_document(
                loaded,
                chunk_tokens=chunking.chunk_tokens,
                overlap_tokens=chunking.overlap_tokens,
            )
        )
    except ValueError as error:  # sizes out of the chunker's range
        raise LoadError(file.path, str(error)) from error
    if not chunks:
        raise LoadError(file.path, "empty: no text to index")
    facts = docmeta.SourceFacts(
        source=file.relative,
        title=loaded.title,
        sha256=planned.sha256,
        size=file.size,
        mtime=file.mtime,
        page_count=loaded.page_count,
        kind=loaded.kind,
        chunks=len(chunks),
        tokens=sum(chunk.token_count for chunk in chunks),
        chunk_tokens=chunking.chunk_tokens,
        overlap_tokens=chunking.overlap_tokens,
        ingest_version=INGEST_VERSION,
    )
    errors, warnings = _problems(planned, loaded.title, chunks, limits)
    return PreparedDocument(
        planned=planned,
        facts=facts,
        display_name=display_name(file.relative),
        generation=generation(planned.sha256, chunking.chunk_tokens, chunking.overlap_tokens),
        chunks=chunks,
        warnings=(*loaded.warnings, *warnings),
        errors=tuple(errors),
    )


@dataclass
class Capacity:
    """Documents and chunks the corpus holds as the run goes, against the limits.

    Chunks of documents ingest did not make are unknown to it (the API does not
    report them), so the chunk count is a lower bound; the server has the last word.
    """

    limits: Limits
    documents: int
    chunks: int

    def refusal(self, prepared: PreparedDocument) -> str | None:
        """Why storing ``prepared`` would break a corpus limit, or ``None``."""
        remote = prepared.planned.remote
        adds_document = remote is None
        if adds_document and self.documents + 1 > self.limits.max_documents:
            return f"the corpus would exceed {self.limits.max_documents:,} documents"
        # A replacement holds both versions until the swap; a resumed document's
        # recorded count is the one being finished, not an extra one.
        resumed = remote.chunks if remote and prepared.planned.action is Action.RESUME else 0
        if self.chunks - resumed + prepared.facts.chunks > self.limits.max_chunks:
            return f"the corpus would exceed {self.limits.max_chunks:,} chunks"
        return None

    def take(self, prepared: PreparedDocument) -> None:
        """Count ``prepared`` as stored."""
        remote = prepared.planned.remote
        if remote is None:
            self.documents += 1
        self.chunks += prepared.facts.chunks - (remote.chunks if remote else 0)

    def release(self, remote: RemoteDocument) -> None:
        """Count a deleted document out."""
        self.documents -= 1
        self.chunks -= remote.chunks
