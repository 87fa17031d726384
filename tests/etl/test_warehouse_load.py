"""load_user: exact rows on both engines, idempotent reloads, replacement, all-or-nothing."""

from __future__ import annotations

import json

import pytest

from etl import checks, pipeline, warehouse
from etl.curated_schemas import CURATED
from etl.paths import Lake
from etl.warehouse import Warehouse, WarehouseError
from etl.warehouse_load import LoadJob
from tests.etl.test_warehouse_data import (
    expected_rows,
    warehouse_rows,
    wh_settings,  # noqa: F401 - fixture
    write_curated,
)


def _assert_user_rows(settings, user: str, tables: dict) -> None:
    for name, tbl in tables.items():
        scope = None if name == "dim_date" else user
        assert warehouse_rows(settings, name, scope) == expected_rows(tbl), name


def _loads(settings) -> list[tuple]:
    frame = Warehouse.from_settings(settings).query(
        "select user_id, load_number, content_hash, fact_rows, ms_played"
        " from spotify_lake_meta.loads order by user_id, load_number"
    )
    return list(frame.itertuples(index=False, name=None))


def test_load_puts_exactly_the_curated_rows_in(wh_settings):  # noqa: F811
    lake = Lake(wh_settings.lake_root)
    tables = write_curated(lake, "ann")
    result = warehouse.load_user(lake, "ann", wh_settings)
    assert result["status"] == "loaded"
    assert result["tables"] == {name: tbl.num_rows for name, tbl in tables.items()}
    _assert_user_rows(wh_settings, "ann", tables)
    ms = sum(tables["fact_streams"]["ms_played"].to_pylist())
    assert _loads(wh_settings) == [("ann", 1, result["content_hash"], 8, ms)]


def test_reloading_unchanged_files_changes_nothing(wh_settings):  # noqa: F811
    lake = Lake(wh_settings.lake_root)
    write_curated(lake, "ann")
    first = warehouse.load_user(lake, "ann", wh_settings)
    versions = _row_versions(wh_settings)
    again = warehouse.load_user(lake, "ann", wh_settings)
    assert again == {key: first[key] for key in ("user", "engine", "content_hash")} | {
        "status": "unchanged"
    }
    assert _row_versions(wh_settings) == versions
    assert [row[1] for row in _loads(wh_settings)] == [1]


def _row_versions(settings) -> list:
    """PostgreSQL: every fact row's xmin (a rewrite changes it); DuckDB: the rows themselves."""
    wh = Warehouse.from_settings(settings)
    if wh.kind == "postgres":
        sql = "select xmin::text as v from curated.fact_streams order by play_id, xmin::text"
        return wh.query(sql)["v"].tolist()
    return warehouse_rows(settings, "fact_streams", None)


def test_changed_files_replace_the_users_rows(wh_settings):  # noqa: F811
    lake = Lake(wh_settings.lake_root)
    write_curated(lake, "ann", rows=8)
    warehouse.load_user(lake, "ann", wh_settings)
    newer = write_curated(lake, "ann", rows=6, variant=1)
    result = warehouse.load_user(lake, "ann", wh_settings)
    assert result["status"] == "loaded" and result["tables"]["fact_streams"] == 6
    _assert_user_rows(wh_settings, "ann", newer)
    assert [row[:2] for row in _loads(wh_settings)] == [("ann", 1), ("ann", 2)]


def test_users_are_loaded_independently(wh_settings):  # noqa: F811
    lake = Lake(wh_settings.lake_root)
    ann = write_curated(lake, "ann", rows=8)
    bob = write_curated(lake, "bob", rows=5, variant=2)
    warehouse.load_user(lake, "ann", wh_settings)
    warehouse.load_user(lake, "bob", wh_settings)
    _assert_user_rows(wh_settings, "ann", ann)
    _assert_user_rows(wh_settings, "bob", bob)
    assert len(warehouse_rows(wh_settings, "fact_streams", None)) == 13


def test_forced_reload_rewrites_the_same_rows(wh_settings):  # noqa: F811
    lake = Lake(wh_settings.lake_root)
    tables = write_curated(lake, "ann")
    warehouse.load_user(lake, "ann", wh_settings)
    assert warehouse.load_user(lake, "ann", wh_settings, force=True)["status"] == "loaded"
    _assert_user_rows(wh_settings, "ann", tables)
    assert [row[1] for row in _loads(wh_settings)] == [1, 2]


def test_failed_reconciliation_rolls_the_whole_load_back(wh_settings, monkeypatch):  # noqa: F811
    lake = Lake(wh_settings.lake_root)
    old = write_curated(lake, "ann", rows=8)
    warehouse.load_user(lake, "ann", wh_settings)
    write_curated(lake, "ann", rows=6, variant=1)
    real = checks.curated_totals

    def off_by_one(lake_, user):
        totals = real(lake_, user)
        totals["sessions"] += 1
        return totals

    monkeypatch.setattr(checks, "curated_totals", off_by_one)
    with pytest.raises(checks.QualityCheckError, match="sessions: expected 7, found 6"):
        warehouse.load_user(lake, "ann", wh_settings)
    _assert_user_rows(wh_settings, "ann", old)
    assert [row[1] for row in _loads(wh_settings)] == [1]


def test_a_missing_curated_file_is_named(wh_settings):  # noqa: F811
    lake = Lake(wh_settings.lake_root)
    write_curated(lake, "ann")
    lake.curated_file("sessions", "ann").unlink()
    with pytest.raises(WarehouseError, match=r"sessions/user=ann/part-0.parquet is missing"):
        warehouse.load_user(lake, "ann", wh_settings)


def test_the_pipeline_step_loads_the_configured_warehouse(wh_settings):  # noqa: F811
    lake = Lake(wh_settings.lake_root)
    write_curated(lake, "ann")
    out = pipeline.load_user("ann", wh_settings)
    assert out["status"] == "loaded" and out["engine"] == Warehouse.from_settings(wh_settings).kind
    assert set(out["tables"]) == set(CURATED)


def test_statistics_are_refreshed_only_for_tables_that_changed_size():
    counts = {name: 1_000 for name in CURATED}
    job = LoadJob("ann", {}, "hash", {**counts, "fact_streams": 1_101, "sessions": 905}, False, 0)
    assert job.grown(None) == list(CURATED)
    previous = ("old-hash", 1, json.dumps(counts))
    assert job.grown(previous) == ["fact_streams"]
