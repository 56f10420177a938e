"""``ragkit serve``: run the local engine as an HTTP server (Google's REST API)."""

from __future__ import annotations

from pathlib import Path

import click

from ragkit.engine.server import DEFAULT_HOST, DEFAULT_PORT, url_for


@click.command()
@click.option(
    "--host",
    default=DEFAULT_HOST,
    show_default=True,
    help="Interface to listen on (loopback by default; anything else is reachable "
    "from other machines).",
)
@click.option(
    "--port",
    default=DEFAULT_PORT,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="TCP port.",
)
@click.option(
    "--home",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Data directory (default: RAGKIT_HOME or the per-user data directory).",
)
def serve(host: str, port: int, home: Path | None) -> None:
    """Serve the local engine over HTTP (Google's Semantic Retriever REST API).

    Point a client at the printed URL, e.g. `ragkit --base-url http://127.0.0.1:8765 ...`
    or `curl http://127.0.0.1:8765/v1beta/models`.
    """
    from ragkit.engine.server import serve as run

    click.echo(f"ragkit engine listening on {url_for(host, port)} (Ctrl+C to stop)", err=True)
    click.echo(url_for(host, port))
    run(host, port, home=home)
