"""PostgreSQL connections: one pooled SQLAlchemy engine per URL and process, psycopg underneath.

Every connection starts read-only (``default_transaction_read_only``) and in UTC, so a query can
never write by accident and ``timestamptz`` values arrive in UTC. Writers (loads, migrations)
open their transaction with ``begin read write`` explicitly.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd
import psycopg

from etl import warehouse_sql
from etl.warehouse_sql import WarehouseError

#: Session settings of every warehouse connection (see the module docstring).
SESSION_OPTIONS = "-c default_transaction_read_only=on -c TimeZone=UTC"
POOL_SIZE = 5
MAX_OVERFLOW = 5

_engines: dict[tuple[str, int], Any] = {}
_lock = threading.Lock()


def is_postgres_url(url: str | None) -> bool:
    return bool(url) and url.split(":", 1)[0] in ("postgresql", "postgres", "postgresql+psycopg")


def _sqlalchemy_url(url: str) -> str:
    """SQLAlchemy's plain ``postgresql://`` means psycopg2 (not installed): name psycopg 3."""
    scheme, rest = url.split("://", 1)
    return f"postgresql+psycopg://{rest}" if scheme in ("postgresql", "postgres") else url


def engine(url: str):
    """The pooled engine for ``url`` in this process (a forked child builds its own)."""
    key = (url, os.getpid())
    with _lock:
        if key not in _engines:
            from sqlalchemy import create_engine

            _engines[key] = create_engine(
                _sqlalchemy_url(url),
                pool_size=POOL_SIZE,
                max_overflow=MAX_OVERFLOW,
                pool_pre_ping=True,
                pool_recycle=1800,
                connect_args={"options": SESSION_OPTIONS, "application_name": "spotify-lake"},
            )
        return _engines[key]


def safe_url(url: str) -> str:
    """``url`` with any password masked, for messages."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


@contextlib.contextmanager
def connection(url: str) -> Iterator[psycopg.Connection]:
    """A pooled psycopg connection; whatever is left open is rolled back on return."""
    from sqlalchemy.exc import OperationalError

    try:
        raw = engine(url).raw_connection()
    except (OperationalError, psycopg.OperationalError) as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise WarehouseError(
            f"cannot connect to the PostgreSQL warehouse {safe_url(url)} ({reason}): is the "
            "server running, and is DATABASE_URL right?"
        ) from exc
    try:
        yield raw.driver_connection
    finally:
        raw.close()


@contextlib.contextmanager
def read_write(url: str) -> Iterator[psycopg.Connection]:
    """One read-write transaction: committed if the block succeeds, else rolled back."""
    with connection(url) as conn:
        try:
            # psycopg has already begun the transaction; this must be its first statement
            conn.execute("set transaction read write")
            yield conn
            conn.commit()
        except BaseException:
            conn.rollback()
            raise


def query(url: str, sql: str, params: dict[str, Any] | None) -> pd.DataFrame:
    """Run one statement (``:name`` parameters) in a read-only transaction; rows as a frame."""
    sql = warehouse_sql.single_statement(sql)
    values = warehouse_sql.bind(sql, params)
    with connection(url) as conn:
        try:
            conn.execute("set transaction read only")
            cur = conn.execute(warehouse_sql.to_psycopg(sql), values)
            frame = to_frame(cur) if cur.description else pd.DataFrame()
            conn.commit()
        except BaseException:
            conn.rollback()
            raise
    return frame


# One pandas shape for both engines: what DuckDB's ``.df()`` gives for the same SQL types.
_INTS = {20: ("int64", "Int64"), 21: ("int16", "Int16"), 23: ("int32", "Int32"),
         26: ("int64", "Int64")}  # fmt: skip
_TEXT = {18, 19, 25, 1042, 1043}
_TIMES = {1082: "datetime64[us]", 1114: "datetime64[us]", 1184: "datetime64[us, UTC]"}


def _series(values: tuple, oid: int) -> pd.Series:
    has_null = any(v is None for v in values)
    if oid in _INTS:
        plain, nullable = _INTS[oid]
        return pd.Series(pd.array(values, dtype=nullable) if has_null else np.array(values, plain))
    if oid in (700, 701, 1700):  # numeric sums and averages arrive as Decimal
        return pd.Series(np.array([np.nan if v is None else float(v) for v in values], float))
    if oid == 16:
        return pd.Series(list(values), dtype="boolean" if has_null else bool)
    if oid in _TIMES:
        return pd.Series(list(values), dtype=_TIMES[oid])
    if oid in _TEXT:
        return pd.Series(list(values), dtype="str")
    return pd.Series(list(values), dtype=object)


def to_frame(cur: psycopg.Cursor) -> pd.DataFrame:
    """The cursor's rows as a DataFrame with DuckDB-like dtypes (see ``Warehouse.query``)."""
    rows = cur.fetchall()
    columns = list(zip(*rows, strict=True)) if rows else [()] * len(cur.description)
    frame = pd.DataFrame(
        {
            i: _series(vals, col.type_code)
            for i, (vals, col) in enumerate(zip(columns, cur.description, strict=True))
        }  # fmt: skip
    )
    frame.columns = [col.name for col in cur.description]
    return frame


def advisory_key(*parts: str) -> int:
    """A stable signed 64-bit lock key for ``parts`` (same in every process and release)."""
    import hashlib

    digest = hashlib.sha256("\x1f".join(("spotify-lake", *parts)).encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)
