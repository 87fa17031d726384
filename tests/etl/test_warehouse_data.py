"""Tiny curated lakes for the warehouse tests, and exact read-back from both engines.

Values are built from the pinned schemas, so a column the model gains is covered without edits,
and they include what breaks naive loaders: quotes, commas, newlines, backslashes, ``%``,
``:name`` look-alikes, empty strings next to NULLs, unicode, int64 extremes, microseconds.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import psycopg
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from etl import migrations
from etl.curated_schemas import CURATED
from etl.paths import Lake

UTC = dt.UTC
TRICKY = [
    "O'Brien", 'say "hi"', "comma, here", "line\nbreak", "", "ünïcødé 🎵", "back\\slash",
    "100% :user_id %(x)s", "tab\there", "'; drop table curated.fact_streams; --",
]  # fmt: skip
CONTENT = ["music", "podcast", "music", "audiobook", "music"]
NULL_ROW = 3


ENGINES = ["duckdb", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(params=ENGINES)
def wh_settings(request, settings):
    """Settings for an empty warehouse of each kind (import this fixture into a test module)."""
    migrations.forget()
    if request.param == "postgres":
        return settings.with_(database_url=request.getfixturevalue("pg_url"))
    return settings


def warehouse_rows(settings, name: str, user: str | None) -> list[tuple]:
    """Exact rows of ``curated.<name>`` (one user's, or all for ``None``) on either engine."""
    if settings.database_url:
        return pg_rows(settings.database_url, name, user)
    return duck_rows(Lake(settings.lake_root).warehouse_duckdb, name, user)


def _value(name: str, typ: pa.DataType, i: int, user: str, variant: int):
    """Row ``i`` of column ``name``: special columns realistic, the rest generic but tricky."""
    special = {
        "user_id": user,
        "content_type": CONTENT[i % len(CONTENT)],
        "local_date": dt.date(2024, 3, 25) + dt.timedelta(days=i % 7),
        "ms_played": 20_000 + 7_919 * i + variant,
        "is_stream": (20_000 + 7_919 * i) >= 30_000,
        "is_skipped": i % 3 == 0,
        "subject_type": ("artist", "track")[i % 2],
    }
    if name in special:
        return special[name]
    if i == NULL_ROW:
        return None
    if pa.types.is_string(typ):
        return TRICKY[(i + len(name)) % len(TRICKY)] if i % 2 else f"{name}-{i}-{variant}"
    if pa.types.is_integer(typ):
        if pa.types.is_int64(typ) and i == 5:
            return 2**62 + variant
        return -1_000 * i + variant if i % 4 == 2 else 37 * i + variant
    if pa.types.is_floating(typ):
        return i / 3 + variant
    if pa.types.is_boolean(typ):
        return i % 2 == 0
    if pa.types.is_date(typ):
        return dt.date(2024, 3, 25) + dt.timedelta(days=i)
    base = dt.datetime(2024, 3, 30, 23, 59, 59, 123_456) + dt.timedelta(hours=5 * i)
    return base.replace(tzinfo=UTC) if typ.tz else base


def dim_date(days: int = 10) -> pa.Table:
    rows = []
    for k in range(days):
        d = dt.date(2024, 3, 25) + dt.timedelta(days=k)
        iso = d.isocalendar()
        rows.append({
            "local_date": d, "year": d.year, "quarter": (d.month - 1) // 3 + 1, "month": d.month,
            "month_name": d.strftime("%B"), "year_month": d.strftime("%Y-%m"),
            "iso_year": iso.year, "iso_week": iso.week,
            "week_start": d - dt.timedelta(days=d.weekday()), "day_of_month": d.day,
            "day_of_year": d.timetuple().tm_yday, "weekday": d.isoweekday(),
            "weekday_name": d.strftime("%A"), "is_weekend": d.weekday() >= 5,
        })  # fmt: skip
    return pa.Table.from_pylist(rows, schema=CURATED["dim_date"])


def table(name: str, user: str, rows: int = 8, variant: int = 0) -> pa.Table:
    if name == "dim_date":
        return dim_date()
    schema = CURATED[name]
    data = [{f.name: _value(f.name, f.type, i, user, variant) for f in schema} for i in range(rows)]
    return pa.Table.from_pylist(data, schema=schema)


def write_curated(lake: Lake, user: str, rows: int = 8, variant: int = 0) -> dict[str, pa.Table]:
    """Write every curated table of ``user`` (cast to the pinned schemas); returns them."""
    tables = {}
    for name in CURATED:
        tables[name] = table(name, user, rows, variant)
        path = lake.curated_file(name, user)
        path.parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(tables[name], path, compression="zstd")
    return tables


def _canonical(value):
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(UTC)
    return value


def canonical(rows: list[tuple]) -> list[tuple]:
    return sorted((tuple(_canonical(v) for v in row) for row in rows), key=repr)


def expected_rows(tbl: pa.Table) -> list[tuple]:
    return canonical([tuple(r.values()) for r in tbl.to_pylist()])


def _select(name: str, user: str | None) -> tuple[str, list]:
    cols = ", ".join(f'"{c}"' for c in CURATED[name].names)
    if user is None:
        return f'select {cols} from curated."{name}"', []
    return f'select {cols} from curated."{name}" where user_id = ?', [user]


def pg_rows(url: str, name: str, user: str | None) -> list[tuple]:
    """Exact rows via psycopg (Python values, timestamptz in UTC)."""
    text, args = _select(name, user)
    with psycopg.connect(url, options="-c TimeZone=UTC") as conn:
        return canonical(conn.execute(text.replace("?", "%s"), args).fetchall())


def duck_rows(path: Path, name: str, user: str | None) -> list[tuple]:
    text, args = _select(name, user)
    con = duckdb.connect(str(path), read_only=True)
    try:
        rows = con.sql(text, params=args).to_arrow_table().to_pylist()
    finally:
        con.close()
    return canonical([tuple(r.values()) for r in rows])


def test_fixture_tables_match_the_pinned_schemas(tmp_path):
    lake = Lake(tmp_path)
    tables = write_curated(lake, "ann")
    for name, tbl in tables.items():
        assert pq.read_schema(lake.curated_file(name, "ann")) == CURATED[name], name
        assert tbl.num_rows == (10 if name == "dim_date" else 8)
    fact = tables["fact_streams"].to_pydict()
    assert fact["ms_played"][:3] == [20_000, 27_919, 35_838]
    strings = {v for col in fact.values() for v in col if isinstance(v, str)}
    assert set(TRICKY) <= strings
    assert fact["track_id"][NULL_ROW] is None
