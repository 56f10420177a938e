"""Find the files to ingest under the paths a user gives, and name them relative to a root.

The root is the deepest folder holding every argument (a folder argument counts as
itself, a file as its parent), so ``ragkit ingest docs`` names ``docs/pdf/a.pdf``
``pdf/a.pdf`` and no two files of one run share a relative path.

Folders are walked in sorted order without following symlinked folders; names
starting with ``.`` (``.git``, ``.venv`` ...) are skipped, and so are files no
loader reads. A file named on the command line is always taken, whatever its
type, so that an unsupported one is reported rather than silently ignored.

``include``/``exclude`` globs match the relative path, the file name, or any
folder above the file, case-insensitively; ``*`` also crosses ``/``:

>>> matches("pdf/Report.PDF", ["*.pdf"]), matches("hard/x.pdf", ["hard"])
(True, True)
"""

from __future__ import annotations

import fnmatch
import hashlib
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ingest.identity import relative_key
from ingest.loaders import loader_for

_HASH_BLOCK = 1 << 20


@dataclass(frozen=True, slots=True)
class SourceFile:
    """One file to ingest: where it is, its relative key, size and modification time."""

    path: Path
    relative: str
    size: int
    mtime: float


@dataclass(frozen=True, slots=True)
class ScanProblem:
    """A path argument that could not be used, and why."""

    path: str
    reason: str


@dataclass(frozen=True)
class Scan:
    """What a scan found: files in a stable order, and unusable arguments."""

    root: Path
    files: list[SourceFile] = field(default_factory=list)
    problems: list[ScanProblem] = field(default_factory=list)


def matches(relative: str, patterns: Sequence[str]) -> bool:
    """Whether any glob in ``patterns`` matches the file or a folder above it."""
    lowered = relative.lower()
    candidates = [lowered, PurePosixPath(lowered).name]
    candidates += [str(parent) for parent in PurePosixPath(lowered).parents if str(parent) != "."]
    return any(
        fnmatch.fnmatchcase(candidate, pattern.lower())
        for pattern in patterns
        for candidate in candidates
    )


def common_root(paths: Sequence[Path]) -> Path:
    """The deepest folder holding every path (a folder counts as itself)."""
    bases = [path if path.is_dir() else path.parent for path in paths]
    return Path(os.path.commonpath([str(base) for base in bases]))


def _walk(folder: Path) -> Iterator[Path]:
    for top, folders, names in os.walk(folder):
        folders[:] = sorted(name for name in folders if not name.startswith("."))
        for name in sorted(names):
            if not name.startswith(".") and loader_for(name) is not None:
                yield Path(top) / name


def scan(
    paths: Sequence[Path | str],
    *,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
) -> Scan:
    """The files under ``paths`` that pass the globs, each once, in sorted relative order.

    >>> found = scan(["tests/fixtures/docs"], include=["*.pdf"])
    >>> [f.relative for f in found.files]
    ['nist_fips199.pdf']
    """
    absolute = [Path(os.path.abspath(path)) for path in paths]
    problems = [
        ScanProblem(str(path), "no such file or folder") for path in absolute if not path.exists()
    ]
    present = [path for path in absolute if path.exists()]
    if not present:
        return Scan(root=Path.cwd(), problems=problems)
    root = common_root(present)
    found: dict[str, SourceFile] = {}
    for argument in present:
        candidates = _walk(argument) if argument.is_dir() else iter([argument])
        for path in candidates:
            relative = relative_key(path.relative_to(root))
            if relative in found:
                continue
            if include and not matches(relative, include):
                continue
            if exclude and matches(relative, exclude):
                continue
            try:
                stat = path.stat()
            except OSError as error:
                problems.append(ScanProblem(relative, f"cannot read: {error.strerror or error}"))
                continue
            found[relative] = SourceFile(path, relative, stat.st_size, stat.st_mtime)
    files = [found[key] for key in sorted(found)]
    return Scan(root=root, files=files, problems=problems)


def file_sha256(path: Path) -> str:
    """The sha256 of a file's bytes, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(_HASH_BLOCK), b""):
            digest.update(block)
    return digest.hexdigest()
