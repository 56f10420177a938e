"""Dataset readers on small inline files and on the real shared data."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from ragkit.eval.datasets import (
    BeirDataset,
    CorpusDoc,
    DatasetError,
    QAItem,
    Qrel,
    Query,
    Source,
    read_beir_corpus,
    read_qa,
    read_qa_jsonl,
    read_qrels,
    read_squad_dir,
)
from ragkit.eval.metrics import citation_scores, contains_answer_rate, squad_scores

CORPUS_LINES = [
    {"_id": "d1", "title": "Keys", "text": "Rotate keys every 90 days."},
    {"_id": 2, "text": "No title here."},  # numeric ID, no title
]


def _write_jsonl(path: Path, rows: list[object]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


def _beir(root: Path, *, gz: bool = False, qrels: str = "qrels/test.tsv") -> Path:
    root.mkdir(parents=True, exist_ok=True)
    body = "".join(json.dumps(row) + "\n" for row in CORPUS_LINES)
    if gz:
        with gzip.open(root / "corpus.jsonl.gz", "wt", encoding="utf-8") as handle:
            handle.write(body)
    else:
        (root / "corpus.jsonl").write_text(body + "\n", encoding="utf-8")  # trailing blank line
    _write_jsonl(
        root / "queries.jsonl", [{"_id": "q1", "text": "key rotation?"}, {"_id": "q2", "text": "x"}]
    )
    (root / qrels).parent.mkdir(parents=True, exist_ok=True)
    (root / qrels).write_text("query-id\tcorpus-id\tscore\nq1\td1\t2\nq1\t2\t0\n", encoding="utf-8")
    return root


@pytest.mark.parametrize("gz", [False, True])
def test_beir_reads_corpus_queries_and_qrels(tmp_path: Path, gz: bool) -> None:
    data = BeirDataset.open(_beir(tmp_path / "set", gz=gz))
    assert list(data.corpus()) == [
        CorpusDoc("d1", "Keys", "Rotate keys every 90 days."),
        CorpusDoc("2", "", "No title here."),
    ]
    assert data.qrels() == {"q1": {"d1": 2, "2": 0}}
    assert [q.id for q in data.queries()] == ["q1", "q2"]
    assert list(data.queries(judged_only=True)) == [Query("q1", "key rotation?")]


@pytest.mark.parametrize("qrels", ["qrels/test.tsv", "qrels-test.tsv", "qrels_anything.tsv"])
def test_beir_finds_qrels_in_each_layout(tmp_path: Path, qrels: str) -> None:
    data = BeirDataset.open(_beir(tmp_path, qrels=qrels))
    assert data.qrels_path == tmp_path / qrels


def test_beir_split_selects_its_qrels_and_ambiguity_is_an_error(tmp_path: Path) -> None:
    root = _beir(tmp_path, qrels="qrels-test.tsv")
    (root / "qrels-dev.tsv").write_text("q2\td1\t1\n", encoding="utf-8")  # no header
    assert BeirDataset.open(root, split="dev").qrels() == {"q2": {"d1": 1}}
    with pytest.raises(DatasetError, match="several qrels files"):
        BeirDataset.open(root, split="train")


def test_beir_missing_files_are_named(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match="no corpus found"):
        BeirDataset.open(tmp_path)
    with pytest.raises(DatasetError, match="not a directory"):
        BeirDataset.open(tmp_path / "nope")
    root = _beir(tmp_path / "noqrels")
    (root / "qrels" / "test.tsv").unlink()
    with pytest.raises(DatasetError, match="no qrels for split 'test'"):
        BeirDataset.open(root)


def test_corpus_errors_name_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "corpus.jsonl"
    path.write_text('{"_id": "a", "text": "ok"}\n{"_id": "b", "text": \n', encoding="utf-8")
    with pytest.raises(DatasetError, match=r"corpus\.jsonl:2: invalid JSON") as caught:
        list(read_beir_corpus(path))
    assert (caught.value.path, caught.value.line) == (path, 2)
    _write_jsonl(path, [{"_id": "a", "text": "ok"}, {"_id": "b"}])
    with pytest.raises(DatasetError, match=r":2: missing or invalid 'text'"):
        list(read_beir_corpus(path))
    _write_jsonl(path, [["not", "an", "object"]])
    with pytest.raises(DatasetError, match=r":1: expected a JSON object"):
        list(read_beir_corpus(path))
    _write_jsonl(path, [{"_id": True, "text": "x"}])
    with pytest.raises(DatasetError, match=r":1: missing or invalid '_id'"):
        list(read_beir_corpus(path))


def test_corrupt_gzip_is_a_dataset_error(tmp_path: Path) -> None:
    path = tmp_path / "corpus.jsonl.gz"
    path.write_bytes(b"not gzip at all")
    with pytest.raises(DatasetError, match="cannot read"):
        list(read_beir_corpus(path))


def test_qrels_errors_name_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "qrels.tsv"
    path.write_text("query-id\tcorpus-id\tscore\nq1\td1\tyes\n", encoding="utf-8")
    with pytest.raises(DatasetError, match=r"qrels\.tsv:2: score 'yes' is not an integer"):
        list(read_qrels(path))
    path.write_text("q1 d1 1\n", encoding="utf-8")  # spaces, not tabs
    with pytest.raises(DatasetError, match=r":1: expected 3 tab-separated columns"):
        list(read_qrels(path))
    path.write_text("q1\td1\t1\r\n\r\nq2\td2\t-1\r\n", encoding="utf-8")  # CRLF, blank line
    assert list(read_qrels(path)) == [Qrel("q1", "d1", 1), Qrel("q2", "d2", -1)]


def _squad(root: Path, truth: dict[str, object]) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    queries = {
        "queries": [
            {"id": "s1", "context": "Paris is in France.", "question": "Where is Paris?"},
            {"id": "s2", "context": "Paris is in France.", "question": "Where is Lyon?"},
        ]
    }
    (root / "queries.json").write_text(json.dumps(queries), encoding="utf-8")
    (root / "ground_truth.json").write_text(json.dumps(truth), encoding="utf-8")
    return root


GOOD_TRUTH = {
    "s1": {"answers": ["France", "in France"], "is_impossible": False},
    "s2": {"answers": [""], "is_impossible": True},
}


def test_squad_dir_joins_questions_and_truth(tmp_path: Path) -> None:
    items = list(read_squad_dir(_squad(tmp_path, GOOD_TRUTH)))
    assert items == [
        QAItem("s1", "Where is Paris?", ("France", "in France"), True, None, "Paris is in France."),
        QAItem("s2", "Where is Lyon?", (), False, None, "Paris is in France."),
    ]
    assert list(read_qa(tmp_path)) == items


@pytest.mark.parametrize(
    ("truth", "message"),
    [
        ({"s1": GOOD_TRUTH["s1"]}, "no ground truth for question 's2'"),
        (
            {**GOOD_TRUTH, "s2": {"answers": ["Lyon"], "is_impossible": True}},
            "agrees with 'answers'",
        ),
        ({**GOOD_TRUTH, "s1": {"answers": "France", "is_impossible": False}}, "list of strings"),
    ],
)
def test_squad_dir_errors(tmp_path: Path, truth: dict[str, object], message: str) -> None:
    with pytest.raises(DatasetError, match=message):
        list(read_squad_dir(_squad(tmp_path, truth)))


def test_squad_dir_bad_json_names_the_line(tmp_path: Path) -> None:
    root = _squad(tmp_path, GOOD_TRUTH)
    (root / "ground_truth.json").write_text('{\n  "s1": ,\n}', encoding="utf-8")
    with pytest.raises(DatasetError, match=r"ground_truth\.json:2: invalid JSON"):
        list(read_squad_dir(root))


def test_qa_jsonl_reads_every_form(tmp_path: Path) -> None:
    path = _write_jsonl(
        tmp_path / "qa.jsonl",
        [
            {"question": "How often are keys rotated?", "answers": ["every 90 days"],
             "source": {"file": "policies/keys.pdf", "page": 3}},
            {"id": "unanswerable-1", "question": "Who won in 1930?", "answers": [],
             "answerable": False},
            {"question": "Where?", "answers": ["x"], "answerable": True,
             "source": {"file": "guide.html", "pages": [5, 4, 5]}},
            {"question": "Which?", "answers": ["y"], "source": {"file": "notes.md"}},
        ],
    )  # fmt: skip
    items = list(read_qa_jsonl(path))
    assert [item.id for item in items] == ["line-1", "unanswerable-1", "line-3", "line-4"]
    assert items[0].source == Source("policies/keys.pdf", (3,))
    assert (items[1].answers, items[1].answerable, items[1].source) == ((), False, None)
    assert items[2].source == Source("guide.html", (4, 5))
    assert items[3].source is not None and items[3].source.page_refs() == [("notes.md", None)]
    assert list(read_qa(path)) == items


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"answers": []}, "missing or invalid 'question'"),
        ({"question": "  ", "answers": []}, "'question' is empty"),
        ({"question": "q"}, "missing 'answers'"),
        ({"question": "q", "answers": "x"}, "list of strings"),
        ({"question": "q", "answers": ["x"], "answerable": False}, "'answerable' must be"),
        ({"question": "q", "answers": [], "answerable": True}, "'answerable' must be"),
        ({"question": "q", "answers": [], "answerable": "no"}, "'answerable' must be"),
        ({"question": "q", "answers": ["x"], "source": "a.pdf"}, "'source' must be an object"),
        ({"question": "q", "answers": ["x"], "source": {"page": 1}}, "'file' string"),
        ({"question": "q", "answers": ["x"], "source": {"file": "a", "page": 1, "pages": [1]}},
         "both 'page' and 'pages'"),
        ({"question": "q", "answers": ["x"], "source": {"file": "a", "page": 0}}, "from 1, got 0"),
        ({"question": "q", "answers": ["x"], "source": {"file": "a", "pages": 2}}, "list of page"),
        ({"question": "q", "answers": ["x"], "source": {"file": "a", "pages": [True]}}, "got True"),
    ],
)  # fmt: skip
def test_qa_jsonl_errors_name_file_and_line(
    tmp_path: Path, row: dict[str, object], message: str
) -> None:
    path = _write_jsonl(tmp_path / "qa.jsonl", [{"question": "fine", "answers": []}, row])
    with pytest.raises(DatasetError, match=message) as caught:
        list(read_qa_jsonl(path))
    assert str(caught.value).startswith(f"{path}:2: ")


def test_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "qa.jsonl"
    path.write_text('{"question": "q", "answers": ["a"]}\n', encoding="utf-8-sig")
    assert [item.answers for item in read_qa_jsonl(path)] == [("a",)]
    (tmp_path / "qrels.tsv").write_text(
        "query-id\tcorpus-id\tscore\nq\td\t1\n", encoding="utf-8-sig"
    )
    assert list(read_qrels(tmp_path / "qrels.tsv")) == [Qrel("q", "d", 1)]


def test_qa_jsonl_duplicate_ids(tmp_path: Path) -> None:
    row = {"id": "a", "question": "q", "answers": []}
    path = _write_jsonl(tmp_path / "qa.jsonl", [row, row])
    with pytest.raises(DatasetError, match=r":2: duplicate id 'a'"):
        list(read_qa_jsonl(path))


def test_read_qa_rejects_unknown_paths(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match=r"queries\.json and ground_truth\.json"):
        read_qa(tmp_path)
    with pytest.raises(DatasetError, match="no such file"):
        read_qa(tmp_path / "missing.jsonl")


def test_source_pages_feed_citation_scores() -> None:
    source = Source("policies/keys.pdf", (3, 4))
    scores = citation_scores({"q": [("/x/policies/keys.pdf", 4)]}, {"q": source.page_refs()})
    assert (scores.precision, scores.recall) == (1.0, 0.5)


# ------------------------------------------------------------------------- real data


@pytest.mark.shared_data
def test_scifact_counts(shared_data: Path) -> None:
    data = BeirDataset.open(shared_data / "scifact")
    assert data.qrels_path.name == "qrels-test.tsv"
    docs = sum(1 for _ in data.corpus())
    qrels = data.qrels()
    judged = list(data.queries(judged_only=True))
    assert docs == 5183
    assert sum(1 for _ in data.queries()) == 1109
    assert len(qrels) == 300 and len(judged) == 300
    assert sum(len(docs) for docs in qrels.values()) == 339


@pytest.mark.shared_data
def test_squad2_500_counts_and_the_always_abstain_baseline(shared_data: Path) -> None:
    items = list(read_qa(shared_data / "squad2-500"))
    assert len(items) == 500
    assert sum(not item.answerable for item in items) == 258
    assert all(item.context for item in items)
    golds = {item.id: item.answers for item in items}
    # the data README: always abstaining scores EM/F1 51.6 (= 258/500)
    scores = squad_scores(dict.fromkeys(golds), golds)
    assert (scores.exact, scores.f1) == (pytest.approx(0.516), pytest.approx(0.516))
    # every gold answer was cut from its context, so each answerable context contains one
    assert contains_answer_rate({item.id: item.context for item in items}, golds) == 1.0
