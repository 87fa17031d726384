"""Warehouse.from_settings/query and the `spotify-lake sql` command, on both engines."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from etl import warehouse
from etl.paths import Lake
from etl.warehouse import SqlTextError, Warehouse, WarehouseError
from etl.warehouse_cli import sql as sql_command
from tests.etl.test_warehouse_data import (
    TRICKY,
    wh_settings,  # noqa: F401 - fixture
    write_curated,
)

COUNT = "select count(*) as n from curated.fact_streams where user_id = :user_id"


@pytest.fixture
def loaded(wh_settings):  # noqa: F811
    """A warehouse of each kind holding user ann's 8 fixture plays."""
    lake = Lake(wh_settings.lake_root)
    write_curated(lake, "ann")
    warehouse.load_user(lake, "ann", wh_settings)
    return wh_settings, Warehouse.from_settings(wh_settings)


def test_from_settings_picks_the_engine(settings, pg_url):
    duck = Warehouse.from_settings(settings, migrate=False)
    assert (duck.kind, duck.path) == ("duckdb", Lake(settings.lake_root).warehouse_duckdb)
    pg = Warehouse.from_settings(settings.with_(database_url=pg_url), migrate=False)
    assert pg.kind == "postgres" and pg.target == pg_url


def test_a_url_that_is_not_postgres_is_refused(settings):
    with pytest.raises(WarehouseError, match="DATABASE_URL=mysql://… is not a PostgreSQL URL"):
        Warehouse.from_settings(settings.with_(database_url="mysql://u:pw@host/db"))


def test_the_password_never_shows_in_the_target(settings):
    wh = Warehouse.from_settings(
        settings.with_(database_url="postgresql://me:s3cret@db:5432/spotify"), migrate=False
    )
    assert wh.target == "postgresql://me:***@db:5432/spotify" and "s3cret" not in repr(wh)


def test_an_unreachable_server_is_named_without_its_password(settings):
    url = "postgresql://me:s3cret@127.0.0.1:1/nowhere"
    with pytest.raises(
        WarehouseError, match=r"cannot connect to .*me:\*\*\*@127.0.0.1:1/nowhere"
    ) as err:
        Warehouse.from_settings(settings.with_(database_url=url))
    assert "s3cret" not in str(err.value)


def test_an_embedded_warehouse_that_was_never_created_says_so(settings):
    wh = Warehouse.from_settings(settings, migrate=False)
    with pytest.raises(WarehouseError, match="there is no warehouse at .*warehouse.duckdb yet"):
        wh.query("select 1 as x")


@pytest.mark.parametrize("value", [*TRICKY, "ann' or '1'='1"])
def test_parameter_values_never_become_sql(loaded, value):
    _, wh = loaded
    assert wh.query("select :v as v", {"v": value})["v"].tolist() == [value]
    assert wh.query(COUNT, {"user_id": value})["n"].tolist() == [0]
    assert wh.query(COUNT, {"user_id": "ann"})["n"].tolist() == [8]


def test_literal_percents_and_colons_need_no_escaping(loaded):
    _, wh = loaded
    frame = wh.query("select '100%' as p, 'a:b :c' as q, 7 % 2 as r, cast('5' as integer) as s")
    assert frame.iloc[0].tolist() == ["100%", "a:b :c", 1, 5]


@pytest.mark.parametrize(
    "statement",
    [
        "delete from curated.fact_streams",
        "insert into curated.dim_date (local_date) values (date '2024-01-01')",
        "create table curated.sneaky (a integer)",
        "drop table curated.fact_streams",
    ],
)
def test_query_refuses_writes(loaded, statement):
    _, wh = loaded
    with pytest.raises(Exception, match="read-only|read only"):
        wh.query(statement)
    assert wh.query(COUNT, {"user_id": "ann"})["n"].tolist() == [8]


def test_query_runs_one_statement_and_needs_every_parameter(loaded):
    _, wh = loaded
    with pytest.raises(SqlTextError, match="exactly one"):
        wh.query("select 1; select 2")
    with pytest.raises(SqlTextError, match=":user_id has no value"):
        wh.query(COUNT, {"user": "ann"})
    assert wh.query(COUNT + ";", {"user_id": "ann", "unused": 1})["n"].tolist() == [8]


def _run_sql(settings, *args):
    env = {"SPOTIFY_LAKE_ROOT": str(settings.lake_root), "DATABASE_URL": settings.database_url}
    return CliRunner().invoke(sql_command, list(args), env=env)


def test_sql_command_prints_rows_and_csv(loaded):
    settings, _ = loaded
    query = (
        "select content_type, count(*) as plays from curated.fact_streams"
        " where user_id = :user group by content_type order by content_type"
    )
    table = _run_sql(settings, query, "-p", "user=ann")
    assert table.exit_code == 0, table.output
    assert "audiobook" in table.output and "music" in table.output and "3 row(s)" in table.output
    csv = _run_sql(settings, query, "--param", "user=ann", "--csv")
    assert csv.exit_code == 0, csv.output
    assert csv.output == "content_type,plays\naudiobook,1\nmusic,5\npodcast,2\n"


@pytest.mark.parametrize(
    "statement", ["delete from curated.fact_streams", "update curated.dim_date set year = 1"]
)
def test_sql_command_refuses_a_write(loaded, statement):
    settings, wh = loaded
    result = _run_sql(settings, statement)
    assert result.exit_code == 1
    assert "refused: `spotify-lake sql` runs read-only statements only" in result.output
    assert wh.query(COUNT, {"user_id": "ann"})["n"].tolist() == [8]


def test_sql_command_explains_other_errors(loaded):
    settings, _ = loaded
    two = _run_sql(settings, "select 1; select 2")
    assert two.exit_code == 1 and "exactly one SQL statement" in two.output
    bad = _run_sql(settings, "select nope from curated.fact_streams")
    assert bad.exit_code == 1 and "rejected the statement" in bad.output
    param = _run_sql(settings, "select 1", "-p", "oops")
    assert param.exit_code == 2 and "is not name=value" in param.output
