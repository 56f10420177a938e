"""``--where`` expressions → the API's ``MetadataFilter`` list (reference §7).

Grammar, one expression per ``--where`` (repeat the flag for AND)::

    key=value            EQUAL (string or number)
    key!=value           NOT_EQUAL
    key>=n  key>n        numeric comparisons
    key<=n  key<n
    key includes x       the string list at ``key`` contains x
    key excludes x       the string list at ``key`` does not contain x
    key=a,b,c            comma-separated values: OR (one filter, several conditions)

A value that parses as a number is compared as a number; quote it to force a
string (``title="2020"``). Keys may be prefixed ``doc.``/``document.`` or
``chunk.``; without a prefix, the keys ingest writes on chunks (``page``,
``page_last``, ``section``, ``index``) are chunk keys and every other key is a
document key.

What the API cannot express is rejected here, before a request is sent:
ordering strings, AND of two string conditions on the same key (``key!=a,b``
or two ``--where`` on one string key), OR over numeric ranges of one key.

>>> [f.key for f in parse_where(["type=pdf", "page>=3"])]
['document.custom_metadata.type', 'chunk.custom_metadata.page']
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ragkit import docmeta
from ragkit.types import Condition, MetadataFilter, Operator


class WhereError(ValueError):
    """An expression is malformed or asks for something the API cannot filter."""


_EXPRESSION = re.compile(
    r"""^\s*(?P<key>[A-Za-z_][\w.\-]*)\s*
        (?:(?P<op>!=|>=|<=|=|>|<)|\s+(?P<word>includes|excludes)\s+)
        \s*(?P<value>.*?)\s*$""",
    re.VERBOSE | re.IGNORECASE,
)
_OPERATORS = {
    "=": Operator.EQUAL,
    "!=": Operator.NOT_EQUAL,
    ">=": Operator.GREATER_EQUAL,
    ">": Operator.GREATER,
    "<=": Operator.LESS_EQUAL,
    "<": Operator.LESS,
    "includes": Operator.INCLUDES,
    "excludes": Operator.EXCLUDES,
}
_NUMERIC_ONLY = {Operator.GREATER_EQUAL, Operator.GREATER, Operator.LESS_EQUAL, Operator.LESS}
_LIST_ONLY = {Operator.INCLUDES, Operator.EXCLUDES}
_NEGATIVE = {Operator.NOT_EQUAL, Operator.EXCLUDES}
_PREFIXES = {
    "doc.": "document",
    "document.": "document",
    "chunk.": "chunk",
}


@dataclass(frozen=True)
class _Parsed:
    key: str
    conditions: list[Condition]
    numeric: bool


def parse_where(expressions: Sequence[str]) -> list[MetadataFilter]:
    """Parse every expression (AND across them) into API metadata filters."""
    parsed = [_parse_one(expression) for expression in expressions]
    _check_same_key_rules(parsed, expressions)
    return [MetadataFilter(key=item.key, conditions=item.conditions) for item in parsed]


def _parse_one(expression: str) -> _Parsed:
    match = _EXPRESSION.match(expression)
    if not match:
        raise WhereError(
            f"{expression!r}: expected key=value, key!=value, key>=n, key<n, "
            "key includes x or key excludes x"
        )
    operator = _OPERATORS[(match["op"] or match["word"]).lower()]
    values = _split_values(match["value"], expression)
    if len(values) > 1 and operator in _NEGATIVE:
        raise WhereError(
            f"{expression!r}: the API ORs the values of one filter, so 'not a or not b' "
            "matches nearly everything; it cannot AND string conditions on one key"
        )
    if len(values) > 1 and operator in _NUMERIC_ONLY:
        raise WhereError(f"{expression!r}: a comparison takes one number")
    conditions = [_condition(value, quoted, operator, expression) for value, quoted in values]
    numeric = all(condition.numeric_value is not None for condition in conditions)
    return _Parsed(_qualified_key(match["key"]), conditions, numeric)


def _split_values(raw: str, expression: str) -> list[tuple[str, bool]]:
    values = []
    for piece in _split_commas(raw):
        text = piece.strip()
        quoted = len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'"
        value = text[1:-1] if quoted else text
        if not value:
            raise WhereError(f"{expression!r}: empty value")
        values.append((value, quoted))
    return values


def _split_commas(raw: str) -> list[str]:
    # Commas inside quotes belong to the value: title="Smith, J",title="Doe"
    return [piece for piece in re.findall(r'(?:"[^"]*"|\'[^\']*\'|[^,])+', raw)] or [""]


def _condition(value: str, quoted: bool, operator: Operator, expression: str) -> Condition:
    number = None if quoted else _number(value)
    if operator in _NUMERIC_ONLY and number is None:
        raise WhereError(
            f"{expression!r}: {_symbol(operator)} compares numbers; the API cannot order strings"
        )
    if operator in _LIST_ONLY:
        # INCLUDES/EXCLUDES test membership of a string in a string list.
        return Condition(string_value=value, operation=operator)
    if number is not None:
        return Condition(numeric_value=number, operation=operator)
    return Condition(string_value=value, operation=operator)


def _number(value: str) -> float | None:
    try:
        return float(value)
    except ValueError:
        return None


def _qualified_key(key: str) -> str:
    lowered = key.lower()
    if lowered.startswith(("document.custom_metadata.", "chunk.custom_metadata.")):
        return key
    for prefix, scope in _PREFIXES.items():
        if lowered.startswith(prefix):
            return f"{scope}.custom_metadata.{key[len(prefix) :]}"
    scope = "chunk" if key in docmeta.CHUNK_KEYS else "document"
    return f"{scope}.custom_metadata.{key}"


def _check_same_key_rules(parsed: list[_Parsed], expressions: Sequence[str]) -> None:
    seen: dict[str, int] = {}
    for position, item in enumerate(parsed):
        if item.key in seen:
            first = seen[item.key]
            if not (item.numeric and parsed[first].numeric):
                raise WhereError(
                    f"{expressions[first]!r} and {expressions[position]!r}: the API ANDs "
                    "conditions on the same key only for numbers; for strings give the "
                    "values in one expression (key=a,b) to OR them"
                )
            if len(item.conditions) > 1 or len(parsed[first].conditions) > 1:
                raise WhereError(f"{expressions[position]!r}: cannot mix OR and AND on one key")
        else:
            seen[item.key] = position


def _symbol(operator: Operator) -> str:
    return next(symbol for symbol, value in _OPERATORS.items() if value == operator)
