"""evaluate_retrieval against the in-process engine on the dozen-document BEIR fixture."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from ragkit.client import Client
from ragkit.config import Settings
from ragkit.engine import inprocess
from ragkit.eval.run_retrieval import RETRIEVAL_HEADER, RETRIEVAL_METRICS, evaluate_retrieval

JUDGED = ["q1", "q2", "q3", "q4"]


def test_scores_every_judged_query(settings: Settings, beir_dir: Path) -> None:
    stages: set[str] = set()
    result = evaluate_retrieval(
        beir_dir, settings=settings, compare=False, progress=lambda s, d, t: stages.add(s)
    )
    assert result.corpus == "corpora/beir-minibeir"
    assert (result.queries, result.depth) == (4, 100)
    assert result.comparison == "fused only (comparison not requested)"
    assert [mode.mode for mode in result.modes] == ["hybrid"]
    fused = result.fused
    assert list(fused.metrics) == list(RETRIEVAL_METRICS)
    assert sorted(fused.report.per_query) == JUDGED
    assert fused.report.missing == ()
    # Twelve documents and depth 100: every relevant one is retrieved, whatever its rank.
    assert fused.metrics["recall@100"] == 1.0
    # Hits map back to BEIR IDs that are not valid resource IDs ("MED_10", "Doc 7").
    assert fused.report.per_query["q2"]["recall@10"] == 1.0
    assert fused.report.per_query["q3"]["recall@10"] == 1.0
    assert fused.latency.count == 4
    assert fused.metrics["latency_p95_ms"] >= fused.metrics["latency_p50_ms"] > 0
    assert stages == {"ingesting into corpora/beir-minibeir", "queries (fused)"}


def test_second_run_reuses_the_corpus(settings: Settings, beir_dir: Path) -> None:
    first = evaluate_retrieval(beir_dir, settings=settings, compare=False)
    second = evaluate_retrieval(beir_dir, settings=settings, compare=False)
    assert not first.ingest.reused and first.ingest.created_documents == 12
    assert second.ingest.reused and second.ingest.created_documents == 0
    assert second.fused.metrics["recall@100"] == first.fused.metrics["recall@100"]


def test_limit_and_named_corpus(settings: Settings, beir_dir: Path, client: Client) -> None:
    result = evaluate_retrieval(
        beir_dir, settings=settings, corpus="my-eval", limit=2, compare=False
    )
    assert result.corpus == "corpora/my-eval"
    assert sorted(result.fused.report.per_query) == ["q1", "q2"]
    assert client.corpora.get("corpora/my-eval").name == "corpora/my-eval"


class _HeaderBlindTransport(httpx.BaseTransport):
    """The in-process engine as a backend that ignores the retrieval header.

    The header never reaches the engine (so every ranking is the fused one); with
    ``echo`` the response still claims the requested mode, as a backend that echoes
    the header without acting on it would.
    """

    def __init__(self, inner: httpx.BaseTransport, *, echo: bool) -> None:
        self._inner = inner
        self._echo = echo

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        mode = request.headers.pop(RETRIEVAL_HEADER, None)
        response = self._inner.handle_request(request)
        response.headers.pop(RETRIEVAL_HEADER, None)
        if self._echo and mode is not None:
            response.headers[RETRIEVAL_HEADER] = mode
        return response


def _header_blind(monkeypatch: pytest.MonkeyPatch, *, echo: bool) -> None:
    original = inprocess.sync_transport
    monkeypatch.setattr(
        inprocess,
        "sync_transport",
        lambda home=None: _HeaderBlindTransport(original(home), echo=echo),
    )


def _engine_echoes_the_header(client: Client, corpus: str) -> bool:
    transport = inprocess.sync_transport()
    with httpx.Client(transport=transport, base_url=inprocess.INPROCESS_BASE_URL) as http:
        response = http.post(
            f"/v1beta/{corpus}:query",
            json={"query": "keys", "resultsCount": 1},
            headers={RETRIEVAL_HEADER: "lexical"},
        )
    return response.headers.get(RETRIEVAL_HEADER) == "lexical"


def test_lexical_and_dense_rows_where_the_engine_offers_them(
    settings: Settings, beir_dir: Path, client: Client
) -> None:
    first = evaluate_retrieval(beir_dir, settings=settings, compare=False)
    if not _engine_echoes_the_header(client, first.corpus):
        pytest.skip(f"the engine does not honour {RETRIEVAL_HEADER} yet (no echo)")
    result = evaluate_retrieval(beir_dir, settings=settings)
    assert [mode.mode for mode in result.modes] == ["hybrid", "lexical", "dense"]
    assert result.comparison == "lexical-only, dense-only and fused"
    for mode in result.modes:
        assert list(mode.metrics) == list(RETRIEVAL_METRICS)
        assert sorted(mode.report.per_query) == JUDGED


@pytest.mark.parametrize(
    ("echo", "reason"),
    [
        (False, f"the backend does not honour the {RETRIEVAL_HEADER} header"),
        (True, "the lexical-only ranking equals the fused one for every query"),
    ],
    ids=["no-echo", "echo-without-effect"],
)
def test_a_backend_ignoring_the_header_shows_fused_only(
    echo: bool, reason: str, settings: Settings, beir_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _header_blind(monkeypatch, echo=echo)
    result = evaluate_retrieval(beir_dir, settings=settings)
    assert [mode.mode for mode in result.modes] == ["hybrid"]
    assert result.comparison == f"fused only: {reason}"


@pytest.mark.anyio
async def test_runs_inside_an_event_loop_like_a_notebook(
    settings: Settings, beir_dir: Path
) -> None:
    result = evaluate_retrieval(beir_dir, settings=settings, compare=False, limit=1)
    assert result.queries == 1
    assert not result.ingest.reused


def test_no_judged_query_is_an_error(settings: Settings, beir_dir: Path) -> None:
    (beir_dir / "qrels-test.tsv").write_text("query-id\tcorpus-id\tscore\n", encoding="utf-8")
    with pytest.raises(ValueError, match="no query has relevance judgements"):
        evaluate_retrieval(beir_dir, settings=settings)
