"""``ragkit serve`` answers real HTTP on loopback (a subprocess on a free port)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from ragkit.engine.server import url_for


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_ragkit_serve_answers_http_on_loopback(tmp_path: Path) -> None:
    port = _free_port()
    home = tmp_path / "served"
    env = {**os.environ, "RAGKIT_ENGINE_EMBEDDER": "minilm"}
    process = subprocess.Popen(
        [sys.executable, "-m", "ragkit", "serve", "--port", str(port), "--home", str(home)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        text=True,
    )
    base = url_for("127.0.0.1", port)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                response = httpx.get(f"{base}/v1beta/models/aqa", timeout=2)
                break
            except httpx.TransportError:
                assert process.poll() is None, process.communicate()[1]
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.1)
        assert response.status_code == 200
        assert response.json()["name"] == "models/aqa"
        created = httpx.post(f"{base}/v1beta/corpora", json={"name": "corpora/over-http"})
        assert created.status_code == 200, created.text
        missing = httpx.get(f"{base}/v1beta/nowhere")
        assert missing.status_code == 404 and missing.json()["error"]["status"] == "NOT_FOUND"
        assert (home / "engine.sqlite3").is_file()
    finally:
        process.terminate()
        out, _ = process.communicate(timeout=30)
    assert out.strip() == base
