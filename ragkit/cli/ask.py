"""``ragkit ask``, ``ragkit search`` and ``ragkit chat``."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

import click

from ragkit.cli._common import (
    ExitCode,
    fail,
    handles_errors,
    settings_from,
    stderr_console,
    stdout_console,
)
from ragkit.config import Settings

if TYPE_CHECKING:
    from rich.console import Console

    from ragkit.client import Client
    from ragkit.qa.answer import Answer

F = TypeVar("F", bound=Callable[..., Any])
_MODES = click.Choice(["inline", "server"])
_STYLES = click.Choice(["ABSTRACTIVE", "EXTRACTIVE", "VERBOSE"], case_sensitive=False)


def _query_options(command: F) -> F:
    """Options shared by ask, search and chat."""
    for option in reversed(
        [
            click.option("--corpus", default=None, help="Corpus name or ID (default: settings)."),
            click.option(
                "--where",
                "where",
                multiple=True,
                metavar="EXPR",
                help="Metadata filter: key=value, key!=value, key>=n, 'key includes x'; "
                "repeat for AND, commas for OR.",
            ),
            click.option(
                "--top-k", type=int, default=None, help="Passages to use (default 10, max 100)."
            ),
        ]
    ):
        command = option(command)
    return command


def _answer_options(command: F) -> F:
    """Options shared by ask and chat."""
    for option in reversed(
        [
            click.option("--mode", type=_MODES, default=None, help="inline (default) or server."),
            click.option("--style", type=_STYLES, default=None, help="Answer style."),
            click.option(
                "--min-score", type=float, default=None, help="Drop passages scoring below this."
            ),
            click.option(
                "--threshold",
                type=float,
                default=None,
                help="Refuse at or below this answerable probability (default 0.5).",
            ),
            click.option("--temperature", type=float, default=None, help="AQA temperature."),
        ]
    ):
        command = option(command)
    return command


def _answer_settings(flags: dict[str, Any]) -> dict[str, Any]:
    """The settings the options of :func:`_answer_options` give (style names upper-cased)."""
    style = flags.get("style")
    return {**flags, "style": style.upper() if style else None}


@contextmanager
def _client(settings: Settings) -> Iterator[Client]:
    client = settings.client()
    try:
        yield client
    finally:
        client.close()


def _ask(
    client: Client,
    settings: Settings,
    question: str,
    where: Sequence[str],
    history: Sequence[tuple[str, str]] = (),
) -> Answer:
    from ragkit.qa.ask import ask
    from ragkit.qa.where import parse_where

    return ask(
        question,
        settings.corpus,
        client=client,
        mode=settings.mode,
        style=settings.style,
        where=parse_where(where),
        top_k=settings.top_k,
        min_score=settings.min_score,
        threshold=settings.threshold,
        temperature=settings.temperature,
        history=history,
    )


@click.command()
@click.argument("question")
@_query_options
@_answer_options
@click.option("--json", "as_json", is_flag=True, help="Print the answer as JSON (schema v1).")
@click.option("--markdown", "as_markdown", is_flag=True, help="Print the answer as Markdown.")
@click.pass_context
@handles_errors
def ask(
    ctx: click.Context,
    /,
    question: str,
    corpus: str | None,
    where: tuple[str, ...],
    top_k: int | None,
    as_json: bool,
    as_markdown: bool,
    **answer_flags: Any,
) -> None:
    """Answer QUESTION from the corpus, citing file, page and passage.

    Exits 0 with an answer, 3 when the documents don't answer the question.
    """
    if as_json and as_markdown:
        raise click.UsageError("choose one of --json and --markdown")
    settings = settings_from(ctx, corpus=corpus, top_k=top_k, **_answer_settings(answer_flags))
    with _client(settings) as client, _explain_missing_corpus(settings.corpus):
        answer = _ask(client, settings, question, where)
    _print_answer(answer, as_json=as_json, as_markdown=as_markdown)
    if not answer.answered:
        sys.exit(ExitCode.REFUSED)


def _print_answer(answer: Answer, *, as_json: bool, as_markdown: bool) -> None:
    if as_json:
        from ragkit.render.json import dumps_answer

        click.echo(dumps_answer(answer))
    elif as_markdown:
        from ragkit.render.markdown import answer_markdown

        click.echo(answer_markdown(answer))
    else:
        from ragkit.render.terminal import render_answer

        render_answer(answer, stdout_console())


@click.command()
@click.argument("query")
@_query_options
@click.option("--json", "as_json", is_flag=True, help="Print the hits as JSON.")
@click.pass_context
@handles_errors
def search(
    ctx: click.Context,
    query: str,
    corpus: str | None,
    where: tuple[str, ...],
    top_k: int | None,
    as_json: bool,
) -> None:
    """Show the passages that best match QUERY: score, file, page and snippet."""
    from ragkit.qa.ask import search as run_search
    from ragkit.qa.where import parse_where

    settings = settings_from(ctx, corpus=corpus, top_k=top_k)
    with _client(settings) as client, _explain_missing_corpus(settings.corpus):
        hits = run_search(
            query, settings.corpus, client=client, where=parse_where(where), top_k=settings.top_k
        )
    if as_json:
        from ragkit.render.json import dumps_search

        click.echo(dumps_search(query, hits))
        return
    from ragkit.render.terminal import render_search

    render_search(hits, stdout_console(), query=query)


@click.command()
@_query_options
@_answer_options
@click.pass_context
@handles_errors
def chat(
    ctx: click.Context,
    /,
    corpus: str | None,
    where: tuple[str, ...],
    top_k: int | None,
    **answer_flags: Any,
) -> None:
    """Ask follow-up questions; the conversation so far goes with each one.

    Commands: /sources shows the passages behind the last answer, /quit ends.
    """
    from ragkit.render.terminal import render_answer

    settings = settings_from(ctx, corpus=corpus, top_k=top_k, **_answer_settings(answer_flags))
    out, status = stdout_console(), stderr_console()
    status.print(f"chatting with {settings.corpus}; /sources, /quit")
    history: list[tuple[str, str]] = []
    last: Answer | None = None
    with _client(settings) as client, _explain_missing_corpus(settings.corpus):
        for line in _lines():
            if line in {"/quit", "/exit"}:
                break
            if line == "/sources":
                _print_sources(last, out)
                continue
            last = _ask(client, settings, line, where, history)
            render_answer(last, out)
            history += [("user", line), ("model", last.model_answer or last.text)]


def _lines() -> Iterator[str]:
    interactive = sys.stdin.isatty()
    while True:
        if interactive:
            sys.stderr.write("you> ")
            sys.stderr.flush()
        line = sys.stdin.readline()
        if not line:
            return
        if line.strip():
            yield line.strip()


def _print_sources(answer: Answer | None, out: Console) -> None:
    if answer is None:
        out.print("No answer yet.")
        return
    sources = [(c.location(), c.quote) for c in answer.citations] or [
        (p.location(), p.text) for p in answer.nearest
    ]
    if not sources:
        out.print("The last answer cites no passage.")
    for index, (location, text) in enumerate(sources, start=1):
        out.print(f"[{index}] {location}", markup=False)
        out.print(f"    {text}", markup=False)


@contextmanager
def _explain_missing_corpus(corpus: str) -> Iterator[None]:
    """Add the fix to the API's 'no such corpus' error (Google answers 403 for it)."""
    from ragkit.client import NotFoundError, PermissionDeniedError

    try:
        yield
    except (NotFoundError, PermissionDeniedError) as error:
        fail(
            f"{error.message} (is {corpus} ingested? Run `ragkit ingest DIR` first, "
            "or pass --corpus)"
        )
