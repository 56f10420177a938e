"""Every sync method has an async twin with the same signature, and vice versa."""

from __future__ import annotations

import inspect

import pytest

from ragkit.client import AsyncClient, AsyncPager, Client, SyncPager
from tests.client.support import public_methods


def test_the_surface_is_what_the_issue_lists() -> None:
    assert sorted(public_methods("sync")) == sorted(
        [
            *(f"corpora.{v}" for v in ("create", "get", "list", "update", "delete", "query")),
            *(
                f"corpora.documents.{v}"
                for v in ("create", "get", "list", "update", "delete", "query")
            ),
            *(
                f"corpora.documents.chunks.{v}"
                for v in (
                    "create", "get", "list", "update", "delete",
                    "batch_create", "batch_update", "batch_delete",
                )
            ),
            *(f"corpora.permissions.{v}" for v in ("create", "get", "list", "update", "delete")),
            "corpora.operations.get",
            *(
                f"models.{v}"
                for v in (
                    "get", "list", "generate_answer", "embed_content", "batch_embed_contents",
                    "count_tokens", "generate_content", "stream_generate_content",
                )
            ),
        ]
    )  # fmt: skip


def test_every_sync_method_has_an_async_twin_and_back() -> None:
    assert set(public_methods("sync")) == set(public_methods("async"))


@pytest.mark.parametrize("name", sorted(public_methods("sync")))
def test_twins_share_signatures(name: str) -> None:
    sync_fn = public_methods("sync")[name]
    async_fn = public_methods("async")[name]
    sync_sig = inspect.signature(sync_fn, eval_str=True)
    async_sig = inspect.signature(async_fn, eval_str=True)
    assert list(sync_sig.parameters) == list(async_sig.parameters)
    for param in sync_sig.parameters.values():
        twin = async_sig.parameters[param.name]
        assert (param.kind, param.default, param.annotation) == (
            twin.kind,
            twin.default,
            twin.annotation,
        ), param.name
    if name.endswith(".list"):
        # Listing returns a pager at once: the sync one for `for`, the async one for `async for`.
        assert not inspect.iscoroutinefunction(async_fn)
        assert sync_sig.return_annotation.__origin__ is SyncPager
        assert async_sig.return_annotation.__origin__ is AsyncPager
        assert sync_sig.return_annotation.__args__ == async_sig.return_annotation.__args__
    else:
        assert inspect.iscoroutinefunction(async_fn)
        assert not inspect.iscoroutinefunction(sync_fn)


@pytest.mark.parametrize("name", sorted(public_methods("sync")))
def test_public_methods_keep_path_arguments_first_and_the_rest_keyword_only(name: str) -> None:
    params = list(inspect.signature(public_methods("sync")[name]).parameters.values())[1:]
    positional = [p for p in params if p.kind is p.POSITIONAL_OR_KEYWORD]
    assert len(positional) <= 1, positional
    assert all(p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY) for p in params)


def test_client_level_twins() -> None:
    for name in ("with_options", "close"):
        assert hasattr(Client, name) and hasattr(AsyncClient, name)
    assert (
        inspect.signature(Client.with_options).parameters.keys()
        == inspect.signature(AsyncClient.with_options).parameters.keys()
    )
    assert inspect.iscoroutinefunction(AsyncClient.close)
