"""Metadata filters (section 7 of the reference) compiled to SQL over the indexed value rows.

Semantics, in the reference's words: different filters are AND-ed, the
conditions inside one filter are OR-ed, a condition matches an entry only when
their types agree (numbers with ``LESS`` ... ``NOT_EQUAL``; strings with
``EQUAL``/``NOT_EQUAL``; a string against a string list with
``INCLUDES``/``EXCLUDES``); any other pairing, or a missing key, matches nothing.
Validation (unknown operators, same-key string filters, document keys on a
document query) happens before this module sees a filter.

Two ways to evaluate, both producing the same answer:

* :func:`matching_chunks` enumerates matching chunk rowids, driven by the most
  selective-looking index (a chunk-level filter's value index, else the
  document-level one), for when the matching set is small;
* :func:`keep_matching` checks a short list of candidate rowids (the top hits of
  an unfiltered search) with correlated lookups, for when the set is large.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from ragkit.engine.store.records import ValueKind

Scope = Literal["document", "chunk"]

NUMERIC_OPERATORS = {
    "LESS": "<",
    "LESS_EQUAL": "<=",
    "EQUAL": "=",
    "GREATER_EQUAL": ">=",
    "GREATER": ">",
    "NOT_EQUAL": "!=",
}
STRING_OPERATORS = {"EQUAL": "=", "NOT_EQUAL": "!="}
LIST_OPERATORS = {"INCLUDES", "EXCLUDES"}


@dataclass(frozen=True, slots=True)
class Condition:
    operation: str
    string_value: str | None = None
    numeric_value: float | None = None


@dataclass(frozen=True, slots=True)
class Filter:
    scope: Scope
    key: str
    conditions: tuple[Condition, ...]


def _condition_sql(cond: Condition, table: str, owner: str) -> tuple[str, list[object]]:
    """SQL over one value row ``m`` of ``table`` that is true when ``cond`` matches it."""
    if cond.numeric_value is not None:
        op = NUMERIC_OPERATORS.get(cond.operation)
        if op is None:  # INCLUDES/EXCLUDES with a number: a type mismatch, matches nothing
            return "0", []
        return f"(m.kind = {ValueKind.NUMBER} AND m.n {op} ?)", [cond.numeric_value]
    if cond.operation in STRING_OPERATORS:
        op = STRING_OPERATORS[cond.operation]
        return f"(m.kind = {ValueKind.STRING} AND m.s {op} ?)", [cond.string_value]
    if cond.operation == "INCLUDES":
        return f"(m.kind = {ValueKind.LIST_ITEM} AND m.s = ?)", [cond.string_value]
    if cond.operation == "EXCLUDES":
        # The entry is a list (a LIST marker row) none of whose items equals the value.
        return (
            f"(m.kind = {ValueKind.LIST} AND NOT EXISTS (SELECT 1 FROM {table} x"
            f" WHERE x.{owner} = m.{owner} AND x.pos = m.pos"
            f" AND x.kind = {ValueKind.LIST_ITEM} AND x.s = ?))",
            [cond.string_value],
        )
    return "0", []  # LESS/GREATER/... with a string: a type mismatch


def _conditions_sql(flt: Filter) -> tuple[str, list[object], str, str]:
    table = f"{flt.scope}_metadata"
    parts: list[str] = []
    params: list[object] = [flt.key]
    for cond in flt.conditions:
        sql, cond_params = _condition_sql(cond, table, flt.scope)
        parts.append(sql)
        params += cond_params
    return f"m.key = ? AND ({' OR '.join(parts) or '0'})", params, table, flt.scope


def _exists_sql(flt: Filter) -> tuple[str, list[object]]:
    """A correlated test on chunk alias ``k`` (uses the per-owner index)."""
    where, params, table, owner = _conditions_sql(flt)
    target = "k.id" if flt.scope == "chunk" else "k.document"
    return f"EXISTS (SELECT 1 FROM {table} m WHERE m.{owner} = {target} AND {where})", params


def _driver_sql(flt: Filter, corpus_rowid: int) -> tuple[str, list[object]]:
    """A ``FROM`` clause that walks the value index of one key and joins the chunks.

    ``CROSS JOIN`` fixes the loop order (SQLite never reorders it): the matching values
    drive, chunks are looked up by rowid (or by document), and ``LIMIT`` stops early.
    """
    where, params, table, owner = _conditions_sql(flt)
    join = "k.id = d.owner" if flt.scope == "chunk" else "k.document = d.owner"
    return (
        f"(SELECT DISTINCT m.{owner} AS owner FROM {table} m WHERE m.corpus = ? AND {where})"
        f" AS d CROSS JOIN chunks k ON {join}",
        [corpus_rowid, *params],
    )


def matching_chunks(
    conn: sqlite3.Connection,
    corpus_rowid: int,
    filters: Sequence[Filter],
    *,
    now: int,
    document_rowid: int | None = None,
    limit: int | None = None,
) -> list[int]:
    """Rowids of ACTIVE chunks in scope that pass every filter (at most ``limit``)."""
    source = "chunks k"
    params: list[object] = []
    # Unary "+" keeps SQLite from driving the query with the (corpus, ready_time) index,
    # which would scan the whole corpus: the driver or the document index must lead.
    clauses = ["+k.corpus = ?", "+k.ready_time <= ?"]
    rest = list(filters)
    if document_rowid is not None:
        clauses.append("k.document = ?")
    elif rest:
        # Chunk-level filters first: their value index usually narrows the most.
        rest.sort(key=lambda f: f.scope != "chunk")
        source, params = _driver_sql(rest.pop(0), corpus_rowid)
    params += [corpus_rowid, now]
    if document_rowid is not None:
        params.append(document_rowid)
    for flt in rest:
        sql, flt_params = _exists_sql(flt)
        clauses.append(sql)
        params += flt_params
    sql = f"SELECT k.id FROM {source} WHERE {' AND '.join(clauses)}"
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    return [row[0] for row in conn.execute(sql, params)]


def keep_matching(
    conn: sqlite3.Connection,
    candidates: Sequence[int],
    filters: Sequence[Filter],
    *,
    now: int,
    document_rowid: int | None = None,
) -> set[int]:
    """The subset of ``candidates`` that are ACTIVE, in scope and pass every filter."""
    if not candidates:
        return set()
    clauses = ["k.id IN (SELECT value FROM json_each(?))", "k.ready_time <= ?"]
    params: list[object] = [json.dumps([int(c) for c in candidates]), now]
    if document_rowid is not None:
        clauses.append("k.document = ?")
        params.append(document_rowid)
    for flt in filters:
        sql, flt_params = _exists_sql(flt)
        clauses.append(sql)
        params += flt_params
    rows = conn.execute(f"SELECT k.id FROM chunks k WHERE {' AND '.join(clauses)}", params)
    return {row[0] for row in rows}


def has_pending(conn: sqlite3.Connection, corpus_rowid: int, *, now: int) -> bool:
    """Whether any chunk of the corpus is still waiting to become ACTIVE."""
    row = conn.execute(
        "SELECT 1 FROM chunks WHERE corpus = ? AND ready_time > ? LIMIT 1", (corpus_rowid, now)
    ).fetchone()
    return row is not None
