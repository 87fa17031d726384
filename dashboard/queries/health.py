"""Questions of the Data health page: what was ingested, what was rejected, what is loaded."""

from __future__ import annotations

import json

import pandas as pd

from dashboard import db
from dashboard.queries._base import cached, run, scalar
from etl.curated_schemas import PER_USER_TABLES

# Table names are constants of the schema module, never input.
_ROWS_SQL = " union all ".join(
    f"select '{t}' as table_name, count(*) as row_count from curated.{t} where user_id = :user_id"
    for t in PER_USER_TABLES
)
LOADS = ("spotify_lake_meta", "loads")


@cached
def exports(user: str) -> pd.DataFrame:
    """Every export ingested for the user, newest first."""
    return run(
        """select export_id, source_name, received_at, size_bytes, member_count, families,
                  records_read, rows_clean, duplicates, rejects
           from curated.exports where user_id = :user_id
           order by received_at desc, export_id""",
        {"user_id": user},
    )


@cached
def table_rows(user: str) -> pd.DataFrame:
    """Rows per curated table for the user: as recorded (and reconciled) by the last load,
    else counted."""
    load = last_load(user)
    if load is not None and load.get("table_rows"):
        counts = json.loads(load["table_rows"])
        return pd.DataFrame({"table_name": list(counts), "row_count": list(counts.values())})
    return run(_ROWS_SQL, {"user_id": user})


@cached
def rejects(user: str) -> pd.DataFrame:
    """Rejected records by export, member file and reason."""
    return run(
        """select export_id, member, reason, record_count from curated.reject_reasons
           where user_id = :user_id order by record_count desc, export_id, member, reason""",
        {"user_id": user},
    )


@cached
def last_load(user: str) -> dict | None:
    """The latest warehouse load of the user, when the loader keeps bookkeeping."""
    if not db.table_exists(*LOADS):
        return None
    df = run(
        "select * from spotify_lake_meta.loads where user_id = :user_id"
        " order by load_number desc limit 1",
        {"user_id": user},
    )
    return None if df.empty else df.iloc[0].to_dict()


_TOTALS = {
    "daily_plays": "select coalesce(sum(plays), 0) from curated.daily_listening"
                   " where user_id = :user_id",
    "hourly_plays": "select coalesce(sum(plays), 0) from curated.hourly_listening"
                    " where user_id = :user_id",
    "session_plays": "select coalesce(sum(plays), 0) from curated.sessions"
                     " where user_id = :user_id",
    "warehouse_plays": "select count(*) from curated.fact_streams where user_id = :user_id",
    "exports": "select count(*) from curated.exports where user_id = :user_id",
}  # fmt: skip
_TOTALS_SQL = "select " + ", ".join(f"({sql}) as {name}" for name, sql in _TOTALS.items())
_FACT_ROWS = "select count(*) from curated.fact_streams where user_id = :user_id"


@cached
def consistency(user: str) -> dict[str, int]:
    """Totals that must agree across tables (the checks on the page compare them).

    The play count comes from the last load's bookkeeping when there is one (the load
    reconciled it with the files inside its transaction), sparing a count of every play.
    """
    df = run(_TOTALS_SQL, {"user_id": user})
    out = {k: int(v) for k, v in df.iloc[0].items()}
    load = last_load(user)
    out["fact_plays"] = int(load["fact_rows"] if load else scalar(_FACT_ROWS, {"user_id": user}))
    return out
