"""The same SQL gives the same answers on PostgreSQL and DuckDB: the KPIs and the frame shapes."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from etl import migrations, warehouse
from etl.kpis import KPIS
from etl.paths import Lake
from etl.warehouse import Warehouse
from tests.etl.test_warehouse_data import write_curated

pytestmark = pytest.mark.postgres

START, END = dt.date(2024, 3, 25), dt.date(2024, 3, 31)
PERIODS = [
    {"start_date": START, "end_date": END, "content": "all"},
    {"start_date": dt.date(2024, 3, 26), "end_date": dt.date(2024, 3, 29), "content": "music"},
    {"start_date": START, "end_date": END, "content": "podcast"},
    {"start_date": dt.date(2020, 1, 1), "end_date": dt.date(2020, 1, 31), "content": "all"},
]


@pytest.fixture
def both(settings, pg_url):
    """The same two users' curated files loaded into DuckDB and into PostgreSQL."""
    migrations.forget()
    lake = Lake(settings.lake_root)
    tables = write_curated(lake, "ann", rows=12)
    write_curated(lake, "bob", rows=5, variant=3)
    engines = {}
    for kind, s in (("duckdb", settings), ("postgres", settings.with_(database_url=pg_url))):
        for user in ("ann", "bob"):
            warehouse.load_user(lake, user, s)
        engines[kind] = Warehouse.from_settings(s)
    return engines, tables["fact_streams"].to_pylist()


def _expected(fact: list[dict], period: dict) -> dict[str, float]:
    """Plays and minutes straight from the fixture rows (independent of either engine)."""
    rows = [
        r for r in fact
        if period["start_date"] <= r["local_date"] <= period["end_date"]
        and period["content"] in ("all", r["content_type"])
    ]  # fmt: skip
    return {"plays": len(rows), "minutes_listened": sum(r["ms_played"] for r in rows) / 60000}


@pytest.mark.parametrize("period", PERIODS, ids=["all", "music-4-days", "podcast", "empty"])
def test_every_kpi_is_equal_on_both_engines(both, period):
    engines, fact = both
    params = {"user_id": "ann", **period}
    values = {
        kind: {kpi: float(wh.query(k.sql, params)["value"].iloc[0]) for kpi, k in KPIS.items()}
        for kind, wh in engines.items()
    }
    assert values["postgres"] == pytest.approx(values["duckdb"], rel=1e-12, abs=1e-12)
    for kpi, want in _expected(fact, period).items():
        assert values["duckdb"][kpi] == pytest.approx(want, rel=1e-12), kpi
    if period["content"] == "all" and period["start_date"] == START:
        assert all(values["duckdb"][k] > 0 for k in ("streams", "distinct_tracks", "skip_rate"))


SHAPES = """
    select content_type, count(*) as plays, sum(ms_played) as ms, avg(minutes_played) as avg_min,
           min(local_date) as first_day, max(ended_at) as last_end,
           max(ended_at_local) as last_local, bool_or(is_stream) as any_stream,
           max(local_hour) as max_hour, max(track_id) as some_track
    from curated.fact_streams where user_id = :user_id
    group by content_type order by content_type
"""


@pytest.mark.parametrize(
    "sql",
    [SHAPES, "select * from curated.fact_streams where user_id = :user_id order by ms_played",
     "select * from curated.dim_date order by local_date",
     "select * from curated.fact_streams where user_id = :user_id and false"],
    ids=["aggregates", "fact-rows-with-nulls", "dim-date", "no-rows"],
)  # fmt: skip
def test_frames_have_the_same_values_and_dtypes_on_both_engines(both, sql):
    engines, _ = both
    duck = engines["duckdb"].query(sql, {"user_id": "ann"})
    pg = engines["postgres"].query(sql, {"user_id": "ann"})
    pd.testing.assert_frame_equal(pg, duck, check_exact=False, rtol=1e-12)
    if "group by" in sql:
        assert duck["last_end"].dtype == "datetime64[us, UTC]"
        assert duck["first_day"].dtype == "datetime64[us]"
        assert duck["ms"].dtype == "float64" and duck["plays"].dtype == "int64"
