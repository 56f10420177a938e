"""Serve the engine over HTTP with uvicorn (``ragkit serve``), loopback by default.

>>> url_for("127.0.0.1", 8765)
'http://127.0.0.1:8765'
>>> url_for("::1", 8765)
'http://[::1]:8765'
"""

from __future__ import annotations

import logging
from pathlib import Path

import uvicorn

from ragkit.engine.app import create_app
from ragkit.engine.settings import EngineSettings

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "::1", "localhost"})


def url_for(host: str, port: int) -> str:
    """The base URL clients use for a server on ``host:port``."""
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


def serve(
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    *,
    home: Path | None = None,
    log_level: str = "info",
) -> None:
    """Run the engine's HTTP server until interrupted (blocks).

    ``home`` overrides the data directory (default: RAGKIT_HOME or the per-user one).
    """
    settings = EngineSettings()
    if home is not None:
        settings = settings.model_copy(update={"home": home})
    app = create_app(settings)
    if host not in LOOPBACK_HOSTS:
        logging.getLogger("ragkit.engine").warning(
            "serving on %s: the engine has no authentication beyond naming principals; "
            "anyone who can reach this address can read and change its corpora",
            host,
        )
    uvicorn.run(app, host=host, port=port, log_level=log_level, access_log=False)
