"""The clean layer of one user: every staged export merged, one row per distinct play.

A pure function of the user's raw exports: incremental ingests and ``rebuild`` write the same
bytes, because the merge always runs over all staged exports in export-id order.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from etl import same_play, schemas
from etl.lakeio import copy_parquet, read_parquet, write_parquet
from etl.paths import Lake

STAGED_SCHEMAS = {**schemas.CLEAN, "streams": schemas.STAGED_STREAMS}


def read_staged(lake: Lake, user: str, table: str) -> pa.Table:
    parts = [
        read_parquet(lake.staged_file(table, user, export_id), STAGED_SCHEMAS[table])
        for export_id in lake.raw_exports(user)
    ]
    return pa.concat_tables(parts) if parts else STAGED_SCHEMAS[table].empty_table()


def _sorted(table: pa.Table, keys: list[str]) -> pa.Table:
    if table.num_rows == 0:
        return table
    return table.sort_by([(k, "ascending") for k in keys])


def _dedupe_searches(table: pa.Table) -> pa.Table:
    """A search seen in two overlapping exports is one search (the earliest export's row)."""
    if table.num_rows == 0:
        return table
    table = _sorted(table, ["search_id", "export_id"])
    ids = table["search_id"].to_pylist()
    keep = [i == 0 or ids[i] != ids[i - 1] for i in range(len(ids))]
    return _sorted(table.filter(pa.array(keep)), ["searched_at", "search_id"])


def merge_user(lake: Lake, user: str) -> dict[str, int]:
    """Rewrite the user's clean tables from their staged exports; return row counts."""
    parts = [lake.staged_file("streams", user, e) for e in lake.raw_exports(user)]
    out = lake.clean_file("streams", user)
    if len(parts) == 1:  # one export is already one row per play, in order
        n_streams = copy_parquet(parts[0], out, schemas.STREAMS)
    else:
        same_play.merge_files(parts, out)
        n_streams = pq.read_metadata(out).num_rows
    tables = {
        "playlist_items": _sorted(
            read_staged(lake, user, "playlist_items"), ["export_id", "playlist_id", "position"]
        ),
        "library_items": read_staged(lake, user, "library_items"),
        "search_queries": _dedupe_searches(read_staged(lake, user, "search_queries")),
        "_rejects": read_staged(lake, user, "_rejects"),
    }
    for name, table in tables.items():
        write_parquet(table, lake.clean_file(name, user), schemas.CLEAN[name])
    return {"streams": n_streams, **{name: t.num_rows for name, t in tables.items()}}


def total_ms(table: pa.Table) -> int:
    return int(pc.sum(table["ms_played"]).as_py() or 0) if table.num_rows else 0
