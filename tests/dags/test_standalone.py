"""End to end on a real ``airflow standalone`` (what ``make airflow`` runs), driven over /api/v2.

A real export and a broken download go into landing; spotify_ingest is triggered by hand, the
asset starts spotify_publish, the warehouse gets the plays; a headless Chromium takes the
README's screenshot of the successful run.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from etl.paths import Lake
from tests.dags.airflow_harness import (
    REPO,
    airflow_env,
    clean_plays,
    truncated_copy,
    warehouse_plays,
    zip_export,
)
from tests.dags.standalone import Standalone, wait_for

# Each wait below is bounded too; this caps the sum (the fixture still stops Airflow).
pytestmark = [
    pytest.mark.airflow,
    pytest.mark.postgres,
    pytest.mark.browser,
    pytest.mark.timeout(480),
]

SHOTS = (  # the README's copy only when asked (`make screenshots`); else a temp folder
    REPO / "docs" / "screenshots"
    if os.environ.get("SPOTIFY_LAKE_SCREENSHOTS") == "1"
    else Path(tempfile.gettempdir()) / "spotify-lake-screenshots"
)
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
    "--disable-background-networking", "--disable-component-update", "--no-first-run",
    "--disable-sync", "--no-proxy-server",
]  # fmt: skip
DONE = {"success", "failed"}


@pytest.fixture
def airflow(tmp_path: Path, real_exports: Path, pg_url: str):
    lake = Lake(tmp_path / "lake")
    export = zip_export(real_exports / "acct-02", lake.landing / "acct-02.zip")
    truncated_copy(export, lake.landing / "broken.zip")
    env = airflow_env(
        tmp_path / "airflow",
        SPOTIFY_LAKE_ROOT=str(lake.root),
        DATABASE_URL=pg_url,
        # Paused until the test has queued its run, so no scheduled run races it for the files.
        AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION="True",
    )
    env.pop("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN")  # the script chooses it
    server = Standalone(env, tmp_path / "airflow", tmp_path / "standalone.log")
    try:
        yield server, lake
    finally:
        status, leftovers = server.stop()
        assert (status, leftovers) == (0, False), f"unclean stop; see {server.log}"


def _finished_run(server: Standalone, dag_id: str, timeout: float) -> dict:
    def probe() -> dict | None:
        return next((r for r in server.runs(dag_id) if r["state"] in DONE), None)

    return wait_for(f"a finished {dag_id} run", probe, timeout)


def test_standalone_ingests_and_publishes(airflow, pg_url: str) -> None:
    server, lake = airflow
    server.login()
    wait_for("both DAGs parsed", lambda: len(server.call("GET", "/api/v2/dags")["dags"]) == 2, 120)
    run = server.call("POST", "/api/v2/dags/spotify_ingest/dagRuns", {"logical_date": None})
    for dag_id in ("spotify_ingest", "spotify_publish"):
        server.call("PATCH", f"/api/v2/dags/{dag_id}", {"is_paused": False})

    # Unpausing also queues the latest scheduled run; whichever run looks first ingests.
    ingest = _finished_run(server, "spotify_ingest", 180)
    assert run["dag_run_id"] in {r["dag_run_id"] for r in server.runs("spotify_ingest")}
    assert ingest["state"] == "failed"  # the broken download turns the run red, alone
    tis = {
        (t["task_id"], t["rendered_map_index"]): t
        for t in server.task_instances("spotify_ingest", ingest["dag_run_id"])
    }
    assert tis[("ingest", "acct-02.zip")]["state"] == "success"
    assert tis[("announce", None)]["state"] == "success"
    broken = tis[("ingest", "broken.zip")]
    assert (broken["state"], broken["try_number"]) == ("failed", 1)
    assert "broken.zip: not a readable zip" in server.log_text(broken)
    assert (lake.rejected / "broken.zip.reason.txt").is_file()

    publish = _finished_run(server, "spotify_publish", 180)
    assert (publish["state"], publish["run_type"]) == ("success", "asset_triggered")
    select = server.task_instances("spotify_publish", publish["dag_run_id"])
    select_log = server.log_text(next(t for t in select if t["task_id"] == "select_users"))
    assert "publishing me (named by the triggering ingest)" in select_log
    plays = warehouse_plays(pg_url)
    assert {u: p[:2] for u, p in plays.items()} == clean_plays(lake, ["me"])
    assert plays["me"][0] == 4829

    _screenshot(
        server, f"/dags/spotify_publish/runs/{publish['dag_run_id']}", "airflow_runs.png", "Success"
    )
    _screenshot(
        server, f"/dags/spotify_ingest/runs/{ingest['dag_run_id']}", "airflow_ingest.png", "Failed"
    )


def _screenshot(server: Standalone, path: str, name: str, state: str) -> None:
    """A page of the Airflow UI, logged in with the API token, for the docs."""
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1440, "height": 900})
            context.add_cookies([{"name": "_token", "value": server.token, "url": server.url}])
            page = context.new_page()
            page.goto(server.url + path, timeout=60_000)
            page.get_by_text("Task Instances").first.wait_for(timeout=60_000)
            page.get_by_text(state, exact=True).first.wait_for(timeout=60_000)
            page.wait_for_load_state("networkidle", timeout=60_000)
            page.screenshot(path=str(SHOTS / name))
        finally:
            browser.close()
    assert os.path.getsize(SHOTS / name) > 20_000
