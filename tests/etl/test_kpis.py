"""Each KPI's fast path (daily aggregates) equals its definition (the plays), on real data, on
PostgreSQL and DuckDB, for several periods and content filters."""

from __future__ import annotations

from datetime import date

import pytest

from etl import config, pipeline
from etl.kpis import KPIS, LIFETIME_CONTENTS, LIFETIME_SQL
from etl.warehouse import Warehouse

PERIODS = [
    (date(2000, 1, 1), date(2030, 12, 31)),  # all time
    (date(2024, 3, 1), date(2024, 3, 31)),
    (date(2024, 7, 15), date(2024, 7, 15)),  # one day
    (date(2030, 1, 1), date(2030, 12, 31)),  # nothing
]
CONTENTS = ["all", "music", "podcast", "audiobook"]


def _value(wh: Warehouse, sql: str, params: dict) -> float:
    return float(wh.query(sql, params)["value"][0])


@pytest.fixture(scope="module", params=["duckdb", "postgres"])
def loaded(request, real_exports, tmp_path_factory, pg_server_url):
    env = {"SPOTIFY_LAKE_ROOT": str(tmp_path_factory.mktemp("lake"))}
    if request.param == "postgres":
        env["DATABASE_URL"] = pg_server_url
    settings = config.load(env)
    for person in ("acct-05", "ext-03"):
        assert pipeline.ingest_export(real_exports / person, "me", settings)["status"] == (
            "ingested"
        )
    pipeline.publish_user("me", settings)
    return Warehouse.from_settings(settings)


@pytest.mark.parametrize("kpi_id", sorted(KPIS))
def test_fast_sql_equals_the_definition(loaded, kpi_id):
    kpi = KPIS[kpi_id]
    checked = 0
    for start, end in PERIODS:
        for content in CONTENTS:
            params = {"user_id": "me", "start_date": start, "end_date": end, "content": content}
            definition = _value(loaded, kpi.sql, params)
            assert _value(loaded, kpi.fast_sql, params) == pytest.approx(
                definition, rel=1e-9, abs=1e-9
            ), (start, end, content)
            checked += definition != 0
    assert checked >= 4  # the comparison ran on real, non-empty numbers


@pytest.mark.parametrize("kpi_id", sorted(LIFETIME_SQL))
def test_lifetime_sql_equals_the_definition_over_all_time(loaded, kpi_id):
    start, end = PERIODS[0]  # covers every play
    for content in LIFETIME_CONTENTS:
        params = {"user_id": "me", "start_date": start, "end_date": end, "content": content}
        definition = _value(loaded, KPIS[kpi_id].sql, params)
        assert definition > 0
        lifetime = _value(loaded, LIFETIME_SQL[kpi_id], {"user_id": "me"})
        assert lifetime == pytest.approx(definition, rel=1e-9, abs=1e-9), content
