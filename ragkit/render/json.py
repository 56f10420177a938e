"""Answers and search hits as JSON with a documented, versioned schema (``--json``).

The shapes are described by JSON Schema files shipped beside this module
(``answer.schema.json``, ``search.schema.json``) and in ``docs/answer-json.md``.
Versioning rule: adding a key keeps the version; removing or renaming a key, or
changing a key's type or meaning, increments it. Consumers should ignore keys they
do not know.

>>> from ragkit.qa.answer import Answer, Timings
>>> refusal = Answer(question="Who?", text="The documents don't answer this question.",
...                  answered=False, style="ABSTRACTIVE", answerable_probability=0.1,
...                  threshold=0.5, mode="inline", corpus="corpora/docs",
...                  timings=Timings(total=0.2))
>>> data = answer_json(refusal)
>>> data["schema_version"], data["answered"], data["verdict"], data["citations"]
('1', False, 'refused', [])
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import cache
from importlib import resources
from typing import Any

from ragkit.qa.answer import Answer, Citation, Passage, SentenceAttribution, Timings

ANSWER_SCHEMA_VERSION = "1"
"""Version of the answer JSON; see the module docstring for when it changes."""
SEARCH_SCHEMA_VERSION = "1"
"""Version of the search JSON (``ragkit search --json``)."""

JSONObject = dict[str, Any]


def answer_json(answer: Answer, *, include_raw: bool = False) -> JSONObject:
    """The answer as a JSON-ready dict that validates against ``answer.schema.json``.

    ``include_raw`` adds the backend's generateAnswer response under ``raw`` (large,
    and its shape is Google's, not ours, so it is off by default).
    """
    data: JSONObject = {
        "schema_version": ANSWER_SCHEMA_VERSION,
        "question": answer.question,
        "answer": answer.text,
        "answered": answer.answered,
        "verdict": answer.verdict,
        "style": answer.style,
        "answerable_probability": answer.answerable_probability,
        "threshold": answer.threshold,
        "mode": answer.mode,
        "corpus": answer.corpus,
        "citations": [_citation(citation) for citation in answer.citations],
        "sentences": [_sentence(sentence) for sentence in answer.sentences],
        "nearest": [_passage(passage) for passage in answer.nearest],
        "model_answer": answer.model_answer,
        "timings": _timings(answer.timings),
    }
    if include_raw:
        data["raw"] = answer.raw
    return data


def dumps_answer(answer: Answer, *, indent: int | None = 2, include_raw: bool = False) -> str:
    """:func:`answer_json` serialised; non-ASCII text is kept as is (UTF-8 output).

    >>> from ragkit.qa.answer import Answer, Timings
    >>> answer = Answer(question="Q", text="A", answered=True, style="EXTRACTIVE",
    ...                 answerable_probability=0.9, threshold=0.5, mode="server",
    ...                 corpus="corpora/c", timings=Timings(total=0.1))
    >>> dumps_answer(answer, indent=None)[:44]
    '{"schema_version": "1", "question": "Q", "an'
    """
    return json.dumps(
        answer_json(answer, include_raw=include_raw), indent=indent, ensure_ascii=False
    )


def search_json(query: str, hits: Sequence[Passage]) -> JSONObject:
    """Search hits, best first, as a JSON-ready dict (validates against ``search.schema.json``).

    >>> search_json("key rotation", [])
    {'schema_version': '1', 'query': 'key rotation', 'hits': []}
    """
    return {
        "schema_version": SEARCH_SCHEMA_VERSION,
        "query": query,
        "hits": [{"rank": rank, **_passage(hit)} for rank, hit in enumerate(hits, start=1)],
    }


def dumps_search(query: str, hits: Sequence[Passage], *, indent: int | None = 2) -> str:
    """:func:`search_json` serialised (UTF-8, non-ASCII kept)."""
    return json.dumps(search_json(query, hits), indent=indent, ensure_ascii=False)


def load_schema(name: str = "answer") -> JSONObject:
    """The shipped JSON Schema (draft 2020-12) for ``"answer"`` or ``"search"`` output.

    Each call returns a fresh dict, so a caller may change it freely.

    >>> load_schema("answer")["properties"]["schema_version"]["const"]
    '1'
    """
    if name not in ("answer", "search"):
        raise ValueError(f"no schema named {name!r}; expected 'answer' or 'search'")
    schema: JSONObject = json.loads(_schema_text(name))
    return schema


@cache
def _schema_text(name: str) -> str:
    return resources.files("ragkit.render").joinpath(f"{name}.schema.json").read_text("utf-8")


def _pages(pages: tuple[int, int] | None) -> JSONObject | None:
    return None if pages is None else {"first": pages[0], "last": pages[1]}


def _citation(citation: Citation) -> JSONObject:
    span = citation.answer_span
    return {
        "number": citation.number,
        **_whereabouts(citation),
        "quote": citation.quote,
        "answer_span": None
        if span is None
        else {"start": span[0], "end": span[1], "text": citation.quote[span[0] : span[1]]},
        **_identity(citation),
    }


def _passage(passage: Passage) -> JSONObject:
    return {**_whereabouts(passage), "text": passage.text, **_identity(passage)}


def _whereabouts(source: Citation | Passage) -> JSONObject:
    return {
        "file": source.file,
        "title": source.title,
        "pages": _pages(source.pages),
        "section": source.section,
    }


def _identity(source: Citation | Passage) -> JSONObject:
    return {"chunk": source.chunk, "document": source.document, "score": source.score}


def _sentence(sentence: SentenceAttribution) -> JSONObject:
    return {
        "sentence": sentence.sentence,
        "citations": list(sentence.citations),
        "supported": sentence.supported,
    }


def _timings(timings: Timings) -> JSONObject:
    return {
        "retrieval": timings.retrieval,
        "generation": timings.generation,
        "total": timings.total,
    }
