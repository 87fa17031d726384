"""Versioned warehouse migrations: ``sql/NNNN_name.sql`` applied in order, each exactly once.

Every file runs in its own transaction together with its row in
``spotify_lake_meta.schema_migrations`` (version, name, checksum), so a crash leaves it either
applied and recorded or neither. The checksum covers the statements without comments, so
fixing a comment is not a change; changing an applied file is refused (add a new file).
A file whose header says ``-- engine: postgres`` is recorded but not run on DuckDB.
Concurrent upgrades serialise: an advisory lock on PostgreSQL, the writer lock on DuckDB.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from etl import warehouse_sql
from etl.warehouse_sql import WarehouseError

if TYPE_CHECKING:
    from etl.warehouse import Warehouse

SQL_DIR = Path(__file__).resolve().parents[1] / "sql"
META = "spotify_lake_meta"
_FILE = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")
_ENGINE = re.compile(r"^--\s*engine:\s*(\w+)\b", re.MULTILINE)
# The bookkeeping itself cannot be a migration: it must exist before the first one is recorded.
BOOTSTRAP = (
    f"create schema if not exists {META}",
    f"""create table if not exists {META}.schema_migrations (
        version    integer primary key,
        name       text not null,
        checksum   text not null,
        outcome    text not null,
        applied_at timestamptz not null
    )""",
)
_done: set[tuple[str, str]] = set()
_done_lock = threading.Lock()


class MigrationError(WarehouseError):
    """A migration file is malformed, or was changed after it had been applied."""


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    path: Path
    statements: tuple[str, ...]
    engine: str | None  # None: every engine; else the only engine that runs it

    @property
    def checksum(self) -> str:
        text = "\n".join(" ".join(warehouse_sql.strip_comments(s).split()) for s in self.statements)
        return hashlib.sha256(text.encode()).hexdigest()

    def runs_on(self, kind: str) -> bool:
        return self.engine in (None, kind)


def discover(sql_dir: Path = SQL_DIR) -> list[Migration]:
    """Every migration file of ``sql_dir`` in version order."""
    if not sql_dir.is_dir():
        raise MigrationError(f"the warehouse DDL folder {sql_dir} is missing (it ships with etl/)")
    found: dict[int, Migration] = {}
    for path in sorted(sql_dir.glob("*.sql")):
        match = _FILE.match(path.name)
        if not match:
            raise MigrationError(f"{path}: name it NNNN_lowercase_name.sql (e.g. 0042_x.sql)")
        text = path.read_text(encoding="utf-8")
        engine = _ENGINE.search(text)
        version = int(match.group(1))
        if engine and engine.group(1) not in ("postgres", "duckdb"):
            raise MigrationError(f"{path}: '-- engine:' must name postgres or duckdb")
        if version in found:
            raise MigrationError(f"{path} and {found[version].path} share version {version}")
        found[version] = Migration(
            version, match.group(2), path, tuple(warehouse_sql.statements(text)),
            engine.group(1) if engine else None,
        )  # fmt: skip
    return [found[v] for v in sorted(found)]


def applied(wh: Warehouse) -> dict[int, dict]:
    """The bookkeeping rows by version (empty when nothing was ever applied)."""
    if not wh.exists():
        return {}
    exists = wh.query(
        "select count(*) as n from information_schema.tables"
        " where table_schema = :schema and table_name = 'schema_migrations'",
        {"schema": META},
    )
    if int(exists["n"].iloc[0]) == 0:
        return {}
    rows = wh.query(f"select version, name, checksum, outcome from {META}.schema_migrations")
    return {int(r.version): r._asdict() for r in rows.itertuples(index=False)}


def _changed(files: list[Migration], done: dict[int, dict]) -> None:
    for m in files:
        row = done.get(m.version)
        if row and row["checksum"] != m.checksum:
            raise MigrationError(
                f"{m.path} changed after it was applied to this warehouse (checksum "
                f"{row['checksum'][:12]} → {m.checksum[:12]}): restore it and put the change "
                "in a new numbered file; a throwaway warehouse can instead be dropped and "
                "rebuilt with `spotify-lake rebuild`"
            )


def status(wh: Warehouse, sql_dir: Path = SQL_DIR) -> list[dict]:
    """One row per migration file (and per applied version without a file)."""
    files, done = discover(sql_dir), applied(wh)
    rows = []
    for m in files:
        row = done.get(m.version)
        state = "pending" if not row else row["outcome"]
        if row and row["checksum"] != m.checksum:
            state = "changed since applied"
        rows.append({"version": m.version, "name": m.name, "state": state, "engine": m.engine})
    for version in sorted(set(done) - {m.version for m in files}):
        rows.append({"version": version, "name": done[version]["name"],
                     "state": "applied, file missing", "engine": None})  # fmt: skip
    return rows


def upgrade(wh: Warehouse, sql_dir: Path = SQL_DIR) -> list[dict]:
    """Apply every pending migration; returns ``[{"version", "name", "outcome"}]`` applied now."""
    files = discover(sql_dir)
    if wh.kind == "postgres":
        ran = _upgrade_postgres(wh.url, files)
    else:
        ran = _upgrade_duckdb(wh.path, files)
    with _done_lock:
        _done.add((wh.kind, wh.target))
    return ran


def ensure(wh: Warehouse) -> None:
    """Bring ``wh`` up to date once per process (cheap read-only check first)."""
    with _done_lock:
        if (wh.kind, wh.target) in _done:
            return
    files = discover()
    done = applied(wh)
    _changed(files, done)
    if any(m.version not in done for m in files):
        try:
            upgrade(wh)
        except WarehouseError:
            raise
        except Exception as exc:  # the driver's own error, e.g. no right to create a schema
            raise MigrationError(
                f"could not bring the warehouse {wh.target} up to date ({exc}); run "
                "`spotify-lake db upgrade` as a database user that may create schemas and tables"
            ) from exc
    with _done_lock:
        _done.add((wh.kind, wh.target))


def forget() -> None:
    """Make the next ``ensure`` check the warehouse again (after dropping schemas, in tests)."""
    with _done_lock:
        _done.clear()


def _record(m: Migration, kind: str) -> tuple:
    outcome = "applied" if m.runs_on(kind) else f"skipped ({m.engine} only)"
    # wall-clock time is fine here: bookkeeping, never part of a derived table
    return m.version, m.name, m.checksum, outcome, dt.datetime.now(dt.UTC).replace(microsecond=0)


_INSERT = f"insert into {META}.schema_migrations values ({{0}}, {{0}}, {{0}}, {{0}}, {{0}})"


def _upgrade_postgres(url: str, files: list[Migration]) -> list[dict]:
    """Each pending file in its own transaction under one advisory lock key."""
    from etl import warehouse_pg as pg

    key, ran = pg.advisory_key("migrations"), []
    with pg.read_write(url) as conn:
        conn.execute("select pg_advisory_xact_lock(%s)", [key])
        for stmt in BOOTSTRAP:
            conn.execute(stmt)
    for m in files:
        with pg.read_write(url) as conn:
            conn.execute("select pg_advisory_xact_lock(%s)", [key])
            row = conn.execute(
                f"select version, checksum from {META}.schema_migrations where version = %s",
                [m.version],
            ).fetchone()
            if row:  # another process may have applied it while we waited for the lock
                _changed([m], {row[0]: {"checksum": row[1]}})
                continue
            for stmt in m.statements if m.runs_on("postgres") else ():
                conn.execute(stmt)
            record = _record(m, "postgres")
            conn.execute(_INSERT.format("%s"), record)
            ran.append({"version": m.version, "name": m.name, "outcome": record[3]})
    return ran


def _upgrade_duckdb(path: Path, files: list[Migration]) -> list[dict]:
    """Each pending file in its own transaction, all under the writer lock."""
    from etl import warehouse_duckdb as wd

    ran = []
    with wd.writer(path) as con:
        with wd.transaction(con):
            for stmt in BOOTSTRAP:
                con.execute(stmt)
        rows = con.execute(f"select version, checksum from {META}.schema_migrations").fetchall()
        done = {v: {"checksum": c} for v, c in rows}
        _changed(files, done)
        for m in files:
            if m.version in done:
                continue
            with wd.transaction(con):
                for stmt in m.statements if m.runs_on("duckdb") else ():
                    con.execute(stmt)
                record = _record(m, "duckdb")
                con.execute(_INSERT.format("?"), list(record))
            ran.append({"version": m.version, "name": m.name, "outcome": record[3]})
        con.execute("checkpoint")
    return ran
