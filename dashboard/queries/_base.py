"""Shared machinery of the query functions: one cache per question, keyed on the load version."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypeVar

import pandas as pd

from dashboard import db

T = TypeVar("T")
_CACHES: list[Callable[[], None]] = []
_PARAM = re.compile(r"(?<![:\w]):([a-z_][a-z0-9_]*)")


def cached(fn: Callable[..., T]) -> Callable[..., T]:
    """Memoise ``fn`` on its (hashable) arguments plus ``db.load_version()``.

    DataFrames are copied on the way out, so a caller that changes one cannot poison the cache.
    """
    inner = functools.lru_cache(maxsize=512)(lambda _version, *args: fn(*args))

    @functools.wraps(fn)
    def wrapper(*args: Any) -> T:
        value = inner(db.load_version(), *args)
        return value.copy() if isinstance(value, pd.DataFrame) else value

    wrapper.cache_clear = inner.cache_clear  # type: ignore[attr-defined]
    _CACHES.append(inner.cache_clear)
    return wrapper


def clear_caches() -> None:
    """Forget every cached answer (tests; a load is normally noticed through the version)."""
    for clear in _CACHES:
        clear()
    db.forget_version()


def run(sql: str, params: dict[str, Any]) -> pd.DataFrame:
    """One parameterised statement; the SQL text is always a constant of this package.

    Only the parameters the statement names are passed (DuckDB rejects unused ones).
    """
    names = set(_PARAM.findall(sql))
    df = db.query(" ".join(sql.split()), {k: v for k, v in params.items() if k in names})
    return normalise(df)


def normalise(df: pd.DataFrame) -> pd.DataFrame:
    """One shape for both engines: numeric sums as floats, dates as datetime64."""
    for col in df.columns:
        if df[col].dtype != object:
            continue
        values = df[col].dropna()
        if values.empty:
            continue
        if all(isinstance(v, Decimal) for v in values):
            df[col] = df[col].astype(float)
        elif all(isinstance(v, date) and not isinstance(v, datetime) for v in values):
            df[col] = pd.to_datetime(df[col])
    return df


def scalar(sql: str, params: dict[str, Any], default: Any = None) -> Any:
    df = run(sql, params)
    if df.empty or pd.isna(df.iloc[0, 0]):
        return default
    return df.iloc[0, 0]


# SQL fragments below and in the query modules are constants: values always travel as
# parameters, never through string formatting.


PERIOD = """
    user_id = :user_id
    and local_date between :start_date and :end_date
    and (:content = 'all' or content_type = :content)
"""
