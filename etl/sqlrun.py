"""In-process DuckDB for the lake's transforms: SQL over Arrow tables, no server, no files."""

from __future__ import annotations

import contextlib
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

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
            spill = Path(tempfile.gettempdir()) / "spotify-lake-duckdb"
            _db = duckdb.connect(
                ":memory:",
                config={"threads": 2, "memory_limit": "768MB", "temp_directory": str(spill)},
            )
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


@contextlib.contextmanager
def reader(sql: str, params: dict | None, batch_rows: int) -> Iterator[pa.RecordBatchReader]:
    """The query's rows as Arrow record batches of ``batch_rows``, streamed (bounded memory)."""
    con = _database().cursor()
    try:
        yield con.sql(sql, params=params or None).to_arrow_reader(batch_rows)
    finally:
        con.close()
