"""The DAG folder parses cleanly and every DAG carries the settings the team agreed on."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.dags.airflow_harness import DAGS, REPO, airflow_env, run_airflow

pytestmark = pytest.mark.airflow

EXPECTED = {"spotify_ingest", "spotify_publish"}


@pytest.fixture(scope="module")
def dagbag(tmp_path_factory: pytest.TempPathFactory) -> dict:
    home = tmp_path_factory.mktemp("airflow_parse")
    return run_airflow(airflow_env(home), "dagbag", timeout=120).result


def test_no_import_errors_or_warnings(dagbag: dict) -> None:
    assert dagbag["import_errors"] == {}
    assert dagbag["warnings"] == {}
    assert set(dagbag["dags"]) == EXPECTED


@pytest.mark.parametrize("dag_id", sorted(EXPECTED))
def test_dag_settings(dagbag: dict, dag_id: str) -> None:
    dag = dagbag["dags"][dag_id]
    assert "spotify-lake" in dag["tags"]
    assert dag["doc_md"].lstrip().startswith(f"### {dag_id}")
    assert dag["catchup"] is False
    assert dag["max_active_runs"] == 1
    assert dag["start_date"] == "2025-01-01T00:00:00+00:00"
    for task_id, task in dag["tasks"].items():
        assert task["retries"] >= 2, task_id
        assert task["backoff"] >= 2.0, task_id


def test_ingest_maps_one_task_per_export_and_updates_the_asset(dagbag: dict) -> None:
    dag = dagbag["dags"]["spotify_ingest"]
    assert dag["timetable"] == "CronTriggerTimetable"
    tasks = dag["tasks"]
    assert set(tasks) == {"wait_for_exports", "ingest", "announce", "report"}
    assert tasks["ingest"]["mapped"] is True
    assert tasks["announce"]["outlets"] == ["spotify-lake://lake/clean"]
    assert [t for t, v in tasks.items() if v["outlets"]] == ["announce"]


def test_publish_runs_on_the_asset_with_params_and_a_warehouse_pool(dagbag: dict) -> None:
    dag = dagbag["dags"]["spotify_publish"]
    assert dag["schedule_assets"] == ["spotify-lake://lake/clean"]
    assert dag["params"] == ["full_refresh", "user"]
    pools = {task_id: task["pool"] for task_id, task in dag["tasks"].items()}
    assert pools.pop("publish.load") == "spotify_warehouse"
    assert set(pools.values()) == {"default_pool"}
    assert dag["tasks"]["publish.check"]["mapped"] is True


def test_dags_pass_ruff_airflow3_rules() -> None:
    ruff = Path(sys.executable).parent / "ruff"
    proc = subprocess.run(
        [str(ruff), "check", "--select", "AIR3", str(DAGS)],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
