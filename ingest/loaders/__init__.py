"""Loaders: one per file format, behind one small interface, chosen by suffix.

>>> from pathlib import Path
>>> loader_for(Path("notes/guide.MD")).kind
'markdown'
>>> loader_for(Path("photo.jpg")) is None
True

Adding a format is one class with ``kind``, ``suffixes`` and ``load(path)``,
passed to :func:`register_loader`.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Protocol, runtime_checkable

from ingest.loaders.html import HtmlLoader
from ingest.loaders.markdown import MarkdownLoader
from ingest.loaders.pdf import PdfLoader
from ingest.loaders.rst import RstLoader
from ingest.loaders.text import TextLoader
from ingest.model import LoadedDocument, LoadError


@runtime_checkable
class Loader(Protocol):
    """Reads one kind of file into a :class:`~ingest.model.LoadedDocument`.

    ``load`` raises :class:`~ingest.model.LoadError` for a file it cannot use,
    with a reason for the user; it never prints.
    """

    @property
    def kind(self) -> str:
        """Short name of the format, e.g. ``"pdf"``; becomes the document's kind."""
        ...

    @property
    def suffixes(self) -> tuple[str, ...]:
        """File suffixes handled, with the dot, e.g. ``(".html", ".htm")``."""
        ...

    def load(self, path: Path) -> LoadedDocument:
        """Load and clean the file at ``path``."""
        ...


_lock = threading.Lock()
_by_suffix: dict[str, Loader] = {}


def register_loader(loader: Loader, *, replace: bool = False) -> None:
    """Use ``loader`` for each of its suffixes (case-insensitive, with the dot).

    A suffix already taken raises ``ValueError`` unless ``replace`` is true.
    """
    suffixes = [s.lower() if s.startswith(".") else f".{s.lower()}" for s in loader.suffixes]
    with _lock:
        taken = [s for s in suffixes if s in _by_suffix and _by_suffix[s] is not loader]
        if taken and not replace:
            raise ValueError(f"suffix already has a loader: {', '.join(taken)}")
        for suffix in suffixes:
            _by_suffix[suffix] = loader


def loader_for(path: Path | str) -> Loader | None:
    """The loader for this file's suffix, or ``None`` if the format is not supported."""
    return _by_suffix.get(Path(path).suffix.lower())


def supported_suffixes() -> frozenset[str]:
    """Every suffix some loader handles, e.g. ``".pdf"``."""
    return frozenset(_by_suffix)


def load_document(path: Path | str) -> LoadedDocument:
    """Load one file with the loader for its suffix.

    Every failure comes out as :class:`~ingest.model.LoadError` naming the file
    and the reason (unsupported type, unreadable, encrypted, no text, broken
    ...), so a caller walking a folder can report it and carry on.
    """
    path = Path(path)
    loader = loader_for(path)
    if loader is None:
        raise LoadError(path, f"unsupported file type: {path.suffix or '(no suffix)'}")
    try:
        return loader.load(path)
    except LoadError:
        raise
    except OSError as exc:
        raise LoadError(path, f"cannot read: {exc.strerror or exc}") from exc
    except Exception as exc:  # one odd file must not stop a folder-wide run
        raise LoadError(path, f"unexpected {type(exc).__name__}: {exc}") from exc


for _loader in (PdfLoader(), HtmlLoader(), MarkdownLoader(), RstLoader(), TextLoader()):
    register_loader(_loader)

__all__ = [
    "HtmlLoader",
    "Loader",
    "MarkdownLoader",
    "PdfLoader",
    "RstLoader",
    "TextLoader",
    "load_document",
    "loader_for",
    "register_loader",
    "supported_suffixes",
]
