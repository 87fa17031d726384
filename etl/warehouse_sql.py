"""SQL text helpers shared by both engines (``:name`` parameters, statements) and the errors.

The parameter rule (one for PostgreSQL and DuckDB): ``:name`` is a parameter when ``name``
starts with a letter or ``_`` and the colon does not follow a letter, digit, ``_`` or another
colon. So ``x::date`` casts, ``arr[lo:hi]`` slices and anything inside '…' strings, "…"
identifiers, $tag$ … $tag$ bodies, ``--`` and ``/* */`` comments are left alone. The one
spelling to avoid is a DuckDB struct literal without a space after the colon
(``{'a':x}``; write ``{'a': x}``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

_PARAM = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)")
_DOLLAR = re.compile(r"\$([A-Za-z_]\w*)?\$")
_ENDS = {"'": "'", '"': '"', "--": "\n", "/*": "*/"}


class WarehouseError(RuntimeError):
    """A warehouse operation failed; the message says on what and what to do."""


class WarehouseBusy(WarehouseError):
    """The embedded warehouse stayed locked by another process for longer than we wait."""


class SqlTextError(WarehouseError, ValueError):
    """The SQL text cannot be used as given (unterminated quote, missing parameter, …)."""


def _literal_end(sql: str, start: int) -> int:
    """Index just past the quoted string, identifier, comment or dollar body at ``start``."""
    two = sql[start : start + 2]
    if two in ("--", "/*"):
        end = sql.find(_ENDS[two], start + 2)
        return len(sql) if end < 0 else end + len(_ENDS[two])
    if sql[start] == "$":
        tag = _DOLLAR.match(sql, start).group(0)
        end = sql.find(tag, start + len(tag))
        if end < 0:
            raise SqlTextError(f"unterminated dollar-quoted string starting {sql[start:][:30]!r}")
        return end + len(tag)
    quote = sql[start]
    escapes = (
        quote == "'"
        and start > 0
        and sql[start - 1] in "eE"
        and (start < 2 or not (sql[start - 2].isalnum() or sql[start - 2] == "_"))
    )  # an E'…' string: backslash escapes the next character
    i = start + 1
    while i < len(sql):
        if escapes and sql[i] == "\\":
            i += 2
            continue
        if sql[i] == quote:
            if sql[i + 1 : i + 2] == quote:  # '' or "" inside: an escaped quote
                i += 2
                continue
            return i + 1
        i += 1
    raise SqlTextError(f"unterminated {quote} quote starting {sql[start:][:30]!r}")


def segments(sql: str) -> Iterator[tuple[bool, str]]:
    """``(is_code, text)`` pieces of ``sql``; literals and comments are the non-code pieces."""
    i = code_start = 0
    while i < len(sql):
        ch, two = sql[i], sql[i : i + 2]
        dollar = ch == "$" and _DOLLAR.match(sql, i) and (i == 0 or not sql[i - 1].isalnum())
        if ch in "'\"" or two in ("--", "/*") or dollar:
            if code_start < i:
                yield True, sql[code_start:i]
            end = _literal_end(sql, i)
            yield False, sql[i:end]
            i = code_start = end
        else:
            i += 1
    if code_start < len(sql):
        yield True, sql[code_start:]


def param_names(sql: str) -> list[str]:
    """The distinct ``:name`` parameters of ``sql`` in order of first use."""
    names: dict[str, None] = {}
    for is_code, text in segments(sql):
        if is_code:
            names.update(dict.fromkeys(_PARAM.findall(text)))
    return list(names)


def _rewrite(sql: str, code_sub, literal_sub=None) -> str:
    out = []
    for is_code, text in segments(sql):
        if is_code:
            out.append(code_sub(text))
        else:
            out.append(literal_sub(text) if literal_sub else text)
    return "".join(out)


def to_psycopg(sql: str) -> str:
    """``:name`` → ``%(name)s``; every literal ``%`` doubled (psycopg reads ``%`` anywhere)."""
    return _rewrite(
        sql,
        lambda text: _PARAM.sub(r"%(\1)s", text.replace("%", "%%")),
        lambda text: text.replace("%", "%%"),
    )


def to_duckdb(sql: str) -> str:
    """``:name`` → ``$name`` (DuckDB's named parameters)."""
    return _rewrite(sql, lambda text: _PARAM.sub(r"$\1", text))


def statements(sql: str) -> list[str]:
    """Split a script at ``;`` outside literals and comments; empty statements dropped."""
    parts, current = [], []
    for is_code, text in segments(sql):
        if not is_code:
            current.append(text)
            continue
        pieces = text.split(";")
        for piece in pieces[:-1]:
            parts.append("".join([*current, piece]))
            current = []
        current.append(pieces[-1])
    parts.append("".join(current))
    return [p.strip() for p in parts if strip_comments(p).strip()]


def strip_comments(sql: str) -> str:
    """``sql`` without ``--`` and ``/* */`` comments (quoted text kept)."""
    return "".join(
        text for is_code, text in segments(sql) if is_code or not text.startswith(("--", "/*"))
    )


def single_statement(sql: str) -> str:
    """``sql`` if it holds exactly one statement (a trailing ``;`` is fine); else an error."""
    found = statements(sql)
    if len(found) != 1:
        raise SqlTextError(
            f"expected exactly one SQL statement, got {len(found)}: run them one at a time"
        )
    return found[0]


def bind(sql: str, params: dict[str, Any] | None) -> dict[str, Any]:
    """The values of the parameters ``sql`` names (extra keys dropped; DuckDB rejects them)."""
    params = params or {}
    values = {}
    for name in param_names(sql):
        if name not in params:
            raise SqlTextError(f"query parameter :{name} has no value (given: {sorted(params)})")
        values[name] = _plain(params[name])
    return values


def _plain(value: Any) -> Any:
    """numpy scalars become Python ones: neither driver adapts numpy.int64 and friends."""
    if type(value).__module__ == "numpy" and hasattr(value, "item"):
        return value.item()
    return value
