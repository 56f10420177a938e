"""Streaming readers for evaluation data sets.

Three layouts are understood:

* **BEIR** retrieval sets: ``corpus.jsonl`` (or ``corpus.jsonl.gz``) with ``_id``,
  ``title``, ``text``; ``queries.jsonl`` with ``_id``, ``text``; a tab-separated
  qrels file with the header ``query-id corpus-id score``, found as
  ``qrels/<split>.tsv``, ``qrels-<split>.tsv`` or a lone ``qrels*.tsv``.
* **squad2-500**: ``queries.json`` (``{"queries": [{id, context, question}]}``) and
  ``ground_truth.json`` (``{id: {answers, is_impossible}}``).
* **QA JSONL**, one question a line: ``question``, ``answers`` (a list, empty when
  the documents do not answer it), optional ``id``, optional ``answerable``
  (must agree with ``answers``) and optional ``source``
  ``{"file": ..., "page": n}`` or ``{"file": ..., "pages": [n, ...]}``.

JSON Lines files are read one line at a time, so a corpus never has to fit in
memory. Malformed input raises :class:`DatasetError` naming the file and line.

>>> beir = BeirDataset.open("../shared/data/scifact")  # doctest: +SKIP
>>> qrels = beir.qrels()  # doctest: +SKIP
>>> for doc in beir.corpus():  # doctest: +SKIP
...     print(doc.id, doc.title)
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

__all__ = [
    "BeirDataset",
    "CorpusDoc",
    "DatasetError",
    "QAItem",
    "Qrel",
    "Query",
    "Source",
    "read_beir_corpus",
    "read_beir_queries",
    "read_qa",
    "read_qa_jsonl",
    "read_qrels",
    "read_squad_dir",
]


class DatasetError(ValueError):
    """Malformed evaluation data; the message starts with ``file:line:`` when known."""

    def __init__(self, path: Path | str, message: str, line: int | None = None) -> None:
        self.path = Path(path)
        self.line = line
        where = f"{self.path}:{line}" if line is not None else str(self.path)
        super().__init__(f"{where}: {message}")


# ------------------------------------------------------------------------------ records


@dataclass(frozen=True, slots=True)
class CorpusDoc:
    """One BEIR corpus document."""

    id: str
    title: str
    text: str


@dataclass(frozen=True, slots=True)
class Query:
    """One BEIR query."""

    id: str
    text: str


@dataclass(frozen=True, slots=True)
class Qrel:
    """One relevance judgement: ``relevance >= 1`` means relevant."""

    query_id: str
    doc_id: str
    relevance: int


@dataclass(frozen=True, slots=True)
class Source:
    """Where an answer is expected to be found; no pages means anywhere in the file."""

    file: str
    pages: tuple[int, ...] = ()

    def page_refs(self) -> list[tuple[str, int | None]]:
        """``(file, page)`` pairs for :func:`ragkit.eval.metrics.citation_scores`.

        >>> Source("a.pdf", (3, 4)).page_refs(), Source("b.html").page_refs()
        ([('a.pdf', 3), ('a.pdf', 4)], [('b.html', None)])
        """
        if not self.pages:
            return [(self.file, None)]
        return [(self.file, page) for page in self.pages]


@dataclass(frozen=True, slots=True)
class QAItem:
    """One question with its gold answers (empty when unanswerable)."""

    id: str
    question: str
    answers: tuple[str, ...]
    answerable: bool
    source: Source | None = None
    context: str | None = None
    """The passage the question was written against (SQuAD), if any."""


# ---------------------------------------------------------------------------- low level


def _open_text(path: Path) -> IO[str]:
    # utf-8-sig: files saved by Windows editors start with a BOM that json rejects.
    if path.suffix == ".gz":
        return gzip.open(path, "rt", encoding="utf-8-sig")
    return path.open(encoding="utf-8-sig")


def _iter_jsonl(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """``(line_number, object)`` for every non-blank line of a JSON Lines file."""
    try:
        with _open_text(path) as handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as error:
                    raise DatasetError(path, f"invalid JSON: {error.msg}", number) from None
                if not isinstance(record, dict):
                    raise DatasetError(path, "expected a JSON object", number)
                yield number, record
    except (OSError, EOFError, UnicodeDecodeError) as error:
        raise DatasetError(path, f"cannot read: {error}") from error


def _field_id(path: Path, line: int, record: dict[str, Any], key: str) -> str:
    value = record.get(key)
    # Some data sets write numeric IDs; BEIR treats every ID as a string.
    if isinstance(value, bool) or not isinstance(value, str | int) or value == "":
        raise DatasetError(path, f"missing or invalid {key!r} (a string ID)", line)
    return str(value)


def _field_text(
    path: Path, line: int, record: dict[str, Any], key: str, *, required: bool = True
) -> str:
    value = record.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        raise DatasetError(path, f"missing or invalid {key!r} (a string)", line)
    return value


# ---------------------------------------------------------------------------------- BEIR


def read_beir_corpus(path: Path | str) -> Iterator[CorpusDoc]:
    """Stream ``corpus.jsonl[.gz]`` documents (``title`` may be absent)."""
    path = Path(path)
    for line, record in _iter_jsonl(path):
        yield CorpusDoc(
            id=_field_id(path, line, record, "_id"),
            title=_field_text(path, line, record, "title", required=False),
            text=_field_text(path, line, record, "text"),
        )


def read_beir_queries(path: Path | str) -> Iterator[Query]:
    """Stream ``queries.jsonl`` entries."""
    path = Path(path)
    for line, record in _iter_jsonl(path):
        yield Query(
            id=_field_id(path, line, record, "_id"), text=_field_text(path, line, record, "text")
        )


_QRELS_HEADER = ("query-id", "corpus-id", "score")


def read_qrels(path: Path | str) -> Iterator[Qrel]:
    """Stream a BEIR qrels TSV (``query-id``, ``corpus-id``, integer ``score``)."""
    path = Path(path)
    try:
        with path.open(encoding="utf-8-sig") as handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                columns = [column.strip() for column in line.rstrip("\r\n").split("\t")]
                if number == 1 and tuple(columns) == _QRELS_HEADER:
                    continue
                if len(columns) != 3 or not all(columns):
                    raise DatasetError(
                        path,
                        f"expected 3 tab-separated columns {_QRELS_HEADER}, got {line!r}",
                        number,
                    )
                try:
                    relevance = int(columns[2])
                except ValueError:
                    raise DatasetError(
                        path, f"score {columns[2]!r} is not an integer", number
                    ) from None
                yield Qrel(columns[0], columns[1], relevance)
    except (OSError, UnicodeDecodeError) as error:
        raise DatasetError(path, f"cannot read: {error}") from error


def _find_one(root: Path, candidates: list[str], what: str) -> Path:
    for name in candidates:
        if (root / name).is_file():
            return root / name
    raise DatasetError(root, f"no {what} found (looked for {', '.join(candidates)})")


@dataclass(frozen=True, slots=True)
class BeirDataset:
    """The files of one BEIR data set split.

    >>> data = BeirDataset.open("../shared/data/scifact")  # doctest: +SKIP
    >>> judged = list(data.queries(judged_only=True))  # doctest: +SKIP
    """

    corpus_path: Path
    queries_path: Path
    qrels_path: Path

    @classmethod
    def open(cls, root: Path | str, split: str = "test") -> BeirDataset:
        """Locate the corpus, queries and the ``split`` qrels under ``root``."""
        root = Path(root)
        if not root.is_dir():
            raise DatasetError(root, "not a directory")
        corpus = _find_one(root, ["corpus.jsonl", "corpus.jsonl.gz"], "corpus")
        queries = _find_one(root, ["queries.jsonl", "queries.jsonl.gz"], "queries")
        return cls(corpus, queries, cls._find_qrels(root, split))

    @staticmethod
    def _find_qrels(root: Path, split: str) -> Path:
        for candidate in (root / "qrels" / f"{split}.tsv", root / f"qrels-{split}.tsv"):
            if candidate.is_file():
                return candidate
        loose = sorted(root.glob("qrels*.tsv"))
        if len(loose) == 1:
            return loose[0]
        if loose:
            names = ", ".join(path.name for path in loose)
            raise DatasetError(root, f"several qrels files and none for split {split!r}: {names}")
        raise DatasetError(
            root, f"no qrels for split {split!r} (qrels/{split}.tsv, qrels-{split}.tsv)"
        )

    def corpus(self) -> Iterator[CorpusDoc]:
        """Stream the corpus documents."""
        return read_beir_corpus(self.corpus_path)

    def qrels(self) -> dict[str, dict[str, int]]:
        """``{query_id: {doc_id: relevance}}``, the shape :func:`evaluate_run` takes."""
        table: dict[str, dict[str, int]] = {}
        for qrel in read_qrels(self.qrels_path):
            table.setdefault(qrel.query_id, {})[qrel.doc_id] = qrel.relevance
        return table

    def queries(self, *, judged_only: bool = False) -> Iterator[Query]:
        """Stream the queries; ``judged_only`` keeps those with a qrel in this split."""
        judged = set(self.qrels()) if judged_only else None
        for query in read_beir_queries(self.queries_path):
            if judged is None or query.id in judged:
                yield query


# ---------------------------------------------------------------------------- SQuAD-500


def _load_json(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8-sig") as handle:
            return json.load(handle)
    except json.JSONDecodeError as error:
        raise DatasetError(path, f"invalid JSON: {error.msg}", error.lineno) from None
    except (OSError, UnicodeDecodeError) as error:
        raise DatasetError(path, f"cannot read: {error}") from error


def _answers(path: Path, value: object, line: int | None, where: str = "") -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(answer, str) for answer in value):
        raise DatasetError(path, f"{where}'answers' must be a list of strings", line)
    # SQuAD writes [""] for "no answer"; blank strings are never real answers.
    return tuple(answer for answer in value if answer.strip())


def read_squad_dir(root: Path | str) -> Iterator[QAItem]:
    """Questions of a squad2-500 style folder, joined with their ground truth."""
    root = Path(root)
    queries_path, truth_path = root / "queries.json", root / "ground_truth.json"
    queries = _load_json(queries_path)
    truth = _load_json(truth_path)
    if not isinstance(queries, dict) or not isinstance(queries.get("queries"), list):
        raise DatasetError(queries_path, 'expected {"queries": [...]}')
    if not isinstance(truth, dict):
        raise DatasetError(truth_path, "expected an object keyed by question ID")
    for index, entry in enumerate(queries["queries"]):
        where = f"queries[{index}]: "
        if not isinstance(entry, dict):
            raise DatasetError(queries_path, f"{where}expected an object")
        fields = {key: entry.get(key) for key in ("id", "question", "context")}
        if not all(isinstance(value, str) and value for value in fields.values()):
            raise DatasetError(queries_path, f"{where}needs string 'id', 'question' and 'context'")
        question_id = str(fields["id"])
        gold = truth.get(question_id)
        if not isinstance(gold, dict):
            raise DatasetError(truth_path, f"no ground truth for question {question_id!r}")
        answers = _answers(truth_path, gold.get("answers"), None, f"{question_id}: ")
        impossible = gold.get("is_impossible")
        if not isinstance(impossible, bool) or impossible == bool(answers):
            raise DatasetError(
                truth_path,
                f"{question_id}: 'is_impossible' must be a boolean that agrees with 'answers'",
            )
        yield QAItem(
            id=question_id,
            question=str(fields["question"]),
            answers=answers,
            answerable=not impossible,
            context=str(fields["context"]),
        )


# ------------------------------------------------------------------------------ QA JSONL


def _page_number(path: Path, line: int, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise DatasetError(path, f"page numbers are integers from 1, got {value!r}", line)
    return value


def _source(path: Path, line: int, value: object) -> Source | None:
    if value is None:
        return None
    if not isinstance(value, dict) or not isinstance(value.get("file"), str) or not value["file"]:
        raise DatasetError(path, "'source' must be an object with a 'file' string", line)
    if "page" in value and "pages" in value:
        raise DatasetError(path, "'source' has both 'page' and 'pages'; give one", line)
    if "page" in value:
        pages: tuple[int, ...] = (_page_number(path, line, value["page"]),)
    elif "pages" in value:
        if not isinstance(value["pages"], list):
            raise DatasetError(path, "'source.pages' must be a list of page numbers", line)
        pages = tuple(sorted({_page_number(path, line, page) for page in value["pages"]}))
    else:
        pages = ()
    return Source(file=value["file"], pages=pages)


def read_qa_jsonl(path: Path | str) -> Iterator[QAItem]:
    """Stream a QA JSONL file; an ``id`` defaults to ``line-<n>``.

    >>> for item in read_qa_jsonl("questions.jsonl"):  # doctest: +SKIP
    ...     print(item.question, item.answers, item.source)
    """
    path = Path(path)
    seen: set[str] = set()
    for line, record in _iter_jsonl(path):
        question_id = _field_id(path, line, record, "id") if "id" in record else f"line-{line}"
        if question_id in seen:
            raise DatasetError(path, f"duplicate id {question_id!r}", line)
        seen.add(question_id)
        question = _field_text(path, line, record, "question")
        if not question.strip():
            raise DatasetError(path, "'question' is empty", line)
        if "answers" not in record:
            raise DatasetError(
                path, "missing 'answers' (use [] for an unanswerable question)", line
            )
        answers = _answers(path, record["answers"], line)
        answerable = record.get("answerable", bool(answers))
        if not isinstance(answerable, bool) or answerable != bool(answers):
            raise DatasetError(
                path,
                "'answerable' must be a boolean, true exactly when 'answers' is non-empty",
                line,
            )
        yield QAItem(
            id=question_id,
            question=question,
            answers=answers,
            answerable=answerable,
            source=_source(path, line, record.get("source")),
        )


def read_qa(path: Path | str) -> Iterator[QAItem]:
    """Read QA questions from a squad2-500 style folder or a QA JSONL file."""
    path = Path(path)
    if path.is_dir():
        if (path / "queries.json").is_file() and (path / "ground_truth.json").is_file():
            return read_squad_dir(path)
        raise DatasetError(path, "a QA folder needs queries.json and ground_truth.json")
    if not path.is_file():
        raise DatasetError(path, "no such file or directory")
    return read_qa_jsonl(path)
