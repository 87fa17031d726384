"""Put the hand-built curated tables into a warehouse the way the pipeline does.

Each user's rows are written as curated Parquet (``Lake.curated_file``) and loaded with
``etl.warehouse.load_user``: the real migrations, COPY/insert, reconciliation and ``loads`` row.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from etl import config
from etl.curated_schemas import CURATED
from etl.lakeio import write_parquet
from etl.paths import Lake
from etl.warehouse import Warehouse, load_user

__all__ = ["Warehouse", "load"]


def write_curated(lake: Lake, tables: dict[str, pa.Table]) -> list[str]:
    """Every table split per user into the lake's curated files; returns the users."""
    users = sorted(set(tables["fact_streams"].column("user_id").to_pylist()))
    for user in users:
        for name, table in tables.items():
            part = table if name == "dim_date" else table.filter(
                pc.equal(table["user_id"], user))
            write_parquet(part, lake.curated_file(name, user), CURATED[name])
    return users


def load(settings: config.Settings, tables: dict[str, pa.Table]) -> Warehouse:
    """Write and load every user of ``tables``; the warehouse of ``settings``, ready to read."""
    lake = Lake(settings.lake_root)
    # upgrade() rather than the once-per-process migration: pg_url drops the schemas per test
    Warehouse.from_settings(settings, migrate=False).upgrade()
    for user in write_curated(lake, tables):
        load_user(lake, user, settings)
    return Warehouse.from_settings(settings)
