"""``ask()``: a question in, one cited :class:`~ragkit.qa.answer.Answer` out.

Two modes, one result:

- ``inline`` (default): ``corpora:query`` finds the passages, then
  ``generateAnswer`` answers over exactly those passages, each passed with its chunk
  name as the passage ID, so every attribution maps back to a chunk we hold.
- ``server``: ``generateAnswer`` retrieves by itself (``semanticRetriever``); the
  chunks it attributes are fetched afterwards to find their file and pages.

Defaults follow Google's advice for attributed QA: temperature 0.2 (the AQA
model's own default), about 10 passages, and refusing at an answerable
probability of 0.5 or below. Below the threshold the answer is a refusal that
keeps what the model said (``model_answer``) and shows the nearest passages.

The sync and async entry points share every step but the I/O.

Example::

    from ragkit.qa import ask
    answer = ask("What are the three impact levels?", "corpora/ragkit")
    print(answer.text, [c.location() for c in answer.citations])
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from ragkit import docmeta
from ragkit.qa.align import align_sentences, locate
from ragkit.qa.answer import Answer, Citation, Passage, SentenceAttribution, Timings
from ragkit.types import (
    Chunk,
    Content,
    Document,
    GenerateAnswerResponse,
    GroundingPassage,
    GroundingPassages,
    MetadataFilter,
    Part,
    QueryCorpusResponse,
    RelevantChunk,
    SemanticRetrieverConfig,
    to_wire,
)
from ragkit.types.names import corpus_name, is_valid_id, parse_chunk_name

if TYPE_CHECKING:
    from ragkit.client import AsyncClient, Client

Mode = Literal["inline", "server"]
Style = Literal["ABSTRACTIVE", "EXTRACTIVE", "VERBOSE"]
History = Sequence[tuple[str, str]]

DEFAULT_TOP_K = 10
DEFAULT_THRESHOLD = 0.5
DEFAULT_TEMPERATURE = 0.2
REFUSAL_TEXT = "The documents don't answer this question."
NO_PASSAGES_TEXT = "No passage in the corpus matches this question."
AQA_MODEL = "models/aqa"


def normalize_corpus(corpus: str) -> str:
    """``papers`` → ``corpora/papers``; a full name is returned unchanged."""
    if corpus.startswith("corpora/"):
        return corpus
    if not is_valid_id(corpus):
        raise ValueError(
            f"corpus {corpus!r} is neither a corpus name (corpora/ID) nor a valid ID "
            "(lowercase letters, digits and '-', at most 40 characters)"
        )
    return corpus_name(corpus)


@dataclass(frozen=True)
class AskOptions:
    """Everything ``ask`` needs besides the question; see :func:`ask` for meanings."""

    corpus: str
    mode: Mode = "inline"
    style: Style = "ABSTRACTIVE"
    filters: tuple[MetadataFilter, ...] = ()
    top_k: int = DEFAULT_TOP_K
    min_score: float | None = None
    threshold: float = DEFAULT_THRESHOLD
    temperature: float = DEFAULT_TEMPERATURE
    history: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        if not 1 <= self.top_k <= 100:
            raise ValueError(f"top_k must be between 1 and 100 (the API's limit), not {self.top_k}")
        if not 0.0 <= self.threshold <= 1.0:
            raise ValueError(f"threshold must be between 0 and 1, not {self.threshold}")


@dataclass
class _Evidence:
    """The chunks and documents an answer refers to, gathered before it is built."""

    chunks: dict[str, Chunk] = field(default_factory=dict)
    documents: dict[str, Document] = field(default_factory=dict)
    scores: dict[str, float] = field(default_factory=dict)

    def add_relevant(self, relevant: Sequence[RelevantChunk]) -> None:
        for item in relevant:
            if item.chunk is None or item.chunk.name is None:
                continue
            self.chunks[item.chunk.name] = item.chunk
            self.scores[item.chunk.name] = item.chunk_relevance_score
            if item.document is not None and item.document.name is not None:
                self.documents[item.document.name] = item.document

    def missing_chunks(self, names: Sequence[str]) -> list[str]:
        return [name for name in names if name not in self.chunks]

    def missing_documents(self) -> list[str]:
        needed = {_document_of(name) for name in self.chunks}
        return sorted(needed - set(self.documents))


def ask(
    question: str,
    corpus: str,
    *,
    client: Client,
    mode: Mode = "inline",
    style: Style = "ABSTRACTIVE",
    where: Sequence[MetadataFilter] = (),
    top_k: int = DEFAULT_TOP_K,
    min_score: float | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    temperature: float = DEFAULT_TEMPERATURE,
    history: History = (),
) -> Answer:
    """Answer ``question`` from ``corpus`` with citations, or refuse.

    ``where`` are metadata filters (see :func:`ragkit.qa.where.parse_where`),
    ``top_k`` the passages given to the answerer, ``min_score`` drops weaker
    passages, ``threshold`` is the answerable probability at or below which ragkit
    refuses, and ``history`` holds earlier ``(role, text)`` turns (``user``/``model``).
    """
    options = _options(
        corpus, mode, style, where, top_k, min_score, threshold, temperature, history
    )
    started = time.perf_counter()
    evidence = _Evidence()
    retrieval = None
    if options.mode == "inline":
        retrieved = client.corpora.query(
            options.corpus,
            query=question,
            metadata_filters=list(options.filters),
            results_count=options.top_k,
        )
        retrieval = time.perf_counter() - started
        relevant = _usable(retrieved, options.min_score)
        evidence.add_relevant(relevant)
        if not relevant:
            return _no_passages(question, options, started, retrieval)
        request = _inline_request(question, relevant, options)
    else:
        request = _server_request(question, options)
    generation_started = time.perf_counter()
    response = client.models.generate_answer(AQA_MODEL, **request)
    generation = time.perf_counter() - generation_started
    for name in evidence.missing_chunks(_attributed_chunks(response)):
        evidence.chunks[name] = client.corpora.documents.chunks.get(name)
    if options.mode == "server" and _refuses(response, options):
        nearest = client.corpora.query(
            options.corpus, query=question, metadata_filters=list(options.filters), results_count=3
        )
        evidence.add_relevant(nearest.relevant_chunks)
    for name in evidence.missing_documents():
        evidence.documents[name] = client.corpora.documents.get(name)
    timings = Timings(
        retrieval=retrieval, generation=generation, total=time.perf_counter() - started
    )
    return _build_answer(question, options, response, evidence, timings)


async def ask_async(
    question: str,
    corpus: str,
    *,
    client: AsyncClient,
    mode: Mode = "inline",
    style: Style = "ABSTRACTIVE",
    where: Sequence[MetadataFilter] = (),
    top_k: int = DEFAULT_TOP_K,
    min_score: float | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    temperature: float = DEFAULT_TEMPERATURE,
    history: History = (),
) -> Answer:
    """The async twin of :func:`ask` (same arguments, an ``AsyncClient``)."""
    options = _options(
        corpus, mode, style, where, top_k, min_score, threshold, temperature, history
    )
    started = time.perf_counter()
    evidence = _Evidence()
    retrieval = None
    if options.mode == "inline":
        retrieved = await client.corpora.query(
            options.corpus,
            query=question,
            metadata_filters=list(options.filters),
            results_count=options.top_k,
        )
        retrieval = time.perf_counter() - started
        relevant = _usable(retrieved, options.min_score)
        evidence.add_relevant(relevant)
        if not relevant:
            return _no_passages(question, options, started, retrieval)
        request = _inline_request(question, relevant, options)
    else:
        request = _server_request(question, options)
    generation_started = time.perf_counter()
    response = await client.models.generate_answer(AQA_MODEL, **request)
    generation = time.perf_counter() - generation_started
    for name in evidence.missing_chunks(_attributed_chunks(response)):
        evidence.chunks[name] = await client.corpora.documents.chunks.get(name)
    if options.mode == "server" and _refuses(response, options):
        nearest = await client.corpora.query(
            options.corpus, query=question, metadata_filters=list(options.filters), results_count=3
        )
        evidence.add_relevant(nearest.relevant_chunks)
    for name in evidence.missing_documents():
        evidence.documents[name] = await client.corpora.documents.get(name)
    timings = Timings(
        retrieval=retrieval, generation=generation, total=time.perf_counter() - started
    )
    return _build_answer(question, options, response, evidence, timings)


def search(
    query: str,
    corpus: str,
    *,
    client: Client,
    where: Sequence[MetadataFilter] = (),
    top_k: int = DEFAULT_TOP_K,
) -> list[Passage]:
    """The passages ``corpora:query`` finds for ``query``, best first, with their sources."""
    response = client.corpora.query(
        normalize_corpus(corpus),
        query=query,
        metadata_filters=list(where),
        results_count=top_k,
    )
    evidence = _Evidence()
    evidence.add_relevant(response.relevant_chunks)
    for name in evidence.missing_documents():
        evidence.documents[name] = client.corpora.documents.get(name)
    return [_passage(name, evidence) for name in evidence.chunks]


async def search_async(
    query: str,
    corpus: str,
    *,
    client: AsyncClient,
    where: Sequence[MetadataFilter] = (),
    top_k: int = DEFAULT_TOP_K,
) -> list[Passage]:
    """The async twin of :func:`search`."""
    response = await client.corpora.query(
        normalize_corpus(corpus),
        query=query,
        metadata_filters=list(where),
        results_count=top_k,
    )
    evidence = _Evidence()
    evidence.add_relevant(response.relevant_chunks)
    for name in evidence.missing_documents():
        evidence.documents[name] = await client.corpora.documents.get(name)
    return [_passage(name, evidence) for name in evidence.chunks]


# --- the pure steps both twins share -------------------------------------------------


def _options(
    corpus: str,
    mode: Mode,
    style: Style,
    where: Sequence[MetadataFilter],
    top_k: int,
    min_score: float | None,
    threshold: float,
    temperature: float,
    history: History,
) -> AskOptions:
    return AskOptions(
        corpus=normalize_corpus(corpus),
        mode=mode,
        style=style,
        filters=tuple(where),
        top_k=top_k,
        min_score=min_score,
        threshold=threshold,
        temperature=temperature,
        history=tuple(history),
    )


def _usable(response: QueryCorpusResponse, min_score: float | None) -> list[RelevantChunk]:
    return [
        item
        for item in response.relevant_chunks
        if item.chunk is not None
        and item.chunk.name is not None
        and (min_score is None or item.chunk_relevance_score >= min_score)
    ]


def _contents(question: str, history: Sequence[tuple[str, str]]) -> list[Content]:
    turns = [Content.from_text(text, role=role) for role, text in history]
    return [*turns, Content.from_text(question, role="user")]


def _inline_request(
    question: str, relevant: Sequence[RelevantChunk], options: AskOptions
) -> dict[str, Any]:
    passages = [
        GroundingPassage(
            id=item.chunk.name,
            content=Content(parts=[Part(text=_chunk_text(item.chunk))]),
        )
        for item in relevant
        if item.chunk is not None
    ]
    return {
        "contents": _contents(question, options.history),
        "answer_style": options.style,
        "inline_passages": GroundingPassages(passages=passages),
        "temperature": options.temperature,
    }


def _server_request(question: str, options: AskOptions) -> dict[str, Any]:
    retriever = SemanticRetrieverConfig(
        source=options.corpus,
        query=Content.from_text(question),
        metadata_filters=list(options.filters),
        max_chunks_count=options.top_k,
        minimum_relevance_score=options.min_score,
    )
    return {
        "contents": _contents(question, options.history),
        "answer_style": options.style,
        "semantic_retriever": retriever,
        "temperature": options.temperature,
    }


def _attributed_chunks(response: GenerateAnswerResponse) -> list[str]:
    """Chunk names the answer is attributed to, in order, without repeats."""
    names: list[str] = []
    candidate = response.answer
    for attribution in candidate.grounding_attributions if candidate else []:
        source = attribution.source_id
        name = None
        if source is not None and source.grounding_passage is not None:
            name = source.grounding_passage.passage_id
        elif source is not None and source.semantic_retriever_chunk is not None:
            name = source.semantic_retriever_chunk.chunk
        if name and name not in names:
            names.append(name)
    return names


def _refuses(response: GenerateAnswerResponse, options: AskOptions) -> bool:
    if response.answer is None:
        return True
    probability = response.answerable_probability
    return probability is not None and probability <= options.threshold


def _build_answer(
    question: str,
    options: AskOptions,
    response: GenerateAnswerResponse,
    evidence: _Evidence,
    timings: Timings,
) -> Answer:
    model_text = response.answer.text if response.answer is not None else ""
    raw = to_wire(response)
    common = {
        "question": question,
        "style": options.style,
        "answerable_probability": response.answerable_probability,
        "threshold": options.threshold,
        "mode": options.mode,
        "corpus": options.corpus,
        "timings": timings,
        "raw": raw,
    }
    if _refuses(response, options):
        blocked = response.input_feedback and response.input_feedback.block_reason
        text = f"The question was blocked ({blocked})." if blocked else REFUSAL_TEXT
        nearest = tuple(_passage(name, evidence) for name in list(evidence.chunks)[:3])
        return Answer(
            text=text, answered=False, nearest=nearest, model_answer=model_text or None, **common
        )
    citations = tuple(
        _citation(number, name, model_text, evidence)
        for number, name in enumerate(_attributed_chunks(response), start=1)
        if name in evidence.chunks
    )
    aligned = align_sentences(model_text, [citation.quote for citation in citations])
    sentences = tuple(
        SentenceAttribution(
            sentence=item.sentence,
            citations=tuple(citations[index].number for index in item.supporting),
            supported=item.supported,
        )
        for item in aligned
    )
    return Answer(
        text=model_text, answered=True, citations=citations, sentences=sentences, **common
    )


def _citation(number: int, name: str, answer_text: str, evidence: _Evidence) -> Citation:
    chunk = evidence.chunks[name]
    document_name = _document_of(name)
    document = evidence.documents.get(document_name)
    info = docmeta.document_info(document) if document else None
    where = docmeta.chunk_info(chunk)
    quote = _chunk_text(chunk)
    return Citation(
        number=number,
        chunk=name,
        document=document_name,
        file=info.source if info else None,
        title=info.title if info else None,
        pages=where.pages,
        section=where.section,
        quote=quote,
        answer_span=locate(answer_text, quote),
        score=evidence.scores.get(name),
    )


def _passage(name: str, evidence: _Evidence) -> Passage:
    chunk = evidence.chunks[name]
    document_name = _document_of(name)
    document = evidence.documents.get(document_name)
    info = docmeta.document_info(document) if document else None
    where = docmeta.chunk_info(chunk)
    return Passage(
        chunk=name,
        document=document_name,
        file=info.source if info else None,
        title=info.title if info else None,
        pages=where.pages,
        section=where.section,
        text=_chunk_text(chunk),
        score=evidence.scores.get(name),
    )


def _no_passages(question: str, options: AskOptions, started: float, retrieval: float) -> Answer:
    return Answer(
        question=question,
        text=NO_PASSAGES_TEXT,
        answered=False,
        style=options.style,
        answerable_probability=0.0,
        threshold=options.threshold,
        mode=options.mode,
        corpus=options.corpus,
        timings=Timings(retrieval=retrieval, total=time.perf_counter() - started),
    )


def _chunk_text(chunk: Chunk) -> str:
    return chunk.data.string_value if chunk.data is not None else ""


def _document_of(chunk: str) -> str:
    ids = parse_chunk_name(chunk, what="chunk")
    return f"corpora/{ids.corpus_id}/documents/{ids.document_id}"
