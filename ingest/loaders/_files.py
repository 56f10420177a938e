"""Reading a text file's bytes into str, whatever its encoding."""

from __future__ import annotations

import codecs
from pathlib import Path

from ingest.model import LoadError


def read_text(path: Path) -> tuple[str, list[str]]:
    """The file's text and any warning about how it was decoded.

    UTF-8 (with or without BOM) and BOM-marked UTF-16 are read as such; other
    bytes are read as Windows-1252 (then Latin-1, which cannot fail), with a
    warning. A file with NUL bytes and no UTF-16 BOM is binary: LoadError.
    """
    data = path.read_bytes()
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace"), []
    if b"\x00" in data[:8192]:
        raise LoadError(path, "binary file, not text")
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), ["not valid UTF-8: read as Windows-1252"]
    except UnicodeDecodeError:
        return data.decode("latin-1"), ["not valid UTF-8: read as Latin-1"]


def no_text(path: Path) -> LoadError:
    """The error for a file that holds no text at all."""
    return LoadError(path, "empty: no text to index")
