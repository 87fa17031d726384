"""What the lake holds, per user and layer (``spotify-lake status``)."""

from __future__ import annotations

from typing import Any

import pyarrow.compute as pc
import pyarrow.parquet as pq

from etl import config, schemas
from etl.curated_schemas import CURATED
from etl.paths import Lake
from etl.raw import read_manifest


def _rows(path) -> int | None:
    return pq.read_metadata(path).num_rows if path.exists() else None


def _play_range(lake: Lake, user: str) -> tuple[str | None, str | None]:
    path = lake.clean_file("streams", user)
    if not path.exists():
        return None, None
    ended = pq.read_table(path, columns=["ended_at"])["ended_at"]
    if len(ended) == 0:
        return None, None
    bounds = pc.min_max(ended).as_py()
    return bounds["min"].isoformat(), bounds["max"].isoformat()


def _exports(lake: Lake, user: str) -> list[dict[str, Any]]:
    out = []
    for export_id in lake.raw_exports(user):
        m = read_manifest(lake.manifest(user, export_id))
        out.append(
            {k: m[k] for k in ("export_id", "source_name", "received_at", "families", "totals")}
        )
    return out


def _warehouse_counts(settings: config.Settings, user: str) -> dict[str, Any]:
    try:
        from etl.warehouse import Warehouse
    except ImportError:
        return {"error": "warehouse module not available"}
    try:
        wh = Warehouse.from_settings(settings)
        frame = wh.query(
            "select count(*) as plays, coalesce(sum(ms_played), 0) as ms_played "
            "from curated.fact_streams where user_id = :user_id",
            {"user_id": user},
        )
    except Exception as exc:  # noqa: BLE001 - status reports, it does not fail
        return {"error": str(exc).splitlines()[0]}
    return {
        "kind": wh.kind,
        "plays": int(frame["plays"][0]),
        "ms_played": int(frame["ms_played"][0]),
    }


def _checks(lake: Lake, user: str) -> dict[str, Any]:
    try:
        from etl.checks import check_curated
    except ImportError:
        return {"error": "checks module not available"}
    if not lake.curated_file("fact_streams", user).exists():
        return {"error": "not curated yet"}
    report = check_curated(lake, user).as_dict()
    return report


def user_status(settings: config.Settings, user: str) -> dict[str, Any]:
    lake = Lake(settings.lake_root)
    first, last = _play_range(lake, user)
    clean = {t: _rows(lake.clean_file(t, user)) for t in schemas.CLEAN}
    return {
        "user": user,
        "exports": _exports(lake, user),
        "clean": clean,
        "rejects": clean.get("_rejects") or 0,
        "first_play": first,
        "last_play": last,
        "curated": {t: _rows(lake.curated_file(t, user)) for t in CURATED},
        "warehouse": _warehouse_counts(settings, user),
        "checks": _checks(lake, user),
    }


def lake_status(settings: config.Settings) -> dict[str, Any]:
    lake = Lake(settings.lake_root)
    return {
        "lake": str(lake.root),
        "warehouse": settings.database_url and "postgresql" or str(lake.warehouse_duckdb),
        "users": [user_status(settings, u) for u in lake.raw_users()],
    }


def render(report: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    console.print(f"Lake: {report['lake']}   Warehouse: {report['warehouse']}")
    if not report["users"]:
        console.print("No data yet: run `spotify-lake ingest <your export.zip>`.")
    for u in report["users"]:
        table = Table(title=f"user {u['user']}: plays {u['first_play']} .. {u['last_play']}")
        for col in ("table", "clean rows", "curated rows"):
            table.add_column(col)
        for name, rows in u["clean"].items():
            table.add_row(name, str(rows), "")
        for name, rows in u["curated"].items():
            table.add_row(name, "", str(rows))
        console.print(table)
        console.print(
            f"exports: {len(u['exports'])}, rejected records: {u['rejects']}, "
            f"warehouse: {u['warehouse']}, checks: {u['checks']}"
        )
