"""Put a BEIR corpus into a Semantic Retriever corpus through the API, once.

Layout in the corpus: one Document per BEIR document, its ID derived from the BEIR
``_id`` (kept verbatim in the ``beir_id`` custom metadata), holding one Chunk with
``title + " " + text`` (how the reference figures in ``../shared/data`` were made),
or several when that text is over the chunk token limit.

Ingestion is resumable and never duplicates: every document and chunk has a fixed
name, so after an interruption a re-run gets ``409 ALREADY_EXISTS`` for what is
stored and creates the rest. When everything is stored a *marker* document (no
chunks, so it is never retrieved) records the dataset's fingerprint and counts;
its presence is what lets a later run skip ingestion.

Example::

    dataset = BeirDataset.open("../shared/data/scifact")
    async with settings.async_client() as client:
        summary = await ingest_beir(dataset, "corpora/beir-scifact", client=client)
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import anyio
import anyio.abc

from ragkit.client import (
    AlreadyExistsError,
    AsyncClient,
    NotFoundError,
    PermissionDeniedError,
)
from ragkit.eval._run import ProgressCallback, no_progress
from ragkit.eval.datasets import BeirDataset, CorpusDoc, DatasetError
from ragkit.tokens import count_tokens
from ragkit.types import Chunk, ChunkData, CustomMetadata, Document, limits
from ragkit.types.names import is_valid_id

__all__ = [
    "BEIR_ID_KEY",
    "INGEST_VERSION",
    "MARKER_ID",
    "IngestSummary",
    "beir_chunks",
    "corpus_fingerprint",
    "default_corpus_name",
    "document_id_for",
    "ingest_beir",
    "slug_id",
]

MARKER_ID = "ragkit-eval-complete"
"""ID of the marker document written once every BEIR document is stored."""
INGEST_VERSION = 1
"""Bumped when the corpus layout changes, so an old corpus is not silently reused."""
BEIR_ID_KEY = "beir_id"
"""Custom metadata key holding a document's original BEIR ``_id``."""

_HASH_CHARS = 8
_NON_ID = re.compile(r"[^a-z0-9]+")


def slug_id(text: str, *, prefix: str = "") -> str:
    """A valid resource ID made from ``text``: kept when already valid, else slug + hash.

    The hash of the original text keeps two different inputs from sharing an ID.

    >>> slug_id("4983"), slug_id("MED-10")
    ('4983', 'med-10-d55d1edf')
    """
    candidate = f"{prefix}{text}"
    if is_valid_id(candidate) and candidate != MARKER_ID:
        return candidate
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:_HASH_CHARS]
    room = limits.MAX_ID_CHARS - _HASH_CHARS - 1
    slug = _NON_ID.sub("-", candidate.lower())[:room].strip("-")
    return f"{slug}-{digest}" if slug else f"id-{digest}"


def document_id_for(beir_id: str) -> str:
    """The document ID of a BEIR ``_id`` (valid under the API's 40-character ID rule)."""
    return slug_id(beir_id)


def default_corpus_name(dataset_dir: Path | str) -> str:
    """``corpora/beir-<folder name>``: where a data set's corpus goes when none is named.

    >>> default_corpus_name("../shared/data/scifact")
    'corpora/beir-scifact'
    """
    return f"corpora/{slug_id(Path(dataset_dir).resolve().name, prefix='beir-')}"


def corpus_fingerprint(dataset: BeirDataset, max_chunk_tokens: int) -> str:
    """What the corpus was built from: layout version, chunk limit and the corpus file's hash."""
    digest = hashlib.sha256()
    with dataset.corpus_path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return f"v{INGEST_VERSION}-t{max_chunk_tokens}-{digest.hexdigest()[:32]}"


# ------------------------------------------------------------------------------ chunks


