"""The embedded DuckDB warehouse file: short read-only connections, one locked writer.

DuckDB lets one process write a database file, or any number read it, never both at once. So
every query opens a read-only connection and closes it straight away, and a writer (a load, a
migration) first takes a file lock beside the database (writers queue there), then opens the
file read-write, retrying with backoff while readers hold it. Both wait a bounded time.
"""

from __future__ import annotations

import contextlib
import fcntl
import random
import threading
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from etl import warehouse_sql
from etl.warehouse_sql import WarehouseBusy, WarehouseError

#: How long a query waits for a running load to let go of the file.
READ_WAIT_S = 60.0
#: How long a writer waits for readers and other writers.
WRITE_WAIT_S = 300.0
#: Read connections cannot touch files or extensions: a query reads the warehouse, nothing else.
READ_CONFIG = {"enable_external_access": False}

_held: dict[str, tuple[int | None, int]] = {}  # path -> (thread holding the writer lock, depth)
_held_lock = threading.Lock()


def _retryable(exc: duckdb.Error) -> bool:
    text = str(exc)
    return "Could not set lock" in text or "different configuration" in text


def connect(path: Path, read_only: bool, wait_s: float) -> duckdb.DuckDBPyConnection:
    """Open ``path``, retrying with jittered backoff while another process holds its lock."""
    deadline, delay = time.monotonic() + wait_s, 0.01
    while True:
        try:
            if read_only:
                return duckdb.connect(str(path), read_only=True, config=READ_CONFIG)
            return duckdb.connect(str(path))
        except (duckdb.IOException, duckdb.ConnectionException) as exc:
            if not _retryable(exc) or time.monotonic() > deadline:
                if _retryable(exc):
                    raise WarehouseBusy(
                        f"the warehouse {path} stayed locked by another process for {wait_s:.0f}"
                        f" s (a long load?): try again later ({exc})"
                    ) from exc
                raise
        time.sleep(delay * (0.5 + random.random()))
        delay = min(delay * 2, 0.5)


def query(path: Path, sql: str, params: dict[str, Any] | None) -> pd.DataFrame:
    """Run one statement (``:name`` parameters) on a short read-only connection."""
    sql = warehouse_sql.single_statement(sql)
    values = warehouse_sql.bind(sql, params)
    if not path.exists():
        raise WarehouseError(
            f"there is no warehouse at {path} yet: run `spotify-lake ingest <export>` "
            "(or `spotify-lake db upgrade` for empty tables)"
        )
    con = connect(path, read_only=True, wait_s=READ_WAIT_S)
    try:
        result = con.execute(warehouse_sql.to_duckdb(sql), values)
        if not result.description:
            return pd.DataFrame()
        text = [str(d[1]) == "VARCHAR" for d in result.description]
        with warnings.catch_warnings():  # DuckDB's own converter uses a deprecated pandas call
            warnings.simplefilter("ignore", pd.errors.Pandas4Warning)
            frame = result.df()
    finally:
        con.close()
    return _same_shape(frame, text)


def _same_shape(frame: pd.DataFrame, text: list[bool]) -> pd.DataFrame:
    """The dtypes PostgreSQL frames get: ``str`` text even without rows, UTC named "UTC"."""
    for i, name in enumerate(frame.columns):
        if isinstance(frame[name].dtype, pd.DatetimeTZDtype):
            frame[name] = frame[name].dt.tz_convert("UTC")
        elif text[i] and frame[name].dtype == object:
            frame[name] = frame[name].astype("str")
    return frame


def lock_path(path: Path) -> Path:
    return path.with_name(path.name + ".lock")


@contextlib.contextmanager
def writer_lock(path: Path, wait_s: float = WRITE_WAIT_S) -> Iterator[None]:
    """Serialise writers of ``path`` across processes (a kill -9 releases it with the process).

    Re-entrant in the thread that holds it, so a load can hold it across its migrations.
    """
    key = str(path)
    with _held_lock:
        mine = _held.get(key, (None, 0))
        if mine[0] == threading.get_ident():
            _held[key] = (mine[0], mine[1] + 1)
            reentered = True
        else:
            reentered = False
    if reentered:
        try:
            yield
        finally:
            with _held_lock:
                owner, depth = _held[key]
                _held[key] = (owner, depth - 1)
        return
    with _flock(path, wait_s):
        with _held_lock:
            _held[key] = (threading.get_ident(), 1)
        try:
            yield
        finally:
            with _held_lock:
                _held.pop(key, None)


@contextlib.contextmanager
def _flock(path: Path, wait_s: float) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + wait_s
    with lock_path(path).open("a") as fh:
        while True:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise WarehouseBusy(
                        f"another load or migration has held {lock_path(path)} for over "
                        f"{wait_s:.0f} s: wait for it to finish, then try again"
                    ) from None
                time.sleep(0.1)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


@contextlib.contextmanager
def writer(path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """The writer lock plus a read-write connection, closed (and the lock freed) at the end."""
    with writer_lock(path):
        con = connect(path, read_only=False, wait_s=WRITE_WAIT_S)
        try:
            yield con
        finally:
            con.close()


@contextlib.contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """One transaction on ``con``: committed if the block succeeds, else rolled back."""
    con.execute("begin transaction")
    try:
        yield con
    except BaseException:
        con.execute("rollback")
        raise
    con.execute("commit")
