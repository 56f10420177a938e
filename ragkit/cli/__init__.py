"""The ``ragkit`` command line.

Each subcommand lives in its own module and is imported only when it runs, so
``ragkit --help`` stays fast and a command's heavy dependencies (the engine,
onnxruntime) load only for the commands that need them.
"""

from __future__ import annotations

import importlib
from typing import Any

import click

from ragkit._version import __version__

# command name -> "module:attribute"; each module owns one command or group.
COMMANDS: dict[str, str] = {
    "ask": "ragkit.cli.ask:ask",
    "chat": "ragkit.cli.ask:chat",
    "chunks": "ragkit.cli.admin:chunks",
    "config": "ragkit.cli.config_cmd:config",
    "corpora": "ragkit.cli.admin:corpora",
    "docs": "ragkit.cli.admin:docs",
    "eval": "ragkit.cli.eval:eval_group",
    "ingest": "ragkit.cli.ingest:ingest",
    "search": "ragkit.cli.ask:search",
    "serve": "ragkit.cli.serve:serve",
}


class LazyGroup(click.Group):
    """A click group that imports a subcommand's module on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in COMMANDS:
            module_name, attribute = COMMANDS[cmd_name].split(":")
            command: Any = getattr(importlib.import_module(module_name), attribute)
            return command  # type: ignore[no-any-return]
        return super().get_command(ctx, cmd_name)


@click.group(cls=LazyGroup)
@click.version_option(__version__, prog_name="ragkit")
@click.option(
    "--preset",
    default=None,
    help="Settings preset: local (default, offline engine), server, google.",
)
@click.option(
    "--base-url",
    default=None,
    help="API host, e.g. http://127.0.0.1:8765 for `ragkit serve`.",
)
def main(preset: str | None, base_url: str | None) -> None:
    """Ask questions about your documents and get cited answers.

    Settings come from flags, then RAGKIT_* variables, then ragkit.toml, then the
    preset; `ragkit config show` prints the result.
    """
