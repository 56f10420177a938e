"""``client.models``: model lookup, AQA, embeddings, token counts, generation (12-13)."""

from __future__ import annotations

from collections.abc import Sequence

from ragkit.client import _paths
from ragkit.client._base import APICall
from ragkit.client._pagination import AsyncPager, SyncPager
from ragkit.client._streaming import AsyncStream, Stream
from ragkit.client._types import NOT_GIVEN, NotGiven, given
from ragkit.client.resources import _calls as calls
from ragkit.client.resources._calls import ContentsInput
from ragkit.client.resources._resource import AsyncResource, SyncResource
from ragkit.types import (
    AnswerStyle,
    BatchEmbedContentsRequest,
    BatchEmbedContentsResponse,
    Content,
    CountTokensRequest,
    CountTokensResponse,
    EmbedContentRequest,
    EmbedContentResponse,
    GenerateAnswerRequest,
    GenerateAnswerResponse,
    GenerateContentRequest,
    GenerateContentResponse,
    GenerationConfig,
    GroundingPassage,
    GroundingPassages,
    ListModelsResponse,
    Model,
    SafetySetting,
    SemanticRetrieverConfig,
    TaskType,
    Tool,
    ToolConfig,
)

AQA = "models/aqa"
ListCall = APICall[ListModelsResponse]
PassagesInput = GroundingPassages | Sequence[GroundingPassage]
RetrieverInput = SemanticRetrieverConfig | str
"""A retriever config, or just its ``source`` (a corpus or document name): the query
is then the last turn of ``contents``."""
EmbedInput = EmbedContentRequest | str | Content


def _retriever(value: RetrieverInput, contents: list[Content]) -> SemanticRetrieverConfig:
    if isinstance(value, SemanticRetrieverConfig):
        return value
    if not contents:
        raise ValueError("contents must not be empty")
    query = Content(parts=contents[-1].parts)
    return SemanticRetrieverConfig(
        source=_paths.source(value, what="semantic_retriever"), query=query
    )


def _generate_answer(
    model: str,
    contents: ContentsInput,
    answer_style: AnswerStyle | str,
    inline_passages: PassagesInput | NotGiven,
    semantic_retriever: RetrieverInput | NotGiven,
    safety_settings: Sequence[SafetySetting] | NotGiven,
    temperature: float | NotGiven,
) -> APICall[GenerateAnswerResponse]:
    path = _paths.model(model)
    turns = calls.contents(contents)
    fields = given({"safety_settings": safety_settings, "temperature": temperature})
    if not isinstance(inline_passages, NotGiven):
        fields["inline_passages"] = (
            inline_passages
            if isinstance(inline_passages, GroundingPassages)
            else GroundingPassages(passages=list(inline_passages))
        )
    if not isinstance(semantic_retriever, NotGiven):
        fields["semantic_retriever"] = _retriever(semantic_retriever, turns)
    request = GenerateAnswerRequest(contents=turns, answer_style=answer_style, **fields)
    return calls.post(
        f"{path}:generateAnswer", request, GenerateAnswerResponse.model_validate, drop=("model",)
    )


def _embed_request(value: EmbedInput, model: str, *, what: str) -> EmbedContentRequest:
    if isinstance(value, str):
        value = Content.from_text(value)
    if isinstance(value, Content):
        return EmbedContentRequest(model=model, content=value)
    if value.model is not None and _paths.model(value.model, what=what) != model:
        raise ValueError(f"{what} is for {value.model!r}; this batch is for {model!r}")
    return value.model_copy(update={"model": model})


def _embed_content(
    model: str,
    content: str | Content,
    task_type: TaskType | str | NotGiven,
    title: str | NotGiven,
    output_dimensionality: int | NotGiven,
) -> APICall[EmbedContentResponse]:
    path = _paths.model(model)
    request = EmbedContentRequest(
        content=Content.from_text(content) if isinstance(content, str) else content,
        **given(
            {
                "task_type": task_type,
                "title": title,
                "output_dimensionality": output_dimensionality,
            }
        ),
    )
    return calls.post(
        f"{path}:embedContent", request, EmbedContentResponse.model_validate, drop=("model",)
    )


def _batch_embed(model: str, requests: Sequence[EmbedInput]) -> APICall[BatchEmbedContentsResponse]:
    path = _paths.model(model)
    batch = BatchEmbedContentsRequest(
        requests=[
            _embed_request(item, path, what=f"requests[{index}]")
            for index, item in enumerate(requests)
        ]
    )
    return calls.post(
        f"{path}:batchEmbedContents",
        batch,
        BatchEmbedContentsResponse.model_validate,
        drop=("model",),
    )


