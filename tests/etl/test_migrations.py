"""Migrations: the files in sql/, applied once each, on PostgreSQL and DuckDB alike."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pytest
from click.testing import CliRunner

from etl import migrations
from etl.curated_schemas import CURATED
from etl.warehouse import Warehouse
from etl.warehouse_cli import db
from etl.warehouse_sql import strip_comments
from tests.etl.test_warehouse_data import wh_settings  # noqa: F401 - fixture

REPO = Path(__file__).resolve().parents[2]
FILES = migrations.discover()
PG_ONLY = [m for m in FILES if m.engine == "postgres"]
PG_TYPES = {
    pa.string(): "text", pa.int64(): "bigint", pa.int32(): "integer",
    pa.float64(): "double precision", pa.bool_(): "boolean", pa.date32(): "date",
    pa.timestamp("us", tz="UTC"): "timestamp with time zone",
    pa.timestamp("us"): "timestamp without time zone",
}  # fmt: skip
DUCK_TYPES = {
    pa.string(): "VARCHAR", pa.int64(): "BIGINT", pa.int32(): "INTEGER",
    pa.float64(): "DOUBLE", pa.bool_(): "BOOLEAN", pa.date32(): "DATE",
    pa.timestamp("us", tz="UTC"): "TIMESTAMP WITH TIME ZONE", pa.timestamp("us"): "TIMESTAMP",
}  # fmt: skip


def test_sql_files_follow_the_house_rules():
    assert [m.version for m in FILES] == list(range(1, len(FILES) + 1))
    for m in FILES:
        text = m.path.read_text()
        assert len(m.statements) == 1, f"{m.path.name}: one object per file"
        code = strip_comments(m.statements[0])
        assert code == code.lower(), f"{m.path.name}: lowercase keywords"
        if not code.startswith("create schema"):
            assert "-- Grain:" in text, f"{m.path.name}: states its grain"
    tables = [m for m in FILES if "create table if not exists curated." in m.statements[0]]
    created = [m.statements[0].split("curated.")[1].split()[0] for m in tables]
    assert sorted(created) == sorted(CURATED), "one table file per curated table"
    assert PG_ONLY and all(" index " in m.statements[0] for m in PG_ONLY)
    indexed = {m.statements[0].split(" on curated.")[1].split()[0] for m in PG_ONLY}
    assert indexed == set(CURATED), "every curated table has an index"


def test_checksum_ignores_comments_but_not_statements(tmp_path):
    sql_dir = tmp_path / "sql"
    sql_dir.mkdir()
    (sql_dir / "0001_a.sql").write_text("-- grain: x\ncreate table t (a int);\n")
    before = migrations.discover(sql_dir)[0].checksum
    (sql_dir / "0001_a.sql").write_text("-- Grain: fixed wording\ncreate table t  (a int);")
    assert migrations.discover(sql_dir)[0].checksum == before
    (sql_dir / "0001_a.sql").write_text("create table t (a bigint);")
    assert migrations.discover(sql_dir)[0].checksum != before


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("1_short.sql", "select 1", "NNNN_lowercase_name"),
        ("0001_Upper.sql", "select 1", "NNNN_lowercase_name"),
        ("0002_b.sql", "-- engine: oracle\nselect 1", "must name postgres or duckdb"),
    ],
)
def test_malformed_files_are_refused(tmp_path, name, text, message):
    (tmp_path / name).write_text(text)
    with pytest.raises(migrations.MigrationError, match=message):
        migrations.discover(tmp_path)


def test_duplicate_versions_are_refused(tmp_path):
    (tmp_path / "0001_a.sql").write_text("select 1")
    (tmp_path / "0001_b.sql").write_text("select 2")
    with pytest.raises(migrations.MigrationError, match="share version 1"):
        migrations.discover(tmp_path)


def _meta(wh: Warehouse):
    return wh.query(
        "select version, outcome from spotify_lake_meta.schema_migrations order by version"
    )


def test_upgrade_applies_each_file_once(wh_settings):  # noqa: F811
    wh = Warehouse.from_settings(wh_settings, migrate=False)
    first = wh.upgrade()
    assert [m["version"] for m in first] == [m.version for m in FILES]
    assert wh.upgrade() == []
    migrations.forget()
    Warehouse.from_settings(wh_settings)  # the startup check finds nothing to do
    meta = _meta(wh)
    assert meta["version"].tolist() == [m.version for m in FILES]
    skipped = meta[meta["outcome"] != "applied"]
    if wh.kind == "duckdb":
        assert skipped["version"].tolist() == [m.version for m in PG_ONLY]
        assert set(skipped["outcome"]) == {"skipped (postgres only)"}
    else:
        assert skipped.empty
        indexes = wh.query("select count(*) as n from pg_indexes where schemaname = 'curated'")
        assert int(indexes["n"].iloc[0]) == len(PG_ONLY)


def test_tables_match_the_pinned_curated_schemas(wh_settings):  # noqa: F811
    wh = Warehouse.from_settings(wh_settings)
    cols = wh.query(
        "select table_name, column_name, data_type from information_schema.columns"
        " where table_schema = 'curated' order by table_name, ordinal_position"
    )
    types = PG_TYPES if wh.kind == "postgres" else DUCK_TYPES
    found = {
        table: [(r.column_name, r.data_type) for r in group.itertuples()]
        for table, group in cols.groupby("table_name", sort=True)
    }
    expected = {
        table: [(f.name, types[f.type]) for f in schema] for table, schema in CURATED.items()
    }
    assert found == expected


def test_a_changed_applied_file_is_refused(settings, tmp_path):
    sql_dir = tmp_path / "sql"
    shutil.copytree(migrations.SQL_DIR, sql_dir)
    wh = Warehouse.from_settings(settings, migrate=False)
    migrations.upgrade(wh, sql_dir)
    fact = next(sql_dir.glob("0002_*.sql"))
    fact.write_text(fact.read_text().replace("sources          text", "sources text, extra text"))
    with pytest.raises(migrations.MigrationError, match="0002_fact_streams.sql changed after"):
        migrations.upgrade(wh, sql_dir)
    state = {r["version"]: r["state"] for r in migrations.status(wh, sql_dir)}
    assert state[2] == "changed since applied" and state[3] == "applied"


def test_db_cli_upgrade_and_status(settings):
    env = {"SPOTIFY_LAKE_ROOT": str(settings.lake_root)}
    runner = CliRunner()
    pending = runner.invoke(db, ["status"], env=env)
    assert pending.exit_code == 1 and "0002 fact_streams: pending" in pending.output
    up = runner.invoke(db, ["upgrade"], env=env)
    assert up.exit_code == 0, up.output
    assert f"{len(FILES)} migration(s) run" in up.output
    assert "0024 fact_streams_user_date_idx: skipped (postgres only)" in up.output
    again = runner.invoke(db, ["upgrade"], env=env)
    assert again.exit_code == 0 and "up to date" in again.output
    done = runner.invoke(db, ["status"], env=env)
    assert done.exit_code == 0 and "0002 fact_streams: applied" in done.output


@pytest.mark.postgres
def test_concurrent_upgrades_apply_each_file_once(pg_url, tmp_path):
    env = {**os.environ, "DATABASE_URL": pg_url, "SPOTIFY_LAKE_ROOT": str(tmp_path)}
    cmd = [sys.executable, "-c", "from etl.cli import main; main()", "db", "upgrade"]
    procs = [
        subprocess.Popen(cmd, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(2)
    ]
    outs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    wh = Warehouse("postgres", url=pg_url)
    meta = _meta(wh)
    assert meta["version"].tolist() == [m.version for m in FILES]
