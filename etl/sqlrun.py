"""In-process DuckDB for the lake's transforms: SQL over Arrow tables, no server, no files."""

from __future__ import annotations

import threading

import duckdb
import pyarrow as pa

_lock = threading.Lock()
_db: duckdb.DuckDBPyConnection | None = None


def _database() -> duckdb.DuckDBPyConnection:
    """One in-memory database per process; each call gets its own cursor (thread-safe)."""
    global _db
    with _lock:
        if _db is None:
            # A modest cap: DuckDB otherwise caches up to 80% of RAM.
            _db = duckdb.connect(":memory:", config={"threads": 2, "memory_limit": "768MB"})
        return _db


def run(sql: str, params: dict | None = None, **tables: pa.Table) -> pa.Table:
    """Run ``sql`` with ``tables`` visible by name; return the result as an Arrow table."""
    con = _database().cursor()
    try:
        for name, table in tables.items():
            con.register(name, table)
        return con.sql(sql, params=params or None).to_arrow_table()
    finally:
        con.close()
