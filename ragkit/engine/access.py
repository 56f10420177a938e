"""Roles on a corpus and what each allows (reference §6.7, §11).

Roles are concentric: READER can read and query (and ground answers on) a corpus;
WRITER can also change documents and chunks, rename the corpus and manage
READER/WRITER grants; OWNER can also delete the corpus and grant OWNER.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import IntEnum


class Role(IntEnum):
    NONE = 0
    READER = 1
    WRITER = 2
    OWNER = 3

    @classmethod
    def best(cls, names: Iterable[str]) -> Role:
        """The strongest role among granted role names (``NONE`` when there are none)."""
        return max((cls[name] for name in names if name in cls.__members__), default=cls.NONE)