def _generate(
    model: str,
    contents: ContentsInput,
    system_instruction: str | Content | NotGiven,
    tools: Sequence[Tool] | NotGiven,
    tool_config: ToolConfig | NotGiven,
    safety_settings: Sequence[SafetySetting] | NotGiven,
    generation_config: GenerationConfig | NotGiven,
    cached_content: str | NotGiven,
    *,
    stream: bool,
) -> APICall[GenerateContentResponse]:
    path = _paths.model(model)
    fields = given(
        {
            "tools": tools,
            "tool_config": tool_config,
            "safety_settings": safety_settings,
            "generation_config": generation_config,
            "cached_content": cached_content,
        }
    )
    if not isinstance(system_instruction, NotGiven):
        fields["system_instruction"] = (
            Content.from_text(system_instruction)
            if isinstance(system_instruction, str)
            else system_instruction
        )
    request = GenerateContentRequest(model=path, contents=calls.contents(contents), **fields)
    verb = "streamGenerateContent" if stream else "generateContent"
    call = calls.post(
        f"{path}:{verb}",
        request,
        GenerateContentResponse.model_validate,
        drop=("model",),
        generation=True,
    )
    return call.with_params(alt="sse") if stream else call


def _count_tokens(
    model: str,
    contents: ContentsInput | NotGiven,
    generate_content_request: GenerateContentRequest | NotGiven,
) -> APICall[CountTokensResponse]:
    path = _paths.model(model)
    fields: dict[str, object] = {}
    if not isinstance(contents, NotGiven):
        fields["contents"] = calls.contents(contents)
    if not isinstance(generate_content_request, NotGiven):
        inner = generate_content_request
        # The embedded request must name its model; default it to the URL's.
        fields["generate_content_request"] = (
            inner if inner.model else inner.model_copy(update={"model": path})
        )
    request = CountTokensRequest(**fields)
    return calls.post(
        f"{path}:countTokens", request, CountTokensResponse.model_validate, drop=("model",)
    )


def _get(name: str) -> APICall[Model]:
    return calls.get(_paths.model(name, what="name"), Model)


def _list(page_size: int | NotGiven) -> ListCall:
    return calls.listing("models", ListModelsResponse, page_size=page_size)


def _items(page: ListModelsResponse) -> Sequence[Model]:
    return page.models


class Models(SyncResource):
    """``client.models``. A model argument is ``"models/aqa"`` or its bare ID ``"aqa"``."""

    def get(self, name: str) -> Model:
        """Describe a model (limits, supported methods, defaults)."""
        return self._client._request(_get(name))

    def list(
        self, *, page_size: int | NotGiven = NOT_GIVEN
    ) -> SyncPager[Model, ListModelsResponse]:
        """Every model the backend offers, page by page as you iterate."""
        return self._client._paged(_list(page_size), _items)

    def generate_answer(
        self,
        model: str = AQA,
        *,
        contents: ContentsInput,
        answer_style: AnswerStyle | str,
        inline_passages: PassagesInput | NotGiven = NOT_GIVEN,
        semantic_retriever: RetrieverInput | NotGiven = NOT_GIVEN,
        safety_settings: Sequence[SafetySetting] | NotGiven = NOT_GIVEN,
        temperature: float | NotGiven = NOT_GIVEN,
    ) -> GenerateAnswerResponse:
        """Answer a question grounded in passages or a corpus, with attributions.

        Give exactly one of ``inline_passages`` and ``semantic_retriever``.

        >>> answer = client.models.generate_answer(  # doctest: +SKIP
        ...     contents="How often should keys be rotated?",
        ...     answer_style="ABSTRACTIVE",
        ...     semantic_retriever="corpora/papers")
        >>> answer.answerable_probability  # doctest: +SKIP
        0.94
        """
        call = _generate_answer(
            model, contents, answer_style, inline_passages, semantic_retriever,
            safety_settings, temperature,
        )  # fmt: skip
        return self._client._request(call)

    def embed_content(
        self,
        model: str,
        *,
        content: str | Content,
        task_type: TaskType | str | NotGiven = NOT_GIVEN,
        title: str | NotGiven = NOT_GIVEN,
        output_dimensionality: int | NotGiven = NOT_GIVEN,
    ) -> EmbedContentResponse:
        """Embed one text (``title`` only helps with ``task_type=RETRIEVAL_DOCUMENT``)."""
        call = _embed_content(model, content, task_type, title, output_dimensionality)
        return self._client._request(call)

    def batch_embed_contents(
        self, model: str, *, requests: Sequence[EmbedInput]
    ) -> BatchEmbedContentsResponse:
        """Embed 1 to 100 texts or requests in one call; embeddings come back in order."""
        return self._client._request(_batch_embed(model, requests))

    def count_tokens(
        self,
        model: str,
        *,
        contents: ContentsInput | NotGiven = NOT_GIVEN,
        generate_content_request: GenerateContentRequest | NotGiven = NOT_GIVEN,
    ) -> CountTokensResponse:
        """Count the tokens of ``contents`` (or of a whole generate request) for ``model``."""
        return self._client._request(_count_tokens(model, contents, generate_content_request))

    def generate_content(
        self,
        model: str,
        *,
        contents: ContentsInput,
        system_instruction: str | Content | NotGiven = NOT_GIVEN,
        tools: Sequence[Tool] | NotGiven = NOT_GIVEN,
        tool_config: ToolConfig | NotGiven = NOT_GIVEN,
        safety_settings: Sequence[SafetySetting] | NotGiven = NOT_GIVEN,
        generation_config: GenerationConfig | NotGiven = NOT_GIVEN,
        cached_content: str | NotGiven = NOT_GIVEN,
    ) -> GenerateContentResponse:
        """Free generation (the usual fallback when AQA finds the question unanswerable)."""
        call = _generate(
            model, contents, system_instruction, tools, tool_config, safety_settings,
            generation_config, cached_content, stream=False,
        )  # fmt: skip
        return self._client._request(call)

    def stream_generate_content(
        self,
        model: str,
        *,
        contents: ContentsInput,
        system_instruction: str | Content | NotGiven = NOT_GIVEN,
        tools: Sequence[Tool] | NotGiven = NOT_GIVEN,
        tool_config: ToolConfig | NotGiven = NOT_GIVEN,
        safety_settings: Sequence[SafetySetting] | NotGiven = NOT_GIVEN,
        generation_config: GenerationConfig | NotGiven = NOT_GIVEN,
        cached_content: str | NotGiven = NOT_GIVEN,
    ) -> Stream[GenerateContentResponse]:
        """``generate_content`` as server-sent events: iterate the partial responses.

        Example::

            with client.models.stream_generate_content("gemini-2.0-flash", contents="Hi") as s:
                for part in s:
                    print(part.candidates[0].content.text, end="")
        """
        call = _generate(
            model, contents, system_instruction, tools, tool_config, safety_settings,
            generation_config, cached_content, stream=True,
        )  # fmt: skip
        return self._client._stream(call)


