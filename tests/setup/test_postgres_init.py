"""setup/postgres/10-spotify-lake.sql on the real PostgreSQL, as the postgres image runs it.

The image runs ``psql -v ON_ERROR_STOP=1 --no-psqlrc -f <file>`` as the superuser with the
container's environment; the test does the same (as the superuser of the test session's database)
with unique names and removes what it created.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import uuid

import psycopg
import pytest

from tests.setup import stack_compose as sc

INIT_SQL = sc.REPO / "setup" / "postgres" / "10-spotify-lake.sql"
pytestmark = pytest.mark.postgres


def _admin(url: str):
    return psycopg.connect(url, autocommit=True)


def _run_init(url: str, env_vars: dict[str, str]) -> subprocess.CompletedProcess:
    psql = shutil.which("psql")
    assert psql, "psql is not installed: the init test runs the file the way the image does"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW_DB", "SPOTIFY_DB"))}
    env.update(env_vars)
    return subprocess.run(
        [psql, url, "-v", "ON_ERROR_STOP=1", "--no-psqlrc", "-q", "-f", str(INIT_SQL)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.fixture
def names(pg_server_url):
    tag = uuid.uuid4().hex[:8]
    names = {
        "AIRFLOW_DB_NAME": f"sl_init_af_{tag}",
        "AIRFLOW_DB_USER": f"sl_init_afu_{tag}",
        "AIRFLOW_DB_PASSWORD": "pw-with-'quote",
        "SPOTIFY_DB_NAME": f"sl_init_sp_{tag}",
        "SPOTIFY_DB_USER": f"sl_init_spu_{tag}",
        "SPOTIFY_DB_PASSWORD": "other-pw",
    }
    yield names
    with _admin(pg_server_url) as conn:
        for key in ("AIRFLOW_DB_NAME", "SPOTIFY_DB_NAME"):
            conn.execute(f'drop database if exists "{names[key]}" with (force)')
        for key in ("AIRFLOW_DB_USER", "SPOTIFY_DB_USER"):
            conn.execute(f'drop role if exists "{names[key]}"')


def _databases(conn, names):
    rows = conn.execute(
        "select datname, pg_get_userbyid(datdba), datacl::text[] from pg_database"
        " where datname = any(%s) order by datname",
        ([names["AIRFLOW_DB_NAME"], names["SPOTIFY_DB_NAME"]],),
    ).fetchall()
    return {name: (owner, acl) for name, owner, acl in rows}


def test_creates_both_databases_each_owned_by_its_own_login_role(pg_server_url, names):
    result = _run_init(pg_server_url, names)
    assert result.returncode == 0, result.stderr
    with _admin(pg_server_url) as conn:
        dbs = _databases(conn, names)
        roles = dict(
            conn.execute(
                "select rolname, rolcanlogin from pg_roles where rolname = any(%s)",
                ([names["AIRFLOW_DB_USER"], names["SPOTIFY_DB_USER"]],),
            ).fetchall()
        )
        has_password = conn.execute(
            "select count(*) from pg_authid where rolname = any(%s) and rolpassword is not null",
            ([names["AIRFLOW_DB_USER"], names["SPOTIFY_DB_USER"]],),
        ).fetchone()[0]
    af, afu, sp, spu = (
        names[k]
        for k in ("AIRFLOW_DB_NAME", "AIRFLOW_DB_USER", "SPOTIFY_DB_NAME", "SPOTIFY_DB_USER")
    )
    # Only the owner may connect: PUBLIC's default CONNECT/TEMP were revoked.
    assert dbs == {af: (afu, [f"{afu}=CTc/{afu}"]), sp: (spu, [f"{spu}=CTc/{spu}"])}
    assert roles == {afu: True, spu: True}
    assert has_password == 2


def test_the_warehouse_role_can_create_its_schemas(pg_server_url, names):
    assert _run_init(pg_server_url, names).returncode == 0
    url = pg_server_url.rsplit("/", 1)[0] + "/" + names["SPOTIFY_DB_NAME"]
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'set role "{names["SPOTIFY_DB_USER"]}"')
        conn.execute("create schema curated")
        conn.execute("create table curated.probe (id int)")
        owner = conn.execute(
            "select tableowner from pg_tables where schemaname = 'curated'"
        ).fetchone()[0]
    assert owner == names["SPOTIFY_DB_USER"]


@pytest.mark.parametrize("missing", ["SPOTIFY_DB_PASSWORD", "AIRFLOW_DB_USER"])
@pytest.mark.parametrize("how", ["empty", "unset"])
def test_a_missing_setting_fails_before_creating_anything(pg_server_url, names, missing, how):
    env = dict(names)
    if how == "empty":
        env[missing] = ""
    else:
        del env[missing]
    result = _run_init(pg_server_url, env)
    assert result.returncode != 0
    family = missing.split("_DB_")[0]
    assert f"{family}_DB_NAME, {family}_DB_USER and {family}_DB_PASSWORD must all be set" in (
        result.stderr
    )
    with _admin(pg_server_url) as conn:
        assert _databases(conn, names) == {}
        created = conn.execute(
            "select count(*) from pg_roles where rolname = any(%s)",
            ([names["AIRFLOW_DB_USER"], names["SPOTIFY_DB_USER"]],),
        ).fetchone()[0]
    assert created == 0


def test_compose_passes_every_variable_the_init_sql_reads():
    used = set(re.findall(r"^\\getenv \w+ (\w+)$", INIT_SQL.read_text(), re.MULTILINE))
    postgres = sc.load_interpolated()["services"]["postgres"]
    assert used == {
        "AIRFLOW_DB_NAME",
        "AIRFLOW_DB_USER",
        "AIRFLOW_DB_PASSWORD",
        "SPOTIFY_DB_NAME",
        "SPOTIFY_DB_USER",
        "SPOTIFY_DB_PASSWORD",
    }
    assert used <= set(postgres["environment"])
    assert ("./setup/postgres:/docker-entrypoint-initdb.d:ro") in postgres["volumes"]
