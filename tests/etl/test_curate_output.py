"""What curate writes: every pinned table, identical bytes on a rerun, all-or-nothing."""

from __future__ import annotations

import datetime as dt

import pyarrow.parquet as pq
import pytest

from etl import curate
from etl.curated_schemas import CURATED
from etl.model import anomalies
from tests.etl.fixtures_clean import DST_ZONES, dst_weekend, write_lake


def _bytes(lake) -> dict[str, bytes]:
    return {t: lake.curated_file(t, "alice").read_bytes() for t in CURATED}


def test_every_table_is_written_with_its_pinned_schema_and_zstd(lake, settings):
    write_lake(lake, "alice", dst_weekend())
    counts = curate.curate_user(lake, "alice", settings.with_(**DST_ZONES))
    assert list(counts) == list(CURATED)
    for table, schema in CURATED.items():
        path = lake.curated_file(table, "alice")
        assert pq.read_schema(path).remove_metadata() == schema, table
        meta = pq.read_metadata(path)
        assert meta.num_rows == counts[table]
        if meta.num_rows:
            assert meta.row_group(0).column(0).compression == "ZSTD"
    assert [p.name for p in lake.tmp.iterdir()] == ["locks"]  # no temp file left behind


def test_a_rerun_writes_identical_bytes(lake, settings):
    write_lake(lake, "alice", dst_weekend())
    zoned = settings.with_(**DST_ZONES)
    curate.curate_user(lake, "alice", zoned)
    first = _bytes(lake)
    curate.curate_user(lake, "alice", zoned)
    assert _bytes(lake) == first


def test_a_failed_build_leaves_the_previous_files(lake, settings, monkeypatch):
    write_lake(lake, "alice", dst_weekend())
    curate.curate_user(lake, "alice", settings)
    before = _bytes(lake)
    write_lake(lake, "alice", dst_weekend()[:3])

    def boom(*args):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(anomalies, "build_anomalies", boom)
    with pytest.raises(RuntimeError, match="disk on fire"):
        curate.curate_user(lake, "alice", settings)
    assert _bytes(lake) == before
    assert [p.name for p in lake.tmp.iterdir()] == ["locks"]


def test_a_user_without_clean_files_gets_empty_tables_and_the_calendar(lake, settings):
    counts = curate.curate_user(lake, "bob", settings)
    assert counts == {t: 12054 if t == "dim_date" else 0 for t in CURATED}
    calendar = pq.read_table(lake.curated_file("dim_date", "bob")).to_pylist()
    assert calendar[0] == {
        "local_date": dt.date(2008, 1, 1), "year": 2008, "quarter": 1, "month": 1,
        "month_name": "January", "year_month": "2008-01", "iso_year": 2008, "iso_week": 1,
        "week_start": dt.date(2007, 12, 31), "day_of_month": 1, "day_of_year": 1, "weekday": 1,
        "weekday_name": "Tuesday", "is_weekend": False,
    }  # fmt: skip
    assert calendar[-1]["local_date"] == dt.date(2040, 12, 31)
    last = calendar[-1]  # a Monday in ISO week 1 of 2041
    assert (last["weekday"], last["iso_year"], last["iso_week"]) == (0, 2041, 1)


def test_a_bad_user_id_is_refused(lake, settings):
    with pytest.raises(ValueError, match="invalid user id"):
        curate.curate_user(lake, "../etc", settings)
