"""Each GoodData metric's SQL equivalent is its KPI in etl/kpis.py (the one definition); run on a
small fixture in PostgreSQL it returns exactly the value worked out by hand below."""

from __future__ import annotations

import re
from datetime import date

import psycopg
import pytest
from sqlalchemy import create_engine, text

from etl.gooddata.layout import load_analytics, load_model
from etl.gooddata.references import maql_references
from etl.kpis import KPIS

# play_id, user, content, track, artist, local_date, ms_played, is_stream, is_skipped
PLAYS = [
    ("p1", "me", "music", "t1", "a1", date(2024, 3, 1), 180_000, True, False),
    ("p2", "me", "music", "t2", "a1", date(2024, 3, 1), 20_000, False, True),
    ("p3", "me", "music", "t3", "a2", date(2024, 3, 2), 240_000, True, False),
    ("p4", "me", "podcast", None, None, date(2024, 3, 5), 600_000, True, False),
    ("p5", "me", "music", "t1", "a1", date(2024, 3, 5), 60_000, True, True),
    ("p8", "me", "music", "t5", None, date(2024, 3, 31), 30_000, True, False),
    ("p6", "me", "music", "t4", "a3", date(2024, 2, 29), 300_000, True, False),  # before
    ("p7", "you", "music", "t1", "a1", date(2024, 3, 1), 100_000, True, False),  # other user
]
# user, subject_type, subject_id, first_local_date, play_id
FIRST_LISTENS = [
    ("me", "artist", "a3", date(2024, 2, 29), "p6"),
    ("me", "artist", "a1", date(2024, 3, 1), "p1"),
    ("me", "artist", "a2", date(2024, 3, 2), "p3"),
    ("me", "track", "t1", date(2024, 3, 1), "p1"),
    ("me", "track", "t3", date(2024, 3, 2), "p3"),
    ("you", "artist", "a1", date(2024, 3, 1), "p7"),
]
# album of each play (null for the podcast episode)
ALBUMS = {"p1": "al1", "p2": "al1", "p3": "al2", "p4": None, "p5": "al1", "p8": "al3",
          "p6": "al4", "p7": "al1"}
MARCH = {"user_id": "me", "start_date": date(2024, 3, 1), "end_date": date(2024, 3, 31)}

# Worked out by hand from the rows above (me, March 2024).
EXPECTED = {
    "all": {
        "minutes_listened": 1_130_000 / 60_000, "streams": 5, "plays": 6, "distinct_tracks": 3,
        "distinct_artists": 2, "distinct_albums": 3, "skip_rate": 2 / 6,
        "avg_minutes_per_active_day": 1_130_000 / 60_000 / 4,
        "top_artist_share": 260_000 / 500_000, "new_artists": 2,
    },
    "music": {
        "minutes_listened": 530_000 / 60_000, "streams": 4, "plays": 5, "distinct_tracks": 3,
        "distinct_artists": 2, "distinct_albums": 3, "skip_rate": 2 / 5,
        "avg_minutes_per_active_day": 530_000 / 60_000 / 4,
        "top_artist_share": 260_000 / 500_000, "new_artists": 2,
    },
    "podcast": {
        "minutes_listened": 10, "streams": 1, "plays": 1, "distinct_tracks": 0,
        "distinct_artists": 0, "distinct_albums": 0, "skip_rate": 0,
        "avg_minutes_per_active_day": 10,
        "top_artist_share": 0, "new_artists": 0,
    },
}
COUNTS = {"streams", "plays", "distinct_tracks", "distinct_artists", "distinct_albums",
          "new_artists"}


@pytest.fixture
def kpi_warehouse(warehouse: str) -> str:
    with psycopg.connect(warehouse, autocommit=True) as conn, conn.cursor() as cur:
        cur.executemany(
            "insert into curated.fact_streams (play_id, user_id, content_type, track_id,"
            " artist_id, local_date, ms_played, is_stream, is_skipped, album_id)"
            " values (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            [(*row, ALBUMS[row[0]]) for row in PLAYS])
        cur.executemany(
            "insert into curated.first_listens (user_id, subject_type, subject_id,"
            " first_local_date, play_id) values (%s, %s, %s, %s, %s)", FIRST_LISTENS)
    return warehouse


def _values(url: str, params: dict) -> dict:
    """Every KPI's SQL from etl/kpis.py, run with ``params`` (``:name`` style) via SQLAlchemy."""
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.connect() as conn:
            return {k: conn.execute(text(kpi.sql), params).scalar_one() for k, kpi in KPIS.items()}
    finally:
        engine.dispose()


def test_every_kpi_has_an_expected_value_and_a_metric() -> None:
    metrics = {m.id for m in load_analytics().analytics.metrics}
    for values in EXPECTED.values():
        assert set(values) == set(KPIS) <= metrics


@pytest.mark.postgres
@pytest.mark.parametrize("content", sorted(EXPECTED))
def test_metric_sql_equivalent_on_fixture(kpi_warehouse: str, content: str) -> None:
    values = _values(kpi_warehouse, {**MARCH, "content": content})
    assert {k: v for k, v in values.items() if k in COUNTS} == {
        k: v for k, v in EXPECTED[content].items() if k in COUNTS}
    assert all(type(values[k]) is int for k in COUNTS)
    assert {k: float(v) for k, v in values.items()} == pytest.approx(
        EXPECTED[content], rel=1e-12, abs=1e-12)


@pytest.mark.postgres
def test_metric_sql_equivalent_on_an_empty_period(kpi_warehouse: str) -> None:
    params = {"user_id": "me", "start_date": date(2030, 1, 1), "end_date": date(2030, 12, 31),
              "content": "all"}
    values = _values(kpi_warehouse, params)
    assert {k: float(v) for k, v in values.items()} == dict.fromkeys(KPIS, 0.0)


def _maql_columns(metric_id: str, metrics: dict, columns: dict) -> set[str]:
    found: set[str] = set()
    for kind, ref in maql_references(metrics[metric_id]):
        found |= (_maql_columns(ref, metrics, columns) if kind == "metric"
                  else {columns[(kind, ref)]})
    return found


def _ldm_columns() -> dict[tuple[str, str], str]:
    columns = {}
    for ds in load_model().ldm.datasets:
        for at in ds.attributes:
            columns[("attribute", at.id)] = columns[("label", at.id)] = at.source_column
            columns.update({("label", lb.id): lb.source_column for lb in at.labels})
        columns.update({("fact", f.id): f.source_column for f in ds.facts})
        for ref in ds.references:
            if ref.identifier.id == "local_date":  # date attributes read the referencing column
                for suffix in ("day", "week", "month", "quarter", "year", "dayOfWeek"):
                    columns[("attribute", f"local_date.{suffix}")] = ref.sources[0].column
    return columns


@pytest.mark.parametrize("kpi_id", sorted(KPIS))
def test_metric_and_kpi_sql_read_the_same_columns(kpi_id: str) -> None:
    """MAQL may only read columns its KPI SQL reads, apart from the row keys MAQL counts where
    the SQL says count(*) (play_id, subject_id)."""
    metrics = {m.id: m.content["maql"] for m in load_analytics().analytics.metrics}
    maql = _maql_columns(kpi_id, metrics, _ldm_columns())
    sql = set(re.findall(r"\b(?:f|fl)\.([a-z_]+)", KPIS[kpi_id].sql))
    assert maql and maql - {"play_id", "subject_id"} <= sql, (maql, sql)