class AsyncModels(AsyncResource):
    """The async twin of ``Models``."""

    async def get(self, name: str) -> Model:
        return await self._client._request(_get(name))

    def list(
        self, *, page_size: int | NotGiven = NOT_GIVEN
    ) -> AsyncPager[Model, ListModelsResponse]:
        return self._client._paged(_list(page_size), _items)

    async def generate_answer(
        self,
        model: str = AQA,
        *,
        contents: ContentsInput,
        answer_style: AnswerStyle | str,
        inline_passages: PassagesInput | NotGiven = NOT_GIVEN,
        semantic_retriever: RetrieverInput | NotGiven = NOT_GIVEN,
        safety_settings: Sequence[SafetySetting] | NotGiven = NOT_GIVEN,
        temperature: float | NotGiven = NOT_GIVEN,
    ) -> GenerateAnswerResponse:
        call = _generate_answer(
            model, contents, answer_style, inline_passages, semantic_retriever,
            safety_settings, temperature,
        )  # fmt: skip
        return await self._client._request(call)

    async def embed_content(
        self,
        model: str,
        *,
        content: str | Content,
        task_type: TaskType | str | NotGiven = NOT_GIVEN,
        title: str | NotGiven = NOT_GIVEN,
        output_dimensionality: int | NotGiven = NOT_GIVEN,
    ) -> EmbedContentResponse:
        call = _embed_content(model, content, task_type, title, output_dimensionality)
        return await self._client._request(call)

    async def batch_embed_contents(
        self, model: str, *, requests: Sequence[EmbedInput]
    ) -> BatchEmbedContentsResponse:
        return await self._client._request(_batch_embed(model, requests))

    async def count_tokens(
        self,
        model: str,
        *,
        contents: ContentsInput | NotGiven = NOT_GIVEN,
        generate_content_request: GenerateContentRequest | NotGiven = NOT_GIVEN,
    ) -> CountTokensResponse:
        return await self._client._request(_count_tokens(model, contents, generate_content_request))

    async def generate_content(
        self,
        model: str,
        *,
        contents: ContentsInput,
        system_instruction: str | Content | NotGiven = NOT_GIVEN,
        tools: Sequence[Tool] | NotGiven = NOT_GIVEN,
        tool_config: ToolConfig | NotGiven = NOT_GIVEN,
        safety_settings: Sequence[SafetySetting] | NotGiven = NOT_GIVEN,
        generation_config: GenerationConfig | NotGiven = NOT_GIVEN,
        cached_content: str | NotGiven = NOT_GIVEN,
    ) -> GenerateContentResponse:
        call = _generate(
            model, contents, system_instruction, tools, tool_config, safety_settings,
            generation_config, cached_content, stream=False,
        )  # fmt: skip
        return await self._client._request(call)

    async def stream_generate_content(
        self,
        model: str,
        *,
        contents: ContentsInput,
        system_instruction: str | Content | NotGiven = NOT_GIVEN,
        tools: Sequence[Tool] | NotGiven = NOT_GIVEN,
        tool_config: ToolConfig | NotGiven = NOT_GIVEN,
        safety_settings: Sequence[SafetySetting] | NotGiven = NOT_GIVEN,
        generation_config: GenerationConfig | NotGiven = NOT_GIVEN,
        cached_content: str | NotGiven = NOT_GIVEN,
    ) -> AsyncStream[GenerateContentResponse]:
        call = _generate(
            model, contents, system_instruction, tools, tool_config, safety_settings,
            generation_config, cached_content, stream=True,
        )  # fmt: skip
        return await self._client._stream(call)
