"""Curated Parquet → warehouse for one user, all or nothing.

A load replaces the user's rows of every per-user table (and the shared ``dim_date``) inside
ONE transaction, checks inside that transaction that the warehouse now holds exactly what the
curated files hold (``etl.checks.reconcile``: rows per table and total ``ms_played``), and
records itself in ``spotify_lake_meta.loads`` with a hash of the files. Readers see the old
rows until the commit; a crash or kill at any point rolls back to them. When the hash equals
the user's last load nothing is written and the result says ``unchanged``.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path
from typing import Any

from etl import checks, config, warehouse_duckdb, warehouse_sql
from etl.curated_schemas import CURATED, PER_USER_TABLES
from etl.paths import Lake
from etl.warehouse import Warehouse
from etl.warehouse_sql import WarehouseError

LOADS = "spotify_lake_meta.loads"
#: Test hook: with this set to a file path, a load creates ``<path>.held`` just before its
#: commit and waits while ``<path>`` exists (at most HOLD_MAX_S), so a test can look at the
#: warehouse in the middle of a load, or kill the loader there.
HOLD_ENV = "SPOTIFY_LAKE_LOAD_HOLD"
HOLD_MAX_S = 120.0

LATEST_SQL = (
    f"select content_hash, load_number, table_rows from {LOADS} where user_id = :user_id"
    " order by load_number desc limit 1"
)
RECORD_SQL = (
    f"insert into {LOADS} (user_id, load_number, content_hash, loaded_at, engine, fact_rows,"
    " ms_played, table_rows, seconds) values (:user_id, :load_number, :content_hash,"
    " cast(:loaded_at as timestamptz), :engine, :fact_rows, :ms_played, :table_rows, :seconds)"
)


def columns(table: str) -> str:
    """The quoted column list of a curated table (names are constants of curated_schemas)."""
    return ", ".join(f'"{name}"' for name in CURATED[table].names)


def curated_files(lake: Lake, user: str) -> dict[str, Path]:
    files = {table: lake.curated_file(table, user) for table in CURATED}
    for path in files.values():
        if not path.is_file():
            raise WarehouseError(
                f"{path} is missing, so user {user!r} cannot be loaded: curate first "
                f"(`spotify-lake rebuild --user {user}`)"
            )
    return files


def content_hash(files: dict[str, Path]) -> str:
    """sha256 over every table's name, pinned schema and file bytes (curate is deterministic)."""
    digest = hashlib.sha256()
    for table, path in files.items():
        digest.update(f"{table}\0{CURATED[table]}\0{path.stat().st_size}\0".encode())
        with path.open("rb") as fh:
            while chunk := fh.read(1 << 20):
                digest.update(chunk)
    return digest.hexdigest()


def totals_sql() -> str:
    """Rows per table of one user (``:user_id``) and their total ``ms_played``, one row."""
    parts = [
        f'(select count(*) from curated."{t}" where user_id = :user_id) as "{t}"'
        for t in PER_USER_TABLES
        if t != "fact_streams"
    ]
    return (
        'select f.n as "fact_streams", f.ms as "fact_streams.ms_played", '
        '(select count(*) from curated.dim_date) as "dim_date", '
        + ", ".join(parts)
        + " from (select count(*) as n, coalesce(sum(ms_played), 0) as ms"
        " from curated.fact_streams where user_id = :user_id) f"
    )


def expected_totals(lake: Lake, user: str) -> dict[str, int]:
    import pyarrow.parquet as pq

    totals = checks.curated_totals(lake, user)
    totals["dim_date"] = pq.read_metadata(lake.curated_file("dim_date", user)).num_rows
    return totals


def reconcile(expected: dict[str, int], actual: dict[str, Any], where: str) -> None:
    """Raise (rolling the load back) unless the warehouse holds what the files hold."""
    checks.reconcile(expected, {k: int(v) for k, v in actual.items()}, where)


def record(user: str, number: int, digest: str, engine: str, expected: dict, started: float):
    """Parameters of the ``loads`` row of this load."""
    return {
        "user_id": user, "load_number": number, "content_hash": digest,
        "loaded_at": time.strftime("%Y-%m-%d %H:%M:%S+00", time.gmtime()), "engine": engine,
        "fact_rows": expected["fact_streams"], "ms_played": expected["fact_streams.ms_played"],
        "table_rows": json.dumps({t: expected[t] for t in CURATED}),
        "seconds": round(time.perf_counter() - started, 3),
    }  # fmt: skip


