"""Store one prepared document so that an interruption at any point is safe to rerun.

The steps, each through the client and the :class:`~ingest.pacing.Pacer`:

1. *New file*: create the document with its metadata but without ``complete``.
   *Changed file*: mark the existing document ``pending`` (its old chunks stay
   searchable until the swap). *Resumed*: nothing.
2. For an existing document, list its chunk IDs (100 a page).
3. Create the planned chunks not already there, at most 100 per ``batchCreate``,
   several batches in flight. Chunk IDs are ``{generation}-{index}``
   (:mod:`ingest.identity`), so a chunk found under its planned name is already
   stored and is not sent again.
4. Delete every other chunk of the document: leftovers of an older version.
5. Set the final metadata with ``complete`` = 1 and no ``pending``.

Killed after any step, a rerun sees the document incomplete (new), or pending or
with an older hash (changed), and carries on from step 2: no chunk is stored twice
and nothing stale survives.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import TypeVar

from ingest.identity import chunk_id
from ingest.pacing import Pacer
from ingest.plan import Action, PreparedDocument
from ingest.sync import RemoteDocument
from ragkit import docmeta
from ragkit.client import AlreadyExistsError, AsyncClient
from ragkit.types import Chunk, ChunkData, CustomMetadata
from ragkit.types.limits import MAX_BATCH_REQUESTS, MAX_CHUNKS_PAGE_SIZE, MAX_CUSTOM_METADATA

T = TypeVar("T")
BATCH_SIZE = MAX_BATCH_REQUESTS


def batched(items: Sequence[T], size: int = BATCH_SIZE) -> list[Sequence[T]]:
    """``items`` in consecutive slices of at most ``size``.

    >>> [list(b) for b in batched([1, 2, 3, 4, 5], 2)]
    [[1, 2], [3, 4], [5]]
    """
    return [items[start : start + size] for start in range(0, len(items), size)]


@dataclass
class StoreResult:
    """What storing one document did."""

    name: str
    uploaded: int = 0
    reused: int = 0
    deleted: int = 0
    requests: int = field(default=0, repr=False)


class DocumentUploader:
    """Stores prepared documents in one corpus (see the module docstring).

    ``client`` should not retry 429 itself (see :func:`ingest.pacing.caller_paced`);
    ``on_chunks`` is told how many chunks each finished batch covered, stored or
    found already there.
    """

    def __init__(
        self,
        client: AsyncClient,
        corpus: str,
        pacer: Pacer,
        *,
        on_chunks: Callable[[int], None] = lambda _count: None,
    ) -> None:
        self._client = client
        self._corpus = corpus
        self._pacer = pacer
        self._on_chunks = on_chunks

    async def _paced(self, call: Callable[[], Awaitable[T]], result: StoreResult) -> T:
        result.requests += 1
        return await self._pacer.run(call)

    async def store(self, prepared: PreparedDocument) -> StoreResult:
        """Store ``prepared`` and mark it complete; returns what was sent."""
        planned = prepared.planned
        documents = self._client.corpora.documents
        name = f"{self._corpus}/documents/{planned.document_id}"
        result = StoreResult(name=name)
        existing: set[str] = set()
        if planned.remote is None:
            created = await self._create_document(prepared, result)
            if not created:  # it appeared meanwhile (or our first attempt's reply was lost)
                existing = await self._chunk_ids(name)
        else:
            if planned.action is Action.CHANGED:
                pending = _pending_metadata(planned.remote, prepared)
                await self._paced(partial(documents.update, name, custom_metadata=pending), result)
            existing = await self._chunk_ids(name)
        await self._upload(name, prepared, existing, result)
        wanted = {chunk_id(prepared.generation, chunk.index) for chunk in prepared.chunks}
        stale = sorted(existing - wanted)
        for names in batched(stale):
            await self._paced(
                partial(self._client.corpora.documents.chunks.batch_delete, name, names=names),
                result,
            )
        result.deleted = len(stale)
        final = docmeta.document_metadata(prepared.facts, complete=True)
        await self._paced(
            partial(
                documents.update,
                name,
                display_name=prepared.display_name,
                custom_metadata=final,
            ),
            result,
        )
        return result

    async def _create_document(self, prepared: PreparedDocument, result: StoreResult) -> bool:
        create = partial(
            self._client.corpora.documents.create,
            self._corpus,
            name=prepared.planned.document_id,
            display_name=prepared.display_name,
            custom_metadata=docmeta.document_metadata(prepared.facts),
        )
        try:
            await self._paced(create, result)
        except AlreadyExistsError:
            return False
        return True

    async def _chunk_ids(self, document: str) -> set[str]:
        pager = self._client.corpora.documents.chunks.list(document, page_size=MAX_CHUNKS_PAGE_SIZE)
        return {chunk.name.rsplit("/", 1)[-1] async for chunk in pager if chunk.name}

    async def _upload(
        self, document: str, prepared: PreparedDocument, existing: set[str], result: StoreResult
    ) -> None:
        missing: list[Chunk] = []
        for planned in prepared.chunks:
            cid = chunk_id(prepared.generation, planned.index)
            if cid in existing:
                result.reused += 1
                continue
            missing.append(
                Chunk(
                    name=f"{document}/chunks/{cid}",
                    data=ChunkData(string_value=planned.text),
                    custom_metadata=docmeta.chunk_metadata(
                        index=planned.index,
                        first_page=planned.first_page,
                        last_page=planned.last_page,
                        section=planned.section,
                    ),
                )
            )
        if result.reused:
            self._on_chunks(result.reused)
        # Every batch of the document is started at once; the pacer bounds how many
        # requests actually run. A failed batch does not cancel its siblings: what they
        # store is kept and a rerun does not send it again. The first failure is raised.
        outcomes = await asyncio.gather(
            *(self._create_batch(document, batch, result) for batch in batched(missing)),
            return_exceptions=True,
        )
        for outcome in outcomes:
            if isinstance(outcome, BaseException):
                raise outcome

    async def _create_batch(
        self, document: str, batch: Sequence[Chunk], result: StoreResult
    ) -> None:
        chunks = self._client.corpora.documents.chunks
        try:
            await self._paced(partial(chunks.batch_create, document, chunks=batch), result)
        except AlreadyExistsError:
            # Some of these exist: a retried request whose first attempt had succeeded,
            # or a run in parallel. Same name means same text, so keep what is there.
            for chunk in batch:
                try:
                    await self._paced(
                        partial(chunks.batch_create, document, chunks=[chunk]), result
                    )
                except AlreadyExistsError:
                    result.reused += 1
                else:
                    result.uploaded += 1
        else:
            result.uploaded += len(batch)
        self._on_chunks(len(batch))


def _pending_metadata(remote: RemoteDocument, prepared: PreparedDocument) -> list[CustomMetadata]:
    """The old metadata plus ``pending``: the old chunks stay described while new ones land."""
    kept = [entry for entry in remote.metadata if entry.key != docmeta.PENDING]
    if len(kept) < MAX_CUSTOM_METADATA:
        return [*kept, CustomMetadata.of(docmeta.PENDING, prepared.generation)]
    # A document full of someone else's metadata: describe the new version instead.
    return docmeta.document_metadata(prepared.facts, pending=prepared.generation)
