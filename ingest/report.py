"""What an ingest run did (or, with ``--dry-run``, would do), per file and in total.

:meth:`Report.to_json` is the ``ragkit ingest --json`` output; its keys:

``corpus``, ``dry_run``;
``counts``: ``{"new", "replaced", "unchanged", "removed", "failed"}`` (files, or
documents for ``removed``);
``chunks``: ``{"total", "uploaded", "reused", "deleted"}`` (``total``: chunks of the
new and replaced files; ``uploaded``: sent in this run; ``reused``: found already
stored by an interrupted run; ``deleted``: stale chunks removed);
``tokens``: tokens in the new and replaced files' chunks;
``files``: one object per file, sorted by path: ``path``, ``outcome`` (one of the
count names), ``document`` (resource name or null), ``chunks``, ``tokens``,
``uploaded``, ``resumed`` (an interrupted run's document was finished),
``reason`` (why it failed, else null) and ``warnings`` (list of strings);
``removed``: ``path``, ``document`` and ``deleted`` (false without ``--prune``:
the file is gone but its document was kept; in a dry run, whether it would be);
``problems``: limits the run would break (dry run) or broke;
``corpus_after``: ``{"documents", "chunks"}`` the corpus holds after the run (chunks
of documents ingest did not make are not known, so not counted);
``rate_limited``: 429 answers met (each slowed the run down and was retried).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any


class Outcome(enum.StrEnum):
    """What happened to one file."""

    NEW = "new"
    REPLACED = "replaced"
    UNCHANGED = "unchanged"
    FAILED = "failed"


@dataclass(frozen=True)
class FileResult:
    """One file's outcome."""

    path: str
    outcome: Outcome
    document: str | None = None
    chunks: int = 0
    tokens: int = 0
    uploaded: int = 0
    resumed: bool = False
    reason: str | None = None
    warnings: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """This result as a JSON object (see the module docstring)."""
        return {
            "path": self.path,
            "outcome": str(self.outcome),
            "document": self.document,
            "chunks": self.chunks,
            "tokens": self.tokens,
            "uploaded": self.uploaded,
            "resumed": self.resumed,
            "reason": self.reason,
            "warnings": list(self.warnings),
        }


@dataclass(frozen=True)
class RemovedResult:
    """A document whose file is gone; ``deleted`` (or would be, in a dry run) with ``--prune``."""

    path: str
    document: str
    deleted: bool

    def to_json(self) -> dict[str, Any]:
        """This result as a JSON object."""
        return {"path": self.path, "document": self.document, "deleted": self.deleted}


@dataclass
class Report:
    """Everything one run did; built up as the run goes."""

    corpus: str
    dry_run: bool = False
    files: list[FileResult] = field(default_factory=list)
    removed: list[RemovedResult] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    reused: int = 0
    deleted_chunks: int = 0
    documents_after: int = 0
    chunks_after: int = 0
    rate_limited: int = 0

    def add(self, result: FileResult) -> None:
        """Record one file's outcome."""
        self.files.append(result)

    def count(self, outcome: Outcome) -> int:
        """Files with this outcome."""
        return sum(1 for result in self.files if result.outcome is outcome)

    @property
    def failed(self) -> list[FileResult]:
        """The files that did not go in, sorted by path."""
        return sorted((r for r in self.files if r.outcome is Outcome.FAILED), key=lambda r: r.path)

    @property
    def stored(self) -> int:
        """Files that are in the corpus now (new, replaced or unchanged)."""
        return len(self.files) - len(self.failed)

    def counts(self) -> dict[str, int]:
        """Files per outcome, and documents removed (or that --prune would remove)."""
        counts = {str(outcome): self.count(outcome) for outcome in Outcome}
        counts["removed"] = sum(1 for r in self.removed if r.deleted)
        return counts

    def to_json(self) -> dict[str, Any]:
        """The run as JSON (keys in the module docstring)."""
        sent = [r for r in self.files if r.outcome in (Outcome.NEW, Outcome.REPLACED)]
        counts = self.counts()
        return {
            "corpus": self.corpus,
            "dry_run": self.dry_run,
            "counts": {key: counts[key] for key in _COUNT_ORDER},
            "chunks": {
                "total": sum(r.chunks for r in sent),
                "uploaded": sum(r.uploaded for r in sent),
                "reused": self.reused,
                "deleted": self.deleted_chunks,
            },
            "tokens": sum(r.tokens for r in sent),
            "files": [r.to_json() for r in sorted(self.files, key=lambda r: r.path)],
            "removed": [r.to_json() for r in self.removed],
            "problems": list(self.problems),
            "corpus_after": {"documents": self.documents_after, "chunks": self.chunks_after},
            "rate_limited": self.rate_limited,
        }


_COUNT_ORDER = ("new", "replaced", "unchanged", "removed", "failed")
