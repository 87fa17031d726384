"""The PostgreSQL load: COPY every curated file into a temp staging table, then swap.

One transaction: the staging COPYs (temp tables, no WAL, no indexes) run before the per-user
advisory lock is taken; then, under ``pg_advisory_xact_lock(<hash of the user>)``, the user's
rows are deleted and re-inserted from staging, ``dim_date`` is replaced only if it differs (under
its own lock: it is shared by every user), the totals are reconciled and the load is recorded.
Concurrent loads of one user queue on the lock, so they never interleave.

The COPY stream is PostgreSQL's binary format built column-wise by Arrow (warehouse_pgcopy):
no Python object per value, and PostgreSQL parses no text.
"""

from __future__ import annotations

from pathlib import Path

import psycopg
import pyarrow as pa
from psycopg import sql
from psycopg.copy import QueuedLibpqWriter

from etl import warehouse_pg, warehouse_pgcopy, warehouse_sql
from etl.curated_schemas import CURATED, PER_USER_TABLES
from etl.warehouse_load import (
    LATEST_SQL,
    RECORD_SQL,
    LoadJob,
    columns,
    hold_if_asked,
    reconcile,
    record,
    totals_sql,
)
from etl.warehouse_sql import WarehouseError


def _stage(cur: psycopg.Cursor, table: str, path: Path) -> None:
    stage = sql.Identifier(f"stage_{table}")
    cur.execute(
        sql.SQL("create temp table {} (like curated.{}) on commit drop").format(
            stage, sql.Identifier(table)
        )
    )
    copy = sql.SQL("copy {} ({}) from stdin (format binary)").format(stage, sql.SQL(columns(table)))
    try:
        # a writer thread sends while this one encodes the next batch (bounded queue)
        with cur.copy(copy, writer=QueuedLibpqWriter(cur)) as stream:
            for chunk in warehouse_pgcopy.parquet_chunks(path, CURATED[table]):
                stream.write(chunk)
    except (psycopg.Error, pa.ArrowInvalid) as exc:
        raise WarehouseError(f"could not COPY {path} into the warehouse: {exc}") from exc


def _replace(cur: psycopg.Cursor, table: str, user: str | None) -> None:
    name, cols = sql.Identifier(table), sql.SQL(columns(table))
    if user is None:
        cur.execute(sql.SQL("delete from curated.{}").format(name))
    else:
        cur.execute(sql.SQL("delete from curated.{} where user_id = %s").format(name), [user])
    cur.execute(
        sql.SQL("insert into curated.{} ({}) select {} from {}").format(
            name, cols, cols, sql.Identifier(f"stage_{table}")
        )
    )


def _replace_dim_date(cur: psycopg.Cursor) -> None:
    """The shared calendar: rewritten only when it differs, one writer at a time."""
    cur.execute(
        "select exists (select * from stage_dim_date except all select * from curated.dim_date)"
        " or exists (select * from curated.dim_date except all select * from stage_dim_date)"
    )
    if cur.fetchone()[0]:
        cur.execute("select pg_advisory_xact_lock(%s)", [warehouse_pg.advisory_key("dim_date")])
        _replace(cur, "dim_date", None)


def _totals(cur: psycopg.Cursor, user: str) -> dict[str, int]:
    cur.execute(warehouse_sql.to_psycopg(totals_sql()), {"user_id": user})
    return dict(zip([d.name for d in cur.description], cur.fetchone(), strict=True))


def load(url: str, job: LoadJob) -> bool:
    """Stage, lock, swap, reconcile, record, commit; False when the last load was this one."""
    params = {"user_id": job.user}
    with warehouse_pg.read_write(url) as conn, conn.cursor() as cur:
        for table, path in job.files.items():
            _stage(cur, table, path)
        cur.execute(
            "select pg_advisory_xact_lock(%s)", [warehouse_pg.advisory_key("load", job.user)]
        )
        cur.execute(warehouse_sql.to_psycopg(LATEST_SQL), params)
        latest = cur.fetchone()
        if job.skip(latest):
            return False
        for table in PER_USER_TABLES:
            _replace(cur, table, job.user)
        _replace_dim_date(cur)
        reconcile(job.expected, _totals(cur, job.user), job.where("postgres"))
        number = (latest[1] if latest else 0) + 1
        row = record(job.user, number, job.digest, "postgres", job.expected, job.started)
        cur.execute(warehouse_sql.to_psycopg(RECORD_SQL), row)
        hold_if_asked()
    analyze(url, job.grown(latest))
    return True


def analyze(url: str, tables: list[str]) -> None:
    """Fresh planner statistics for ``tables``, so the next dashboard query plans well.

    Only tables that grew or shrank noticeably: after a small change the old statistics still
    describe the data, and autovacuum refreshes them in its own time.
    """
    if not tables:
        return
    with warehouse_pg.read_write(url) as conn:
        for table in tables:
            conn.execute(sql.SQL("analyze curated.{}").format(sql.Identifier(table)))
