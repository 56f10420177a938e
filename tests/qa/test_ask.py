from __future__ import annotations

import pytest

from ragkit.client import Client
from ragkit.config import load_settings
from ragkit.qa.ask import REFUSAL_TEXT, ask, ask_async, normalize_corpus, search
from ragkit.qa.where import parse_where
from tests.qa.conftest import CORPUS, build_corpus


@pytest.mark.parametrize("mode", ["inline", "server"])
def test_answer_cites_file_page_and_quote(qa_client: Client, mode: str) -> None:
    answer = ask(
        "What are the three levels of potential impact?",
        CORPUS,
        client=qa_client,
        mode=mode,  # type: ignore[arg-type]
    )
    assert answer.answered, answer
    assert answer.answerable_probability is not None
    assert answer.answerable_probability > answer.threshold
    first = answer.citations[0]
    assert first.file == "nist/fips199.pdf"
    assert first.title == "FIPS PUB 199"
    assert first.pages == (6, 6)
    assert first.section == "Categorization"
    assert "low, moderate and high" in first.quote
    assert first.chunk.startswith(f"{CORPUS}/documents/fips199/chunks/")
    assert first.location() == "nist/fips199.pdf p.6"
    assert answer.sentences and all(sentence.citations for sentence in answer.sentences)
    assert answer.raw["answerableProbability"] == answer.answerable_probability


def test_inline_mode_scores_every_citation(qa_client: Client) -> None:
    answer = ask(
        "When did the bridge open to traffic?", CORPUS, client=qa_client, style="EXTRACTIVE"
    )
    assert answer.answered
    assert "1932" in answer.text
    citation = answer.citations[0]
    assert citation.file == "notes/bridge.md"
    assert citation.pages is None
    assert citation.score is not None and 0.0 <= citation.score <= 1.0
    assert citation.answer_span is not None
    start, end = citation.answer_span
    assert "1932" in citation.quote[start:end]
    assert answer.timings.retrieval is not None and answer.timings.total >= answer.timings.retrieval


def test_a_question_the_documents_do_not_answer_is_refused(qa_client: Client) -> None:
    answer = ask("Who won the 1966 football World Cup final?", CORPUS, client=qa_client)
    assert not answer.answered
    assert answer.verdict == "refused"
    assert answer.text == REFUSAL_TEXT
    assert answer.citations == ()
    assert answer.nearest, "a refusal shows the nearest passages"
    assert answer.answerable_probability is not None
    assert answer.answerable_probability <= answer.threshold


def test_threshold_decides_the_verdict(qa_client: Client) -> None:
    question = "When did the bridge open to traffic?"
    assert ask(question, CORPUS, client=qa_client, threshold=0.0).answered
    refused = ask(question, CORPUS, client=qa_client, threshold=1.0)
    assert not refused.answered
    assert refused.model_answer and "1932" in refused.model_answer


def test_filters_restrict_the_passages(qa_client: Client) -> None:
    hits = search(
        "bridge traffic impact", CORPUS, client=qa_client, where=parse_where(["type=pdf"])
    )
    assert hits and {hit.file for hit in hits} == {"nist/fips199.pdf"}
    hits = search("repainted", CORPUS, client=qa_client, where=parse_where(["section=Maintenance"]))
    assert [hit.section for hit in hits] == ["Maintenance"]


def test_a_filter_that_matches_nothing_refuses_without_calling_the_answerer(
    qa_client: Client,
) -> None:
    answer = ask(
        "When did the bridge open?", CORPUS, client=qa_client, where=parse_where(["type=html"])
    )
    assert not answer.answered
    assert answer.nearest == ()
    assert answer.raw == {}


def test_search_returns_sources_best_first(qa_client: Client) -> None:
    hits = search("catastrophic adverse effect", CORPUS, client=qa_client, top_k=3)
    assert hits[0].pages == (7, 7)
    scores = [hit.score for hit in hits]
    assert scores == sorted(scores, reverse=True)


def test_history_is_sent_as_earlier_turns(qa_client: Client) -> None:
    answer = ask(
        "And when was it designed?",
        CORPUS,
        client=qa_client,
        history=[("user", "When did the bridge open?"), ("model", "1932")],
    )
    assert answer.answered
    assert "1929" in answer.text


@pytest.mark.anyio
async def test_async_twin_gives_the_same_answer(qa_client: Client) -> None:
    question = "When did the bridge open to traffic?"
    expected = ask(question, CORPUS, client=qa_client)
    async with load_settings().async_client() as client:
        answer = await ask_async(question, CORPUS, client=client)
    assert (answer.text, answer.answered, answer.citations) == (
        expected.text,
        expected.answered,
        expected.citations,
    )


def test_corpus_names_are_checked_before_any_request() -> None:
    assert normalize_corpus("papers") == "corpora/papers"
    assert normalize_corpus("corpora/papers") == "corpora/papers"
    with pytest.raises(ValueError, match="neither a corpus name"):
        normalize_corpus("Not A Corpus")


def test_top_k_must_stay_within_the_api_limit(qa_client: Client) -> None:
    with pytest.raises(ValueError, match="between 1 and 100"):
        ask("x", CORPUS, client=qa_client, top_k=101)


def test_unknown_corpus_is_an_api_error() -> None:
    from ragkit.client import NotFoundError, PermissionDeniedError

    client = load_settings().client()
    build_corpus(client)
    with pytest.raises((NotFoundError, PermissionDeniedError)):
        ask("anything", "corpora/does-not-exist", client=client)
    client.close()
