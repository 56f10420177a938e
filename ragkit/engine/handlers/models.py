"""``models`` methods: get, list, embedContent, batchEmbedContents, countTokens (§13).

The engine serves two models: ``models/aqa`` (attributed QA, ``generateAnswer``) and
one embedding model, the engine's own embedder, named after it
(``models/all-minilm-l6-v2`` for the default). Google's embedding model names are not
served by default: their vectors would silently differ (see docs/engine-choices.md).
"""

from __future__ import annotations

import re

import numpy as np

from ragkit.engine.engine import Engine
from ragkit.engine.errors import ApiError, field_error, not_found
from ragkit.engine.handlers.common import paginate
from ragkit.engine.principal import Principal
from ragkit.engine.search import get_embedder
from ragkit.engine.store.pages import Cursor
from ragkit.tokens import count_tokens
from ragkit.types import (
    BatchEmbedContentsRequest,
    BatchEmbedContentsResponse,
    Content,
    ContentEmbedding,
    CountTokensRequest,
    CountTokensResponse,
    EmbedContentRequest,
    EmbedContentResponse,
    GetModelRequest,
    ListModelsRequest,
    ListModelsResponse,
    Model,
    TaskType,
    names,
)

AQA_MODEL = "models/aqa"
GEMINI_EMBEDDING_NAMES = ("models/gemini-embedding-001", "models/text-embedding-004")
DEFAULT_MODELS_PAGE_SIZE = 50
MAX_MODELS_PAGE_SIZE = 1000

AQA = Model(
    name=AQA_MODEL,
    base_model_id="aqa",
    version="001",
    display_name="Model that performs Attributed Question Answering.",
    description=(
        "Model trained to return answers to questions that are grounded in provided sources, "
        "along with estimating answerable probability."
    ),
    input_token_limit=7168,
    output_token_limit=1024,
    supported_generation_methods=["generateAnswer"],
    temperature=0.2,
    top_p=1.0,
    top_k=40,
)
_EMBED_METHODS = ["embedContent", "batchEmbedContents", "countTokens"]


def embedding_model_name(spec: str) -> str:
    """The model name the embedder ``spec`` is served under."""
    if spec.strip() in ("", "minilm", "minilm:int8"):
        return "models/all-minilm-l6-v2"
    slug = re.sub(r"[^a-z0-9]+", "-", spec.lower()).strip("-")[:40].rstrip("-")
    return f"models/local-{slug}"


def _embedding_model(engine: Engine) -> Model:
    spec = engine.settings.embedder
    name = embedding_model_name(spec)
    return Model(
        name=name,
        base_model_id=name.removeprefix("models/"),
        version="001",
        display_name=f"Local embedding model ({spec})",
        description="The local engine's embedder; the vectors its corpora are searched with.",
        input_token_limit=2048,
        output_token_limit=1,
        supported_generation_methods=_EMBED_METHODS,
    )


def catalog(engine: Engine) -> list[Model]:
    return [AQA, _embedding_model(engine)]


def _not_served(model: str, method: str | None = None) -> ApiError:
    suffix = f", or is not supported for {method}" if method else ""
    return not_found(
        f"{model} is not found for API version v1beta{suffix}. Call ListModels to see the "
        "list of available models and their supported methods."
    )


def _model_name(raw: str | None, *, field: str = "name") -> str:
    try:
        return names.model_name(raw or "")
    except ValueError as exc:
        raise field_error(field, str(exc)) from exc


def get(engine: Engine, who: Principal, request: GetModelRequest) -> Model:
    name = _model_name(request.name)
    for model in catalog(engine):
        if model.name == name:
            return model
    raise _not_served(name)


def list_(engine: Engine, who: Principal, request: ListModelsRequest) -> ListModelsResponse:
    models = catalog(engine)
    page, token = paginate(
        engine,
        ("models.list",),
        request,
        default=DEFAULT_MODELS_PAGE_SIZE,
        maximum=MAX_MODELS_PAGE_SIZE,
        fetch=lambda after, limit: models[(after.rowid + 1 if after else 0) :][:limit],
        cursor_of=lambda m: Cursor(0, models.index(m)),
    )
    return ListModelsResponse(models=list(page), next_page_token=token)


def _embedding_target(engine: Engine, model: str | None, method: str) -> str:
    name = _model_name(model, field="model")
    served = embedding_model_name(engine.settings.embedder)
    if name == served or (
        engine.settings.accept_gemini_embedding_names and name in GEMINI_EMBEDDING_NAMES
    ):
        return name
    raise _not_served(name, method)


def _text_of(content: Content, *, field: str) -> str:
    texts = [part.text for part in content.parts if part.text is not None]
    if not texts:
        raise field_error(field, "content must have at least one text part")
    return "\n".join(texts)


def _embed_one(engine: Engine, request: EmbedContentRequest, *, field: str) -> ContentEmbedding:
    text = _text_of(request.content, field=f"{field}content" if field else "content")
    task = request.task_type or TaskType.TASK_TYPE_UNSPECIFIED
    if request.title and task is not TaskType.RETRIEVAL_DOCUMENT:
        raise field_error(
            f"{field}title", "title is only applicable with taskType RETRIEVAL_DOCUMENT"
        )
    embedder = get_embedder(engine.settings.embedder)
    if task is TaskType.RETRIEVAL_QUERY:
        vector = embedder.embed_query(text)
    else:
        document = f"{request.title}\n{text}" if request.title else text
        vector = embedder.embed_documents([document])[0]
    size = request.output_dimensionality
    if size is not None:
        if size > len(vector):
            raise field_error(
                f"{field}outputDimensionality",
                f"the model's vectors have {len(vector)} dimensions; got {size}",
            )
        # Truncate then renormalise, as Matryoshka-style embedding APIs do.
        vector = vector[:size]
        norm = float(np.linalg.norm(vector))
        vector = vector / norm if norm > 0 else vector
    return ContentEmbedding(values=[float(v) for v in vector])


def embed_content(
    engine: Engine, who: Principal, request: EmbedContentRequest
) -> EmbedContentResponse:
    _embedding_target(engine, request.model, "embedContent")
    return EmbedContentResponse(embedding=_embed_one(engine, request, field=""))


def batch_embed_contents(
    engine: Engine, who: Principal, request: BatchEmbedContentsRequest
) -> BatchEmbedContentsResponse:
    url_model = _embedding_target(engine, request.model, "batchEmbedContents")
    for index, item in enumerate(request.requests):
        if item.model is not None and _model_name(item.model, field="model") != url_model:
            raise field_error(
                f"requests[{index}].model",
                f"Model {item.model} of a batch item differs from the model in the URL "
                f"({url_model}); every item must use the batch's model.",
            )
    return BatchEmbedContentsResponse(
        embeddings=[
            _embed_one(engine, item, field=f"requests[{index}].")
            for index, item in enumerate(request.requests)
        ]
    )


def count_tokens_(
    engine: Engine, who: Principal, request: CountTokensRequest
) -> CountTokensResponse:
    name = _model_name(request.model, field="model")
    if name not in {m.name for m in catalog(engine)}:
        raise _not_served(name, "countTokens")
    contents = list(request.contents)
    if request.generate_content_request is not None:
        inner = request.generate_content_request
        contents = list(inner.contents)
        if inner.system_instruction is not None:
            contents.append(inner.system_instruction)
    total = sum(
        count_tokens(part.text) for content in contents for part in content.parts if part.text
    )
    return CountTokensResponse(total_tokens=total)
