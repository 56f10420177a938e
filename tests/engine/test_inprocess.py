"""The in-process transports: no socket, and the sync one works inside a running loop."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest

from ragkit.engine import inprocess
from ragkit.engine.settings import EngineSettings
from tests.engine.conftest import V, ok


def test_sync_transport_works_inside_a_running_event_loop(
    engine_settings: EngineSettings,
) -> None:
    async def notebook_cell() -> dict[str, object]:
        # What a Jupyter cell does: sync client code while the kernel's loop is running.
        transport = inprocess.sync_transport(settings=engine_settings)
        with httpx.Client(transport=transport, base_url=inprocess.INPROCESS_BASE_URL) as http:
            ok(http.post(f"{V}/corpora", json={"name": "corpora/in-loop"}))
            return dict(ok(http.get(f"{V}/corpora/in-loop")))

    assert asyncio.run(notebook_cell())["name"] == "corpora/in-loop"
    inprocess.close_all()


@pytest.mark.anyio
async def test_async_transport_shares_the_engine_with_sync(
    engine_settings: EngineSettings,
) -> None:
    sync = httpx.Client(
        transport=inprocess.sync_transport(settings=engine_settings),
        base_url=inprocess.INPROCESS_BASE_URL,
    )
    ok(sync.post(f"{V}/corpora", json={"name": "corpora/shared"}))
    transport = inprocess.async_transport(settings=engine_settings)
    async with httpx.AsyncClient(transport=transport, base_url="http://x") as http:
        response = await http.get(f"{V}/corpora/shared")
    assert response.status_code == 200
    assert inprocess.app_for(settings=engine_settings) is inprocess.app_for(
        settings=engine_settings
    )
    sync.close()
    inprocess.close_all()


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def test_default_transport_follows_ragkit_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = []
    for name in ("one", "two"):
        monkeypatch.setenv("RAGKIT_HOME", str(tmp_path / name))
        with httpx.Client(transport=inprocess.sync_transport(), base_url="http://x") as http:
            ok(http.post(f"{V}/corpora", json={"name": f"corpora/{name}"}))
            seen.append(sorted(c["name"] for c in ok(http.get(f"{V}/corpora"))["corpora"]))
    assert seen == [["corpora/one"], ["corpora/two"]]
    assert (tmp_path / "two" / "engine.sqlite3").is_file()
    inprocess.close_all()