def _pieces(word: str, max_tokens: int) -> Iterator[str]:
    """Cut a word so each piece fits in a chunk."""
    # One code point is at most 4 byte-level tokens.
    step = max(1, max_tokens // 4)
    for start in range(0, len(word), step):
        yield word[start : start + step]


def beir_chunks(doc: CorpusDoc, max_tokens: int = limits.MAX_CHUNK_TOKENS) -> list[str]:
    """The chunk texts of one document: ``title + " " + text``, split at words if too long.

    >>> beir_chunks(CorpusDoc("1", "Title", "Body text."))
    ['Title Body text.']
    """
    text = f"{doc.title} {doc.text}".strip()
    if count_tokens(text) <= max_tokens:
        return [text]
    chunks: list[str] = []
    current: list[str] = []
    used = 0
    for word in text.split():
        if count_tokens(word) > max_tokens:
            # A "word" longer than a chunk (a base64 blob) gets chunks of its own.
            if current:
                chunks.append(" ".join(current))
                current, used = [], 0
            chunks.extend(_pieces(word, max_tokens))
            continue
        # cl100k splits before a space, so a chunk's tokens are the sum of its words'.
        cost = count_tokens(f" {word}")
        if current and used + cost > max_tokens:
            chunks.append(" ".join(current))
            current, used = [], 0
        current.append(word)
        used += cost
    if current:
        chunks.append(" ".join(current))
    return chunks


# ----------------------------------------------------------------------------- ingest


@dataclass(frozen=True, slots=True)
class IngestSummary:
    """What :func:`ingest_beir` found and did."""

    corpus: str
    documents: int
    """BEIR documents in the data set (all stored now)."""
    chunks: int
    created_documents: int
    """Documents this run created (0 when the corpus was reused)."""
    reused: bool
    """True when the marker showed a complete corpus and nothing was uploaded."""
    seconds: float
    fingerprint: str


@dataclass(frozen=True, slots=True)
class _Marker:
    fingerprint: str
    documents: int
    chunks: int


def _marker_metadata(marker: _Marker) -> list[CustomMetadata]:
    return [
        CustomMetadata.of("fingerprint", marker.fingerprint),
        CustomMetadata.of("documents", marker.documents),
        CustomMetadata.of("chunks", marker.chunks),
    ]


def _read_marker(document: Document) -> _Marker | None:
    values = {entry.key: entry.value for entry in document.custom_metadata}
    fingerprint, documents, chunks = (values.get(k) for k in ("fingerprint", "documents", "chunks"))
    if not (isinstance(fingerprint, str) and isinstance(documents, float)):
        return None
    return _Marker(fingerprint, int(documents), int(chunks) if isinstance(chunks, float) else 0)


async def _existing_marker(client: AsyncClient, corpus: str) -> _Marker | None:
    try:
        document = await client.corpora.documents.get(f"{corpus}/documents/{MARKER_ID}")
    except NotFoundError:
        return None
    return _read_marker(document)


async def _refuse_foreign_corpus(client: AsyncClient, corpus: str) -> None:
    # Only the first page is looked at: enough to catch a user's corpus, and cheap.
    pager = client.corpora.documents.list(corpus, page_size=limits.MAX_DOCUMENTS_PAGE_SIZE)
    async for document in pager:
        if not any(entry.key == BEIR_ID_KEY for entry in document.custom_metadata):
            raise ValueError(
                f"{corpus} holds documents that are not from a BEIR data set "
                f"({document.name}); pass another --corpus"
            )
        break


async def _ensure_corpus(client: AsyncClient, corpus: str, display_name: str) -> None:
    try:
        await client.corpora.get(corpus)
        return
    except (NotFoundError, PermissionDeniedError):
        # Google answers 403 for a corpus that does not exist.
        pass
    with contextlib.suppress(AlreadyExistsError):
        await client.corpora.create(name=corpus, display_name=display_name)


async def _store_document(
    client: AsyncClient, corpus: str, doc: CorpusDoc, texts: list[str]
) -> bool:
    """Create one document and its chunks; False when it was already there."""
    name = f"{corpus}/documents/{document_id_for(doc.id)}"
    created = True
    try:
        await client.corpora.documents.create(
            corpus,
            name=name,
            display_name=(doc.title or doc.id)[: limits.MAX_DISPLAY_NAME_CHARS],
            custom_metadata=[
                CustomMetadata.of(BEIR_ID_KEY, doc.id[: limits.MAX_STRING_VALUE_CHARS])
            ],
        )
    except AlreadyExistsError:
        created = False
    chunks = [
        Chunk(name=f"{name}/chunks/c{index}", data=ChunkData(string_value=text))
        for index, text in enumerate(texts)
    ]
    for start in range(0, len(chunks), limits.MAX_BATCH_REQUESTS):
        # Batches are atomic: a 409 means an earlier, interrupted run stored this one.
        with contextlib.suppress(AlreadyExistsError):
            await client.corpora.documents.chunks.batch_create(
                name, chunks=chunks[start : start + limits.MAX_BATCH_REQUESTS]
            )
    return created


async def _documents(
    dataset: BeirDataset, max_chunk_tokens: int
) -> AsyncIterator[tuple[CorpusDoc, list[str]]]:
    seen: dict[str, str] = {}
    for doc in dataset.corpus():
        document_id = document_id_for(doc.id)
        if document_id in seen:
            raise DatasetError(
                dataset.corpus_path,
                f"documents {seen[document_id]!r} and {doc.id!r} map to the same ID {document_id}",
            )
        seen[document_id] = doc.id
        yield doc, beir_chunks(doc, max_chunk_tokens)


def _count_documents(dataset: BeirDataset) -> int:
    count = sum(1 for _ in dataset.corpus())
    if count > limits.MAX_DOCUMENTS_PER_CORPUS:
        raise DatasetError(
            dataset.corpus_path,
            f"{count} documents: a corpus holds at most {limits.MAX_DOCUMENTS_PER_CORPUS:,} "
            "(one document per BEIR document)",
        )
    if count == 0:
        raise DatasetError(dataset.corpus_path, "the corpus has no documents")
    return count


def _first_error(errors: BaseExceptionGroup[BaseException]) -> BaseException:
    first = errors.exceptions[0]
    return _first_error(first) if isinstance(first, BaseExceptionGroup) else first


async def ingest_beir(
    dataset: BeirDataset,
    corpus: str,
    *,
    client: AsyncClient,
    concurrency: int = 4,
    max_chunk_tokens: int = limits.MAX_CHUNK_TOKENS,
    progress: ProgressCallback = no_progress,
) -> IngestSummary:
    """Make ``corpus`` hold ``dataset``'s documents; skip all work when it already does.

    Up to ``concurrency`` documents upload at once. Raises ``ValueError`` when the
    corpus holds a *different* data set (another fingerprint) or documents that did
    not come from a BEIR data set (a user's own corpus named by mistake).
    """
    started = time.perf_counter()
    fingerprint = corpus_fingerprint(dataset, max_chunk_tokens)
    await _ensure_corpus(client, corpus, f"BEIR {dataset.corpus_path.parent.name}")
    marker = await _existing_marker(client, corpus)
    if marker is not None and marker.fingerprint != fingerprint:
        raise ValueError(
            f"{corpus} holds another data set or layout (fingerprint {marker.fingerprint}, "
            f"expected {fingerprint}); pass another --corpus or delete it"
        )
    if marker is not None:
        return IngestSummary(
            corpus,
            marker.documents,
            marker.chunks,
            0,
            True,
            time.perf_counter() - started,
            fingerprint,
        )
    await _refuse_foreign_corpus(client, corpus)
    total = _count_documents(dataset)
    stage = f"ingesting into {corpus}"
    progress(stage, 0, total)
    counts = {"done": 0, "created": 0, "chunks": 0}
    send, receive = anyio.create_memory_object_stream[tuple[CorpusDoc, list[str]]](concurrency)

    async def worker(items: anyio.abc.ObjectReceiveStream[tuple[CorpusDoc, list[str]]]) -> None:
        async with items:
            async for doc, texts in items:
                # Await first: `counts[...] += await ...` would read the count before
                # the await and lose the other workers' increments.
                created = await _store_document(client, corpus, doc, texts)
                counts["created"] += created
                counts["chunks"] += len(texts)
                counts["done"] += 1
                progress(stage, counts["done"], total)

    try:
        async with anyio.create_task_group() as group:
            with receive:
                for _ in range(concurrency):
                    group.start_soon(worker, receive.clone())
            async with send:
                async for item in _documents(dataset, max_chunk_tokens):
                    await send.send(item)
    except BaseExceptionGroup as errors:
        # One failed upload (or a malformed line) is the story; the rest are its echoes.
        raise _first_error(errors) from None
    done = _Marker(fingerprint, counts["done"], counts["chunks"])
    await client.corpora.documents.create(
        corpus,
        name=f"{corpus}/documents/{MARKER_ID}",
        display_name="ragkit eval: every BEIR document is stored",
        custom_metadata=_marker_metadata(done),
    )
    return IngestSummary(
        corpus,
        done.documents,
        done.chunks,
        counts["created"],
        False,
        time.perf_counter() - started,
        fingerprint,
    )
