"""Finding files: roots, relative paths, hidden and unsupported files, globs."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.scan import common_root, file_sha256, matches, scan


def _touch(root: Path, *relatives: str) -> None:
    for relative in relatives:
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"# {relative}\n\nSome text.\n", encoding="utf-8")


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "tree"
    _touch(
        root,
        "a.md",
        "notes/b.txt",
        "notes/deep/c.rst",
        "web/page.HTML",
        "photo.jpg",
        ".git/config.md",
        ".hidden.md",
        "drafts/old.md",
    )
    return root


def test_folder_is_walked_in_order_without_hidden_or_unsupported(tree: Path) -> None:
    found = scan([tree])
    assert found.root == tree
    assert [f.relative for f in found.files] == [
        "a.md",
        "drafts/old.md",
        "notes/b.txt",
        "notes/deep/c.rst",
        "web/page.HTML",
    ]
    assert found.problems == []
    first = found.files[0]
    assert first.size == (tree / "a.md").stat().st_size
    assert first.path == tree / "a.md"


def test_several_arguments_share_their_common_root(tree: Path) -> None:
    found = scan([tree / "notes", tree / "web", tree / "a.md"])
    assert found.root == tree
    assert [f.relative for f in found.files] == [
        "a.md",
        "notes/b.txt",
        "notes/deep/c.rst",
        "web/page.HTML",
    ]


def test_a_named_file_is_taken_even_if_unsupported(tree: Path) -> None:
    found = scan([tree / "photo.jpg"])
    assert [f.relative for f in found.files] == ["photo.jpg"]
    assert common_root([tree / "photo.jpg"]) == tree


def test_overlapping_arguments_give_each_file_once(tree: Path) -> None:
    found = scan([tree, tree / "notes", tree / "a.md"])
    relatives = [f.relative for f in found.files]
    assert len(relatives) == len(set(relatives)) == 5


def test_missing_argument_is_a_problem_not_a_crash(tree: Path) -> None:
    found = scan([tree / "nope", tree / "a.md"])
    assert [f.relative for f in found.files] == ["a.md"]
    assert len(found.problems) == 1
    assert found.problems[0].reason == "no such file or folder"
    assert scan([tree / "nope"]).files == []


def test_include_and_exclude_globs(tree: Path) -> None:
    def relatives(**globs: list[str]) -> list[str]:
        return [f.relative for f in scan([tree], **globs).files]

    assert relatives(include=["*.md"]) == ["a.md", "drafts/old.md"]
    assert relatives(include=["*.html"]) == ["web/page.HTML"]  # case-insensitive
    assert relatives(exclude=["drafts"]) == [
        "a.md",
        "notes/b.txt",
        "notes/deep/c.rst",
        "web/page.HTML",
    ]
    assert relatives(exclude=["notes/*"]) == ["a.md", "drafts/old.md", "web/page.HTML"]
    assert relatives(include=["notes/*"], exclude=["*.rst"]) == ["notes/b.txt"]
    assert relatives(include=["c.rst"]) == ["notes/deep/c.rst"]  # a bare file name


def test_matches_names_folders_and_paths() -> None:
    assert matches("a/b/c.pdf", ["a"])
    assert matches("a/b/c.pdf", ["a/b"])
    assert matches("a/b/c.pdf", ["*.PDF"])
    assert not matches("a/b/c.pdf", ["b/c"])
    assert not matches("ab/c.pdf", ["a"])


def test_sha256_streams_the_file(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"x" * (3 * 1024 * 1024 + 5))
    import hashlib

    assert file_sha256(path) == hashlib.sha256(path.read_bytes()).hexdigest()