def hold_if_asked() -> None:
    """The ``HOLD_ENV`` test hook (a no-op unless the variable is set)."""
    marker = os.environ.get(HOLD_ENV)
    if not marker:
        return
    Path(marker + ".held").touch()
    deadline = time.monotonic() + HOLD_MAX_S
    while Path(marker).exists() and time.monotonic() < deadline:
        time.sleep(0.02)


def latest_hash(wh: Warehouse, user: str) -> str | None:
    frame = wh.query(LATEST_SQL, {"user_id": user})
    return None if frame.empty else str(frame["content_hash"].iloc[0])


def load_user(lake: Lake, user: str, settings: config.Settings, *, force: bool = False) -> dict:
    """Load ``user``'s curated files; ``{"status": "loaded"|"unchanged", ...}``.

    ``force`` reloads even when the files equal the last load. Raises ``WarehouseError`` for a
    missing curated file and ``checks.QualityCheckError`` when reconciliation fails (then
    nothing was changed).
    """
    config.check_user(user)
    # DuckDB: queue for the writer lock before reading anything, so a second loader waits
    # for the first one however long it takes (its reads would otherwise time out).
    if settings.database_url:
        return _load_user(lake, user, settings, force)
    with warehouse_duckdb.writer_lock(Lake(settings.lake_root).warehouse_duckdb):
        return _load_user(lake, user, settings, force)


def _load_user(lake: Lake, user: str, settings: config.Settings, force: bool) -> dict:
    started = time.perf_counter()
    wh = Warehouse.from_settings(settings)
    files = curated_files(lake, user)
    digest = content_hash(files)
    result = {"user": user, "engine": wh.kind, "content_hash": digest, "status": "unchanged"}
    if not force and latest_hash(wh, user) == digest:
        return result
    job = LoadJob(user, files, digest, expected_totals(lake, user), force, started)
    if wh.kind == "postgres":
        from etl import warehouse_load_pg

        loaded = warehouse_load_pg.load(wh.url, job)
    else:
        loaded = load_duckdb(wh.path, job)
    if loaded:
        result.update(status="loaded", tables={t: job.expected[t] for t in CURATED},
                      seconds=round(time.perf_counter() - started, 3))  # fmt: skip
    return result


class LoadJob:
    """What one load writes, and the totals the warehouse must show afterwards."""

    def __init__(self, user, files, digest, expected, force, started) -> None:
        self.user, self.files, self.digest = user, files, digest
        self.expected, self.force, self.started = expected, force, started

    def skip(self, latest: tuple | None) -> bool:
        """Whether the last load (a ``LATEST_SQL`` row, re-read under the lock) is this one."""
        return not self.force and latest is not None and latest[0] == self.digest

    def where(self, engine: str) -> str:
        return f"curated files vs {engine} warehouse, user {self.user!r}"

    def grown(self, latest: tuple | None, share: float = 0.1) -> list[str]:
        """Tables whose row count for this user moved by more than ``share`` since the last
        load (all on a first load): the ones worth fresh planner statistics."""
        before = json.loads(latest[2]) if latest else {}
        return [
            t
            for t in CURATED
            if t not in before or abs(self.expected[t] - before[t]) > share * max(before[t], 1)
        ]


def load_duckdb(path: Path, job: LoadJob) -> bool:
    """The DuckDB load: one transaction under the writer lock; False if it was unchanged."""
    params = {"user_id": job.user}
    with warehouse_duckdb.writer(path) as con:
        with warehouse_duckdb.transaction(con):
            latest = con.execute(warehouse_sql.to_duckdb(LATEST_SQL), params).fetchone()
            if job.skip(latest):
                return False
            for table, file in job.files.items():
                cols = columns(table)
                where = "" if table == "dim_date" else " where user_id = $user_id"
                con.execute(f'delete from curated."{table}"{where}', params if where else None)
                con.execute(
                    f'insert into curated."{table}" ({cols}) select {cols} from read_parquet($f)',
                    {"f": str(file)},
                )
            cur = con.execute(warehouse_sql.to_duckdb(totals_sql()), params)
            names = [d[0] for d in cur.description]
            reconcile(
                job.expected, dict(zip(names, cur.fetchone(), strict=True)), job.where("duckdb")
            )
            number = (latest[1] if latest else 0) + 1
            row = record(job.user, number, job.digest, "duckdb", job.expected, job.started)
            con.execute(warehouse_sql.to_duckdb(RECORD_SQL), row)
            hold_if_asked()
        con.execute("checkpoint")  # fold the WAL in now, not in every reader's open
    return True
