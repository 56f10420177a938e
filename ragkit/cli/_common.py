"""What every ragkit command shares: settings, consoles, exit codes, error handling.

Results go to stdout and everything else (progress, status, warnings, errors) to
stderr, so ``ragkit ask … --json > answer.json`` captures only the answer.
``NO_COLOR`` and output that is not a terminal give plain text (rich does both).
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from enum import IntEnum
from typing import Any, NoReturn, ParamSpec, TypeVar

import click
from rich.console import Console

from ragkit.config import ConfigError, Settings, load_settings

P = ParamSpec("P")
R = TypeVar("R")


class ExitCode(IntEnum):
    """Process exit codes; each outcome a script may want to branch on has its own."""

    OK = 0
    ERROR = 1  # an API, configuration or input error; the message says which
    USAGE = 2  # click's own code for bad flags and arguments
    REFUSED = 3  # the documents do not answer the question (not a crash)
    PARTIAL = 4  # some files failed while the rest were stored
    INTERRUPTED = 130  # Ctrl-C, as shells report SIGINT


def stdout_console() -> Console:
    """Console for results (stdout)."""
    return Console(soft_wrap=False, highlight=False)


def stderr_console() -> Console:
    """Console for status, progress and errors (stderr); long lines are not wrapped, so a
    file path in a message stays whole for a reader to copy."""
    return Console(stderr=True, highlight=False, soft_wrap=True)


def settings_from(ctx: click.Context, **flags: Any) -> Settings:
    """Resolve settings from the root group's options plus this command's flags."""
    root = ctx.find_root().params
    merged = {"preset": root.get("preset"), "base_url": root.get("base_url"), **flags}
    return load_settings(**merged)


def handles_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Turn expected failures into a one-line message on stderr and a non-zero exit.

    API errors keep the server's words; nothing here prints a traceback for a
    condition a user can fix.
    """

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        from ragkit.client import RagkitAPIError, RagkitError

        try:
            return command(*args, **kwargs)
        except ConfigError as error:
            fail(f"configuration: {error}")
        except RagkitAPIError as error:
            fail(f"{error.status or error.status_code}: {error.message}")
        except (RagkitError, ValueError, OSError) as error:
            fail(str(error))
        except KeyboardInterrupt:
            stderr_console().print("interrupted")
            sys.exit(ExitCode.INTERRUPTED)

    return wrapper


def fail(message: str, code: ExitCode = ExitCode.ERROR) -> NoReturn:
    """Print ``error: message`` to stderr and exit with ``code``."""
    stderr_console().print(f"[bold red]error:[/] {message}", markup=True, highlight=False)
    sys.exit(code)
