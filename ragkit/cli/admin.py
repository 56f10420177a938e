"""Corpus administration: ``ragkit corpora``, ``ragkit docs``, ``ragkit chunks``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import click

from ragkit.cli._common import fail, handles_errors, settings_from, stderr_console, stdout_console

if TYPE_CHECKING:
    from ragkit.client import Client
    from ragkit.config import Settings

_json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON.")


@contextmanager
def _session(ctx: click.Context, **flags: Any) -> Iterator[tuple[Settings, Client]]:
    settings = settings_from(ctx, **flags)
    client = settings.client()
    try:
        yield settings, client
    finally:
        client.close()


def _corpus(settings: Settings, corpus: str | None) -> str:
    from ragkit.qa.ask import normalize_corpus

    return normalize_corpus(corpus or settings.corpus)


def _document(corpus: str, document: str) -> str:
    """Accept a full document name or an ID inside ``corpus``."""
    return document if document.startswith("corpora/") else f"{corpus}/documents/{document}"


def _echo_json(value: Any) -> None:
    click.echo(json.dumps(value, indent=2, ensure_ascii=False))


def _wire(model: Any) -> dict[str, Any]:
    from ragkit.types import to_wire

    return to_wire(model)


# --- corpora ---------------------------------------------------------------------------


@click.group()
def corpora() -> None:
    """List, create, inspect, share and delete corpora."""


@corpora.command("list")
@_json_option
@click.pass_context
@handles_errors
def corpora_list(ctx: click.Context, as_json: bool) -> None:
    """List the corpora you own."""
    from ragkit.render.terminal import render_corpora

    with _session(ctx) as (_, client):
        items = list(client.corpora.list())
    if as_json:
        _echo_json([_wire(item) for item in items])
    else:
        render_corpora(items, stdout_console())


@corpora.command("create")
@click.argument("corpus")
@click.option("--display-name", default=None, help="Human-readable name (<= 512 characters).")
@_json_option
@click.pass_context
@handles_errors
def corpora_create(
    ctx: click.Context, corpus: str, display_name: str | None, as_json: bool
) -> None:
    """Create CORPUS (a name like corpora/papers or an ID like papers)."""
    from ragkit.client import NOT_GIVEN

    with _session(ctx) as (settings, client):
        created = client.corpora.create(
            name=_corpus(settings, corpus), display_name=display_name or NOT_GIVEN
        )
    if as_json:
        _echo_json(_wire(created))
    else:
        click.echo(f"created {created.name}")


@corpora.command("get")
@click.argument("corpus", required=False)
@click.pass_context
@handles_errors
def corpora_get(ctx: click.Context, corpus: str | None) -> None:
    """Show one corpus (default: the configured one) as JSON."""
    with _session(ctx) as (settings, client):
        _echo_json(_wire(client.corpora.get(_corpus(settings, corpus))))


@corpora.command("delete")
@click.argument("corpus")
@click.option("--force", is_flag=True, help="Also delete its documents and chunks.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.pass_context
@handles_errors
def corpora_delete(ctx: click.Context, corpus: str, force: bool, yes: bool) -> None:
    """Delete CORPUS; a corpus that holds documents needs --force."""
    with _session(ctx) as (settings, client):
        name = _corpus(settings, corpus)
        what = f"{name} and everything in it" if force else name
        if not yes and not click.confirm(f"Delete {what}?", err=True):
            fail("not deleted")
        client.corpora.delete(name, force=force)
    stderr_console().print(f"deleted {name}", markup=False)


@corpora.command("share")
@click.argument("corpus")
@click.option("--email", default=None, help="User or group e-mail address.")
@click.option("--group", is_flag=True, help="The e-mail address is a group.")
@click.option("--everyone", is_flag=True, help="Make the corpus readable by everyone.")
@click.option(
    "--role",
    type=click.Choice(["READER", "WRITER", "OWNER"], case_sensitive=False),
    default="READER",
    show_default=True,
)
@click.pass_context
@handles_errors
def corpora_share(
    ctx: click.Context, corpus: str, email: str | None, group: bool, everyone: bool, role: str
) -> None:
    """Grant a user, a group or everyone a role on CORPUS."""
    from ragkit.client import NOT_GIVEN

    if everyone == bool(email):
        raise click.UsageError("give exactly one of --email and --everyone")
    grantee = "EVERYONE" if everyone else ("GROUP" if group else "USER")
    with _session(ctx) as (settings, client):
        permission = client.corpora.permissions.create(
            _corpus(settings, corpus),
            grantee_type=grantee,
            email_address=email or NOT_GIVEN,
            role=role.upper(),
        )
    click.echo(f"{permission.name}: {grantee} {email or ''} {role.upper()}".replace("  ", " "))


@corpora.command("stats")
@click.argument("corpus", required=False)
@_json_option
@click.pass_context
@handles_errors
def corpora_stats(ctx: click.Context, corpus: str | None, as_json: bool) -> None:
    """Count the documents and chunks of a corpus (default: the configured one)."""
    from ragkit import docmeta

    with _session(ctx) as (settings, client):
        name = _corpus(settings, corpus)
        documents = chunks = incomplete = 0
        kinds: dict[str, int] = {}
        for document in client.corpora.documents.list(name, page_size=20):
            documents += 1
            values = {entry.key: entry.value for entry in document.custom_metadata}
            count = values.get(docmeta.CHUNKS)
            if isinstance(count, float):
                chunks += int(count)
            else:
                assert document.name is not None
                chunks += sum(1 for _ in client.corpora.documents.chunks.list(document.name))
            kind = values.get(docmeta.TYPE)
            kinds[str(kind or "other")] = kinds.get(str(kind or "other"), 0) + 1
            incomplete += values.get(docmeta.COMPLETE) != 1.0
    stats = {
        "corpus": name,
        "documents": documents,
        "chunks": chunks,
        "incomplete_documents": incomplete,
        "types": dict(sorted(kinds.items())),
    }
    if as_json:
        _echo_json(stats)
        return
    for key, value in stats.items():
        click.echo(f"{key}: {value}")


# --- documents -------------------------------------------------------------------------


@click.group()
def docs() -> None:
    """List, inspect and delete the documents of a corpus."""


@docs.command("list")
@click.option("--corpus", default=None, help="Corpus name or ID (default: settings).")
@_json_option
@click.pass_context
@handles_errors
def docs_list(ctx: click.Context, corpus: str | None, as_json: bool) -> None:
    """List the documents of a corpus."""
    from ragkit.render.terminal import render_documents

    with _session(ctx) as (settings, client):
        items = list(client.corpora.documents.list(_corpus(settings, corpus), page_size=20))
    if as_json:
        _echo_json([_wire(item) for item in items])
    else:
        render_documents(items, stdout_console())


@docs.command("get")
@click.argument("document")
@click.option("--corpus", default=None, help="Corpus of DOCUMENT when it is a bare ID.")
@click.pass_context
@handles_errors
def docs_get(ctx: click.Context, document: str, corpus: str | None) -> None:
    """Show one document (name or ID) as JSON."""
    with _session(ctx) as (settings, client):
        name = _document(_corpus(settings, corpus), document)
        _echo_json(_wire(client.corpora.documents.get(name)))


@docs.command("delete")
@click.argument("document")
@click.option("--corpus", default=None, help="Corpus of DOCUMENT when it is a bare ID.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.pass_context
@handles_errors
def docs_delete(ctx: click.Context, document: str, corpus: str | None, yes: bool) -> None:
    """Delete a document and its chunks."""
    with _session(ctx) as (settings, client):
        name = _document(_corpus(settings, corpus), document)
        if not yes and not click.confirm(f"Delete {name} and its chunks?", err=True):
            fail("not deleted")
        client.corpora.documents.delete(name, force=True)
    stderr_console().print(f"deleted {name}", markup=False)


# --- chunks ----------------------------------------------------------------------------


@click.group()
def chunks() -> None:
    """Inspect the chunks of a document."""


@chunks.command("list")
@click.argument("document")
@click.option("--corpus", default=None, help="Corpus of DOCUMENT when it is a bare ID.")
@_json_option
@click.pass_context
@handles_errors
def chunks_list(ctx: click.Context, document: str, corpus: str | None, as_json: bool) -> None:
    """List the chunks of DOCUMENT (name or ID) with their pages and text."""
    from ragkit.render.terminal import render_chunks

    with _session(ctx) as (settings, client):
        name = _document(_corpus(settings, corpus), document)
        items = list(client.corpora.documents.chunks.list(name, page_size=100))
    if as_json:
        _echo_json([_wire(item) for item in items])
    else:
        render_chunks(items, stdout_console())
