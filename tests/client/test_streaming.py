from __future__ import annotations

import httpx
import pytest

from ragkit.client._errors import RagkitError, UnavailableError
from ragkit.client._streaming import AsyncStream, SSEDecoder, Stream

REQUEST = httpx.Request("POST", "https://example.invalid/v1beta/models/m:streamGenerateContent")


def test_decoder_joins_data_lines_and_skips_comments_and_other_fields() -> None:
    decoder = SSEDecoder()
    lines = [": keep-alive", "event: message", "id: 7", 'data: {"a":', "data:1}", "", ""]
    assert [d for d in map(decoder.feed, lines) if d is not None] == ['{"a":\n1}']


def test_decoder_flushes_an_unterminated_event() -> None:
    decoder = SSEDecoder()
    assert decoder.feed("data: {}\r") is None
    assert decoder.flush() == "{}"
    assert decoder.flush() is None


def _sse(body: str) -> httpx.Response:
    return httpx.Response(
        200, content=body.encode(), headers={"content-type": "text/event-stream"}, request=REQUEST
    )


def test_stream_parses_each_event_and_closes() -> None:
    response = _sse('data: {"n": 1}\r\n\r\ndata: {"n": 2}\r\n\r\ndata: {"n": 3}')
    with Stream(response, lambda payload: payload["n"]) as stream:
        assert list(stream) == [1, 2, 3]
    assert response.is_closed


def test_stream_raises_an_error_event() -> None:
    error = '{"error": {"code": 503, "status": "UNAVAILABLE", "message": "x"}}'
    body = f'data: {{"n": 1}}\n\ndata: {error}\n\n'
    stream = Stream(_sse(body), lambda payload: payload["n"])
    assert next(stream) == 1
    with pytest.raises(UnavailableError):
        next(stream)


def test_stream_rejects_non_json_events() -> None:
    with pytest.raises(RagkitError, match="not JSON"):
        list(Stream(_sse("data: hello\n\n"), lambda payload: payload))


@pytest.mark.anyio
async def test_async_stream_parses_each_event() -> None:
    response = _sse('data: {"n": 1}\n\ndata: {"n": 2}\n\n')
    async with AsyncStream(response, lambda payload: payload["n"]) as stream:
        assert [n async for n in stream] == [1, 2]
    assert response.is_closed
