"""The async client against the same backends: CRUD, paging with async for, query, AQA."""

from __future__ import annotations

import pytest

from ragkit.client import FailedPreconditionError
from ragkit.types import Content, GroundingPassage
from tests.conformance.conftest import MISSING_CORPUS, Backend, new_id

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


async def test_async_round_trip(backend: Backend) -> None:
    async with backend.async_client() as client:
        corpus = (await client.corpora.create(name=new_id(), display_name="Async")).name
        assert corpus is not None
        try:
            for i in range(12):
                await client.corpora.documents.create(corpus, name=f"d{i:02d}")
            names = [d.name async for d in client.corpora.documents.list(corpus, page_size=5)]
            assert names == [f"{corpus}/documents/d{i:02d}" for i in range(12)]
            pages = [
                p async for p in client.corpora.documents.list(corpus, page_size=5).iter_pages()
            ]
            assert [len(p.documents) for p in pages] == [5, 5, 2]
            doc = f"{corpus}/documents/d00"
            await client.corpora.documents.chunks.batch_create(
                doc, chunks=["Async clients await their replies.", "Soup on Fridays."]
            )
            hits = await client.corpora.query(corpus, query="await replies", results_count=2)
            assert hits.relevant_chunks
            answer = await client.models.generate_answer(
                contents="What do async clients do?",
                answer_style="EXTRACTIVE",
                inline_passages=[
                    GroundingPassage(id="a", content=Content.from_text("Async clients await."))
                ],
            )
            assert answer.answer is not None
            with pytest.raises(FailedPreconditionError):
                await client.corpora.delete(corpus)
        finally:
            await client.corpora.delete(corpus, force=True)
        with pytest.raises(MISSING_CORPUS):
            await client.corpora.get(corpus)
