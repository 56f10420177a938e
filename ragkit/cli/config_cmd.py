"""``ragkit config show``: the resolved settings and where each came from."""

from __future__ import annotations

import json

import click
from rich.table import Table

from ragkit.cli._common import handles_errors, stdout_console


@click.group()
def config() -> None:
    """Inspect ragkit's settings."""


@config.command("show")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
@handles_errors
def show(ctx: click.Context, as_json: bool) -> None:
    """Print every setting, its value and its source (flag, env, file, preset, default).

    Secrets are masked.
    """
    from ragkit.config import explain_settings, load_settings

    root = ctx.find_root().params
    flags = {"preset": root.get("preset"), "base_url": root.get("base_url")}
    load_settings(**flags)  # fail on invalid settings before showing them
    rows = [
        (item.name, item.display(), item.source or "default") for item in explain_settings(**flags)
    ]
    if as_json:
        click.echo(json.dumps({name: {"value": v, "source": s} for name, v, s in rows}, indent=2))
        return
    table = Table("setting", "value", "source")
    for row in rows:
        table.add_row(*row)
    stdout_console().print(table)
