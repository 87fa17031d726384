"""Clean → curated for one user: every table of ``etl.curated_schemas.CURATED`` (docs/model.md).

A pure function of the user's clean files and raw manifests: no wall clock ("as of" is the
user's last play date), every table sorted by its key, so a rerun writes identical bytes.
Each file is written to ``lake.tmp`` and renamed into place.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import uuid
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from etl import schemas
from etl.config import Settings, check_user
from etl.curated_schemas import CURATED
from etl.lakeio import user_lock
from etl.model import anomalies, dims, health, listening, playlists, plays
from etl.paths import Lake

ROW_GROUP_ROWS = 256_000


def _read_clean(lake: Lake, table: str, user: str, columns: list[str] | None = None) -> pa.Table:
    """A clean table cast to its pinned schema; a missing file is an empty table."""
    schema = schemas.CLEAN[table]
    if columns:
        schema = pa.schema([schema.field(c) for c in columns])
    path = lake.clean_file(table, user)
    if not path.exists():
        return schema.empty_table()
    return pq.read_table(path, columns=list(schema.names)).cast(schema)


def read_manifests(lake: Lake, user: str) -> dict[str, dict]:
    """The raw manifests of ``user`` by export id (JSON, see etl.ingest)."""
    return {e: json.loads(lake.manifest(user, e).read_text()) for e in lake.raw_exports(user)}


def as_of_date(fact: pa.Table, manifests: dict[str, dict], export_id: str | None) -> dt.date:
    """The user's last local play date; without plays, the playlist export's receipt date."""
    if fact.num_rows:
        return pc.max(fact["local_date"]).as_py()
    received = health.received_at(manifests.get(export_id or "", {}))
    return received.date() if received else dt.date(1970, 1, 1)


def curated_tables(lake: Lake, user: str, settings: Settings) -> Iterator[tuple[str, pa.Table]]:
    """Every curated table of ``user`` as ``(name, Arrow table)``, each as soon as it is built.

    Yielding one at a time lets the caller write and drop the big ones, which keeps a
    million-play user well under the memory budget.
    """
    manifests = read_manifests(lake, user)
    fact = plays.build_plays(
        _read_clean(lake, "streams", user, list(plays.CLEAN_COLUMNS)), user, settings
    )
    clean_items = _read_clean(lake, "playlist_items", user)
    received = {e: m.get("received_at") or "" for e, m in manifests.items()}
    export_id = playlists.latest_export(clean_items, received)
    items = playlists.build_items(clean_items, export_id)
    dim_tables = dims.build_dims(fact, items, user)
    fact = fact.drop_columns(list(plays.NAME_COLUMNS))  # the dims hold them from here on
    yield from dim_tables.items()
    yield "dim_date", dims.build_dim_date()
    as_of = as_of_date(fact, manifests, export_id)
    yield from playlists.build_playlist_tables(items, fact, user, export_id, as_of).items()
    daily = listening.daily_listening(fact, user)
    yield "daily_listening", daily
    # the biggest file is encoded in the background while the anomalies are being built
    yield "fact_streams", fact
    yield "anomalies", anomalies.build_anomalies(fact, dim_tables, daily, user)
    yield from listening.build_listening(fact, dim_tables, user)
    yield "exports", health.build_exports(manifests, user)
    rejects = _read_clean(lake, "_rejects", user, ["export_id", "member", "reason"])
    yield "reject_reasons", health.build_reject_reasons(rejects, user)


def write_parquet(table: pa.Table, path: Path) -> None:
    """zstd Parquet whose bytes depend on the rows only, not on how ``table`` is chunked.

    Each row group is made contiguous on its own, so a million-row table is never copied whole.
    """
    with pq.ParquetWriter(path, table.schema, compression="zstd", write_statistics=True) as out:
        for start in range(0, max(table.num_rows, 1), ROW_GROUP_ROWS):
            out.write_table(table.slice(start, ROW_GROUP_ROWS).combine_chunks())


class _Staging:
    """Curated files written to ``lake.tmp`` first, renamed into place together at the end.

    Parquet encoding runs on one background thread (it releases the GIL), overlapping the
    building of the next table; at most one file is in flight.
    """

    def __init__(self, lake: Lake, user: str) -> None:
        self.lake, self.user = lake, user
        self.files: dict[str, Path] = {}
        self.pending: list[Future] = []
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="curate-write")

    def write(self, name: str, table: pa.Table) -> int:
        """Cast ``table`` to the pinned schema of ``name`` and queue it for its temp file."""
        schema = CURATED[name]
        table = schema.empty_table() if table.num_rows == 0 else table.select(schema.names)
        table = table.cast(schema)
        self.lake.tmp.mkdir(parents=True, exist_ok=True)
        tmp = self.lake.tmp / f"curate-{self.user}-{name}-{uuid.uuid4().hex}.parquet"
        self.files[name] = tmp
        for future in self.pending:  # one file in flight at a time bounds the memory held
            future.result()
        self.pending = [self.pool.submit(write_parquet, table, tmp)]
        return table.num_rows

    def commit(self) -> None:
        for future in self.pending:
            future.result()
        for name, tmp in self.files.items():
            target = self.lake.curated_file(name, self.user)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(tmp, target)

    def discard(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)
        for tmp in self.files.values():
            tmp.unlink(missing_ok=True)


def curate_user(lake: Lake, user: str, settings: Settings) -> dict[str, int]:
    """Rebuild every curated table of ``user`` from clean; returns row counts per table."""
    check_user(user)
    with user_lock(lake.tmp / "locks", user):
        staging = _Staging(lake, user)
        try:
            counts = {
                name: staging.write(name, table)
                for name, table in curated_tables(lake, user, settings)
            }
            missing = set(CURATED) - set(counts)
            if missing:
                raise RuntimeError(f"curate built no {sorted(missing)} for user {user!r}")
            staging.commit()
        finally:
            staging.discard()
    return {name: counts[name] for name in CURATED}
