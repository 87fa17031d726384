"""The dashboard's one door to the warehouse: PostgreSQL if ``DATABASE_URL`` is set, else DuckDB.

Everything goes through ``etl.warehouse.Warehouse`` (short read-only connections per query, the
same ``:name``-parameter SQL on both engines). ``load_version()`` is part of every query cache
key, so a new warehouse load is visible without restarting the app.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import pandas as pd

from etl import config

#: How long a looked-up load version is trusted before asking the warehouse again.
VERSION_TTL_S = 5.0
#: One row per warehouse load (etl.warehouse_load); its count and latest time change per load.
VERSION_SQL = "select count(*) as n, max(loaded_at) as at from spotify_lake_meta.loads"

_lock = threading.Lock()
_state: dict[str, Any] = {"warehouse": None, "version": None, "checked": 0.0}


def use(warehouse: Any) -> None:
    """Point the dashboard at ``warehouse`` (anything with ``.kind`` and ``.query``)."""
    with _lock:
        _state.update(warehouse=warehouse, version=None, checked=0.0)


def warehouse() -> Any:
    """The warehouse in use; built once from the environment's settings on first need."""
    with _lock:
        if _state["warehouse"] is None:
            from etl.warehouse import Warehouse

            # A reader never migrates: loads and `spotify-lake db upgrade` do (and a migration
            # would wait for the DuckDB write lock while an ingest holds it).
            _state["warehouse"] = Warehouse.from_settings(config.load(), migrate=False)
        return _state["warehouse"]


def kind() -> str:
    return str(warehouse().kind)


def query(sql: str, params: dict[str, Any] | None = None) -> pd.DataFrame:
    """Run one parameterised statement (``:name`` placeholders) and return its rows."""
    return warehouse().query(sql, params or {})


def table_exists(schema: str, table: str) -> bool:
    """Whether ``schema.table`` exists (information_schema works on both engines)."""
    try:
        df = query(
            "select count(*) as n from information_schema.tables"
            " where table_schema = :schema and table_name = :table",
            {"schema": schema, "table": table},
        )
    except Exception:  # noqa: BLE001 - no database file yet means no tables
        return False
    return int(df["n"].iloc[0]) > 0


def _read_version() -> str:
    """A value that changes whenever the warehouse is (re)loaded; "empty" before any load."""
    if not table_exists("spotify_lake_meta", "loads"):
        return "empty"
    df = query(VERSION_SQL)
    return f"{df['n'].iloc[0]}:{df['at'].iloc[0]}"


def load_version() -> str:
    """The current load version, re-read at most every ``VERSION_TTL_S`` seconds."""
    now = time.monotonic()
    with _lock:
        if _state["version"] is not None and now - _state["checked"] < VERSION_TTL_S:
            return _state["version"]
    version = _read_version()
    with _lock:
        _state.update(version=version, checked=now)
    return version


def forget_version() -> None:
    """Make the next ``load_version()`` ask the warehouse (tests, after a load)."""
    with _lock:
        _state.update(version=None, checked=0.0)
