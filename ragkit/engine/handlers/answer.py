"""``models/aqa:generateAnswer`` (reference §12) over the local attributed-QA answerer.

Validation mirrors the service: only ``models/aqa``; ``answerStyle`` required;
exactly one grounding source (checked by the request model); the question is the
last Content, earlier ones are the conversation history. The answer itself comes
from :func:`ragkit.engine.aqa.answer`, which is extractive and deterministic, or, for
ABSTRACTIVE and VERBOSE when the engine has a generator configured, from that
generator (see :func:`_answer`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence

from ragkit.engine import aqa
from ragkit.engine.aqa.generator import GeneratorError, generate
from ragkit.engine.engine import Engine
from ragkit.engine.errors import field_error, invalid_argument, unavailable
from ragkit.engine.handlers.common import parse_name
from ragkit.engine.handlers.query import search
from ragkit.engine.principal import Principal
from ragkit.types import (
    AttributionSourceId,
    Candidate,
    Content,
    FinishReason,
    GenerateAnswerRequest,
    GenerateAnswerResponse,
    GroundingAttribution,
    GroundingPassageId,
    HarmCategory,
    SemanticRetrieverChunk,
    SemanticRetrieverConfig,
    limits,
    names,
)

AQA_MODEL = "models/aqa"
# Google's exact (observed) message for any model other than models/aqa.
WRONG_MODEL_MESSAGE = "* GenerateAnswerRequest.model: unexpected model name format\n"
SUPPORTED_CATEGORIES = frozenset(
    {
        HarmCategory.HARM_CATEGORY_HATE_SPEECH,
        HarmCategory.HARM_CATEGORY_SEXUALLY_EXPLICIT,
        HarmCategory.HARM_CATEGORY_DANGEROUS_CONTENT,
        HarmCategory.HARM_CATEGORY_HARASSMENT,
    }
)


_STYLES: dict[str, aqa.AnswerStyle] = {style: style for style in aqa.ANSWER_STYLES}
# Google's suggested threshold (reference §12.2) and ragkit.qa's default: an answer at or
# below it is an abstention.
ANSWERABLE_ABOVE = 0.5


def _check_request(request: GenerateAnswerRequest) -> None:
    try:
        model = names.model_name(request.model or "")
    except ValueError:
        model = ""
    if model != AQA_MODEL:
        raise invalid_argument(WRONG_MODEL_MESSAGE, [("model", "only models/aqa answers")])
    if request.answer_style.is_unspecified:
        raise field_error("answerStyle", "answerStyle is required")
    if not request.contents or not request.contents[-1].text.strip():
        raise field_error("contents", "the last content must hold the question as text")
    seen: set[HarmCategory] = set()
    for index, setting in enumerate(request.safety_settings):
        if setting.category not in SUPPORTED_CATEGORIES:
            raise field_error(
                f"safetySettings[{index}].category",
                f"{setting.category} is not supported by generateAnswer",
            )
        if setting.category in seen:
            raise field_error(
                f"safetySettings[{index}].category", f"{setting.category} is set twice"
            )
        seen.add(setting.category)


def _history(request: GenerateAnswerRequest) -> list[tuple[str, str]]:
    return [(content.role or "user", content.text) for content in request.contents[:-1]]


def _attributions(
    result: aqa.AqaAnswer, source_of: Callable[[aqa.Attribution], AttributionSourceId]
) -> list[GroundingAttribution]:
    """The answer's attributions on the wire; ``content`` is the supporting part's text."""
    return [
        GroundingAttribution(source_id=source_of(item), content=Content.from_text(item.text))
        for item in result.attributions
    ]


def _answer(
    engine: Engine,
    question: str,
    passages: Sequence[aqa.Passage],
    *,
    style: aqa.AnswerStyle,
    history: Sequence[tuple[str, str]],
    temperature: float,
) -> aqa.AqaAnswer:
    """The local answer, rewritten by the configured generator for ABSTRACTIVE/VERBOSE.

    The local answerer always runs first: its calibrated probability is the answer's
    ``answerableProbability`` and its abstention (probability <= 0.5) is final, without
    calling the generator. When the generator refuses (or cites nothing), the local
    answer is returned with its probability lowered to at most 0.5, i.e. an abstention.
    A generator that cannot be reached makes the request fail with 503 UNAVAILABLE.
    """
    local = aqa.answer(question, passages, style=style, history=history, temperature=temperature)
    generator = engine.generator
    if (
        generator is None
        or style == "EXTRACTIVE"
        or local.answerable_probability <= ANSWERABLE_ABOVE
        or not local.attributions
    ):
        return local
    try:
        generated = generate(
            generator, question, passages, style=style, history=history, temperature=temperature
        )
    except GeneratorError as exc:
        raise unavailable(f"The {generator.label} is unavailable: {exc}.") from exc
    if generated is None:
        lowered = min(local.answerable_probability, ANSWERABLE_ABOVE)
        return dataclasses.replace(local, answerable_probability=lowered)
    return aqa.AqaAnswer(generated.text, generated.attributions, local.answerable_probability)


def _candidate(text: str, attributions: list[GroundingAttribution]) -> Candidate:
    return Candidate(
        content=Content.from_text(text, role="model"),
        finish_reason=FinishReason.STOP,
        grounding_attributions=attributions,
    )


def generate_answer(
    engine: Engine, who: Principal, request: GenerateAnswerRequest
) -> GenerateAnswerResponse:
    _check_request(request)
    question = request.contents[-1].text
    style = _STYLES[request.answer_style.value]
    temperature = 0.2 if request.temperature is None else request.temperature
    source_of: Callable[[aqa.Attribution], AttributionSourceId]
    if request.inline_passages is not None:
        passages = _inline_passages(request)

        def source_of(item: aqa.Attribution) -> AttributionSourceId:
            return AttributionSourceId(
                grounding_passage=GroundingPassageId(
                    passage_id=item.passage_id, part_index=item.part_index
                )
            )

    else:
        retriever = request.semantic_retriever
        assert retriever is not None  # exactly one source: checked by the model
        passages = _retrieved_passages(engine, who, retriever)
        source_name = retriever.source

        def source_of(item: aqa.Attribution) -> AttributionSourceId:
            return AttributionSourceId(
                semantic_retriever_chunk=SemanticRetrieverChunk(
                    source=source_name, chunk=item.passage_id
                )
            )

    result = _answer(
        engine, question, passages, style=style, history=_history(request), temperature=temperature
    )
    return GenerateAnswerResponse(
        answer=_candidate(result.text, _attributions(result, source_of)),
        answerable_probability=result.answerable_probability,
    )


def _retrieved_passages(
    engine: Engine, who: Principal, retriever: SemanticRetrieverConfig
) -> list[aqa.Passage]:
    """The chunks the semantic retriever finds, as passages named by their chunk names."""
    source = parse_name(names.parse_source, retriever.source, field="semanticRetriever.source")
    query = retriever.query.text
    if not query.strip():
        raise field_error("semanticRetriever.query", "query must have text")
    requested = retriever.max_chunks_count or limits.DEFAULT_RESULTS_COUNT
    found = search(
        engine,
        who,
        source.corpus_id,
        source.document_id,
        query,
        k=min(requested, limits.MAX_RESULTS_COUNT),
        metadata_filters=retriever.metadata_filters,
        field="semanticRetriever.metadataFilters",
    )
    floor = retriever.minimum_relevance_score
    hits = [hit for hit, _ in found if floor is None or hit.score >= floor]
    return [
        aqa.Passage(
            names.chunk_name(h.chunk.corpus_id, h.chunk.document_id, h.chunk.chunk_id),
            (h.chunk.text,),
            relevance=h.score,
        )
        for h in hits
    ]


def _inline_passages(request: GenerateAnswerRequest) -> list[aqa.Passage]:
    assert request.inline_passages is not None
    passages: list[aqa.Passage] = []
    seen: set[str] = set()
    for index, passage in enumerate(request.inline_passages.passages):
        where = f"inlinePassages.passages[{index}]"
        if not passage.id:
            raise field_error(f"{where}.id", "a grounding passage needs an id")
        if passage.id in seen:
            raise field_error(f"{where}.id", f"passage id {passage.id!r} is used twice")
        seen.add(passage.id)
        if passage.content is None or not passage.content.parts:
            raise field_error(f"{where}.content", "a grounding passage needs content")
        passages.append(
            aqa.Passage(passage.id, tuple(part.text or "" for part in passage.content.parts))
        )
    if not passages:
        raise field_error("inlinePassages.passages", "at least one passage is required")
    return passages
