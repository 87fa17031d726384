"""In-process DuckDB for the lake's transforms: SQL over Arrow tables, no server, no files."""

from __future__ import annotations

import threading

import duckdb
import pyarrow as pa

_local = threading.local()


def _connection() -> duckdb.DuckDBPyConnection:
    con = getattr(_local, "con", None)
    if con is None:
        con = duckdb.connect(":memory:", config={"threads": 2})
        _local.con = con
    return con


def run(sql: str, params: dict | None = None, **tables: pa.Table) -> pa.Table:
    """Run ``sql`` with ``tables`` visible by name; return the result as an Arrow table."""
    con = _connection().cursor()
    try:
        for name, table in tables.items():
            con.register(name, table)
        return con.sql(sql, params=params or None).to_arrow_table()
    finally:
        con.close()
