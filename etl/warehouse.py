"""The warehouse: PostgreSQL (schema ``curated``) when ``DATABASE_URL`` is set, else DuckDB.

``Warehouse.from_settings(settings).query(sql, params)`` is the one way to read it; the same
SQL runs on both engines. ``load_user`` puts one user's curated files into it.

Parameters are written ``:name`` (rule in ``etl.warehouse_sql``) and always travel separately
from the SQL text. Results are pandas DataFrames with one set of dtypes on both engines:
``int64`` (``Int64``/``Int32`` when a column holds NULLs), ``float64`` for numeric sums and
averages, ``bool`` (``boolean`` with NULLs), ``str`` text, ``datetime64[us]`` for ``date`` and
``timestamp``, ``datetime64[us, UTC]`` for ``timestamptz``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from etl import config, warehouse_duckdb, warehouse_pg
from etl.paths import Lake
from etl.warehouse_sql import SqlTextError, WarehouseBusy, WarehouseError

__all__ = ["SqlTextError", "Warehouse", "WarehouseBusy", "WarehouseError", "load_user"]

#: The schema of the curated tables (the same name on both engines).
SCHEMA = "curated"


class Warehouse:
    """A handle on the configured warehouse; cheap to create, safe to share between threads.

    PostgreSQL: one pooled engine per URL and process behind it; every query runs in a
    read-only transaction. DuckDB: every query opens the file read-only and closes it again,
    so a load in another process can take the write lock between queries.
    """

    def __init__(self, kind: str, *, url: str | None = None, path: Path | None = None) -> None:
        if kind not in ("postgres", "duckdb"):
            raise ValueError(f"unknown warehouse kind {kind!r}")
        self.kind, self.url, self.path = kind, url, path

    @classmethod
    def from_settings(cls, settings: config.Settings, *, migrate: bool = True) -> Warehouse:
        """PostgreSQL for a ``postgresql://`` DATABASE_URL, else ``<lake>/warehouse.duckdb``.

        With ``migrate`` (the default) pending migrations in ``sql/`` are applied first, once
        per process.
        """
        url = settings.database_url
        if url and not warehouse_pg.is_postgres_url(url):
            raise WarehouseError(
                f"DATABASE_URL={_scheme(url)}://… is not a PostgreSQL URL: use "
                "postgresql://user:password@host:5432/dbname, or unset it for the embedded DuckDB"
            )
        if url:
            wh = cls("postgres", url=url)
        else:
            wh = cls("duckdb", path=Lake(settings.lake_root).warehouse_duckdb)
        if migrate:
            from etl import migrations

            migrations.ensure(wh)
        return wh

    @property
    def target(self) -> str:
        """Where the warehouse is, for messages (a URL without its password, or a file)."""
        return warehouse_pg.safe_url(self.url) if self.kind == "postgres" else str(self.path)

    def exists(self) -> bool:
        """False only for an embedded warehouse whose file was never created."""
        return self.kind == "postgres" or self.path.exists()

    def query(self, sql: str, params: dict[str, Any] | None = None) -> pd.DataFrame:
        """Run ONE read-only statement with ``:name`` parameters; its rows as a DataFrame.

        A write is refused (read-only transaction / read-only file). Parameters the statement
        does not name are ignored; a named one without a value is an ``SqlTextError``.

        Example: ``wh.query("select count(*) as n from curated.fact_streams
        where user_id = :user_id", {"user_id": "me"})``
        """
        if self.kind == "postgres":
            return warehouse_pg.query(self.url, sql, params)
        return warehouse_duckdb.query(self.path, sql, params)

    def upgrade(self) -> list[dict]:
        """Apply pending migrations now; ``[{"version", "name", "outcome"}]``."""
        from etl import migrations

        return migrations.upgrade(self)

    def __repr__(self) -> str:
        return f"Warehouse({self.kind!r}, {self.target!r})"


def _scheme(url: str) -> str:
    return url.split(":", 1)[0]


def load_user(lake: Lake, user: str, settings: config.Settings, *, force: bool = False) -> dict:
    """Load every curated table of ``user`` into the configured warehouse (see warehouse_load)."""
    from etl import warehouse_load

    return warehouse_load.load_user(lake, user, settings, force=force)
