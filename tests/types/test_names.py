"""Resource IDs and names: validate, build, parse."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from ragkit.types import Chunk, Corpus, SemanticRetrieverConfig, names
from ragkit.types.content import Content

VALID_IDS = ["a", "0", "9", "my-corpus", "a1", "x" * 40, "a-b-c", "123456789123456789", "a--b"]
INVALID_IDS = ["", "-a", "a-", "-", "A", "my_corpus", "my corpus", "x" * 41, "é", "a/b", "a.b"]


@pytest.mark.parametrize("value", VALID_IDS)
def test_valid_ids(value: str) -> None:
    assert names.is_valid_id(value)
    assert names.validate_id(value, what="corpus_id") == value


@pytest.mark.parametrize("value", INVALID_IDS)
def test_invalid_ids_name_the_argument_and_the_rule(value: str) -> None:
    assert not names.is_valid_id(value)
    with pytest.raises(ValueError, match=r"^document_id .* is not a valid ID: expected 1-40"):
        names.validate_id(value, what="document_id")


def test_builders() -> None:
    assert names.corpus_name("c") == "corpora/c"
    assert names.document_name("c", "d") == "corpora/c/documents/d"
    assert names.chunk_name("c", "d", "k") == "corpora/c/documents/d/chunks/k"
    assert names.permission_name("c", "123") == "corpora/c/permissions/123"
    with pytest.raises(ValueError, match="chunk_id"):
        names.chunk_name("c", "d", "Bad")


def test_parsers_return_the_ids() -> None:
    assert names.parse_corpus_name("corpora/c") == "c"
    assert names.parse_document_name("corpora/c/documents/d") == ("c", "d")
    ids = names.parse_chunk_name("corpora/c/documents/d/chunks/k")
    assert (ids.corpus_id, ids.document_id, ids.chunk_id) == ("c", "d", "k")
    assert names.parse_permission_name("corpora/c/permissions/1").permission_id == "1"
    assert names.parse_source("corpora/c") == ("c", None)
    assert names.parse_source("corpora/c/documents/d") == ("c", "d")


@pytest.mark.parametrize(
    ("parse", "value", "form"),
    [
        (names.parse_corpus_name, "corpus/c", "corpora/{corpus}"),
        (names.parse_corpus_name, "corpora/c/documents/d", "corpora/{corpus}"),
        (names.parse_document_name, "corpora/c", "corpora/{corpus}/documents/{document}"),
        (names.parse_document_name, "corpora/c/documents/", "corpora/{corpus}/documents/"),
        (names.parse_chunk_name, "corpora/c/documents/d/chunk/k", "chunks/{chunk}"),
        (names.parse_permission_name, "corpora/c/permission/1", "permissions/{permission}"),
        (names.parse_source, "corpora/c/documents/d/chunks/k", "corpora/{corpus}"),
    ],
)
def test_parsers_reject_other_shapes(parse: object, value: str, form: str) -> None:
    with pytest.raises(ValueError, match="is not a resource name of the form") as caught:
        parse(value, what="parent")  # type: ignore[operator]
    assert str(caught.value).startswith("parent ")
    assert form in str(caught.value)


def test_parsers_reject_bad_ids_inside_good_shapes() -> None:
    with pytest.raises(ValueError, match="each ID must be 1-40 characters"):
        names.parse_document_name("corpora/c/documents/Bad_Id")


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("aqa", "models/aqa"),
        ("models/aqa", "models/aqa"),
        (" aqa ", "models/aqa"),
        ("tunedModels/my-model", "tunedModels/my-model"),
    ],
)
def test_model_name(given: str, expected: str) -> None:
    assert names.model_name(given) == expected


@pytest.mark.parametrize("bad", ["", "  ", "models/", "models/a/b", "corpora/c"])
def test_model_name_rejects(bad: str) -> None:
    with pytest.raises(ValueError, match="model"):
        names.model_name(bad)


def test_models_validate_resource_names() -> None:
    assert Corpus(name="corpora/ok").name == "corpora/ok"
    with pytest.raises(ValidationError, match="is not a resource name of the form"):
        Corpus(name="ok")
    with pytest.raises(ValidationError, match="chunks"):
        Chunk(name="corpora/c/documents/d")
    with pytest.raises(ValidationError, match="source"):
        SemanticRetrieverConfig(source="documents/d", query=Content())
