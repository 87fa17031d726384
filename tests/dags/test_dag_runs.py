"""``dag.test()`` of spotify_ingest then spotify_publish on real exports, a real PostgreSQL.

Two people's real exports plus one download cut short go into a temp lake; the warehouse must
hold exactly the plays of the clean layer, the broken file must wait in ``_rejected/`` with its
reason, and dropping the same exports again must change nothing.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import psycopg
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from etl.paths import Lake
from tests.dags.airflow_harness import (
    airflow_env,
    clean_plays,
    run_dags,
    task_states,
    truncated_copy,
    warehouse_plays,
    zip_export,
)

pytestmark = [pytest.mark.airflow, pytest.mark.postgres, pytest.mark.timeout(480)]

CLEAN_URI = "spotify-lake://lake/clean"
#: From real_exports/README.md: acct-02 holds 4,829 plays; ext-02 7,007 records, one a duplicate.
EXPECTED_PLAYS = {"alice": 4829, "bob": 7006}


def lake_digest(lake: Lake) -> dict[str, str]:
    """Content hash of every file under raw/, clean/ and curated/ (what a rerun must not touch)."""
    files = [p for top in (lake.raw, lake.clean, lake.curated) for p in top.rglob("*")]
    return {
        str(p.relative_to(lake.root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(files)
        if p.is_file()
    }


@pytest.fixture
def lake_with_inputs(tmp_path: Path, real_exports: Path) -> Lake:
    lake = Lake(tmp_path / "lake")
    zip_export(real_exports / "acct-02", lake.landing / "alice" / "acct-02.zip")
    extended = zip_export(real_exports / "ext-02", lake.landing / "bob" / "ext-02.zip")
    truncated_copy(extended, lake.landing / "broken.zip")
    return lake


def _check_first_ingest(run, lake: Lake) -> None:
    assert run.result["state"] == "failed", run.errors()  # red: one input was rejected
    assert task_states(run) == {
        ("wait_for_exports", None): "success",
        ("ingest", "acct-02.zip"): "success",
        ("ingest", "ext-02.zip"): "success",
        ("ingest", "broken.zip"): "failed",
        ("announce", None): "success",
        ("report", None): "failed",
    }
    broken = [t for t in run.result["tis"] if t["label"] == "broken.zip"]
    assert broken[0]["try_number"] == 1, "a rejected input is not retried"
    assert "AirflowFailException: broken.zip: not a readable zip" in run.output
    reason = (lake.rejected / "broken.zip.reason.txt").read_text()
    assert "broken.zip: not a readable zip" in reason
    assert (lake.rejected / "broken.zip").is_file()
    assert (lake.processed / "alice" / "acct-02.zip").is_file()
    assert (lake.processed / "bob" / "ext-02.zip").is_file()
    event = {"asset": CLEAN_URI, "extra": {"users": ["alice", "bob"]}}
    assert run.result["asset_events"] == [{**event, "source": "spotify_ingest.announce"}]


def _check_publish(run, users: list[str], load_status: str) -> None:
    assert run.result["state"] == "success", run.errors()
    expected = {("select_users", None): "success", ("refresh_gooddata", None): "skipped"}
    for user in users:
        for step in ("curate", "check", "load"):
            expected[(f"publish.{step}", user)] = "success"
    assert task_states(run) == expected
    assert run.result["xcom"]["select_users"] == users
    loads = [run.result["xcom"][f"publish.load[{i}]"] for i in range(len(users))]
    assert sorted((x["user"], x["loaded"]["status"]) for x in loads) == [
        (user, load_status) for user in users
    ]


def test_ingest_then_publish_real_exports(
    airflow_home: Path, lake_with_inputs: Lake, pg_url: str, tmp_path: Path
) -> None:
    lake = lake_with_inputs
    env = airflow_env(
        airflow_home,
        # Airflow's Variable and Connection win over the environment (which points elsewhere).
        AIRFLOW_VAR_SPOTIFY_LAKE_ROOT=str(lake.root),
        AIRFLOW_CONN_SPOTIFY_WAREHOUSE=pg_url,
        SPOTIFY_LAKE_ROOT=str(tmp_path / "not-this-lake"),
    )
    ingest, publish = run_dags(env, "spotify_ingest", "spotify_publish")
    _check_first_ingest(ingest, lake)
    _check_publish(publish, ["alice", "bob"], "loaded")
    assert f"publishing alice, bob (every user with data in {lake.root})" in publish.output
    plays = warehouse_plays(pg_url)
    assert {user: p[:2] for user, p in plays.items()} == clean_plays(lake, ["alice", "bob"])
    assert {user: p[0] for user, p in plays.items()} == EXPECTED_PLAYS
    before = lake_digest(lake)

    # The same two exports dropped again: skipped, no asset event, warehouse and lake unchanged.
    shutil.copy(lake.processed / "alice" / "acct-02.zip", lake.landing / "alice" / "again.zip")
    shutil.copy(lake.processed / "bob" / "ext-02.zip", lake.landing / "bob" / "again.zip")
    again, publish_again = run_dags(env, "spotify_ingest", "spotify_publish")
    assert again.result["state"] == "success"
    assert task_states(again)[("announce", None)] == "skipped"
    assert again.result["xcom"]["report"] == {"ingested": 0, "skipped": 2}
    assert again.result["asset_events"] == []
    _check_publish(publish_again, ["alice", "bob"], "unchanged")
    assert warehouse_plays(pg_url) == plays
    assert lake_digest(lake) == before


def test_failed_check_stops_the_load_and_full_refresh_repairs(
    airflow_home: Path, lake_with_inputs: Lake, pg_url: str
) -> None:
    """A duplicated play in clean fails ``unique`` before the load; a rebuild from raw fixes it."""
    lake = lake_with_inputs
    (lake.landing / "broken.zip").unlink()
    env = airflow_env(airflow_home, SPOTIFY_LAKE_ROOT=str(lake.root), DATABASE_URL=pg_url)
    assert run_dags(env, "spotify_ingest")[0].result["state"] == "success"
    streams = lake.clean_file("streams", "alice")
    table = pq.read_table(streams)
    pq.write_table(pa.concat_tables([table, table.slice(0, 1)]), streams)

    alice, full_refresh = {"user": "alice"}, {"user": "alice", "full_refresh": True}
    failed, fixed = run_dags(env, ("spotify_publish", alice), ("spotify_publish", full_refresh))
    assert failed.result["state"] == "failed"
    assert task_states(failed) == {
        ("select_users", None): "success",
        ("publish.curate", "alice"): "success",
        ("publish.check", "alice"): "failed",
        ("publish.load", "0"): "upstream_failed",  # never ran, so never labelled
        ("refresh_gooddata", None): "upstream_failed",
    }
    assert "publishing alice (the user param)" in failed.output
    assert "alice: quality check failed, nothing was loaded" in failed.output
    assert "unique fact_streams(play_id): 1 duplicated key(s)" in failed.output
    assert "publish.load[0]" not in failed.result["xcom"]
    _check_publish(fixed, ["alice"], "loaded")
    loaded = warehouse_plays(pg_url)
    assert {u: p[0] for u, p in loaded.items()} == {"alice": 4829}

    # Rows lost in the warehouse: a plain publish sees unchanged curated data and keeps away;
    # full_refresh reloads.
    with psycopg.connect(pg_url) as conn:
        conn.execute("delete from curated.fact_streams where ms_played < 30000")
    plain, forced = run_dags(env, ("spotify_publish", alice), ("spotify_publish", full_refresh))
    _check_publish(plain, ["alice"], "unchanged")
    _check_publish(forced, ["alice"], "loaded")
    assert warehouse_plays(pg_url) == loaded
