"""Loads in other processes: killed mid-load (kill -9), and two at once for one user.

The loader pauses inside its transaction through the SPOTIFY_LAKE_LOAD_HOLD hook, so every
step here waits for a state, never for a length of time.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest

from etl import warehouse, warehouse_duckdb
from etl.paths import Lake
from etl.warehouse import Warehouse
from etl.warehouse_load import HOLD_ENV
from tests.etl.test_warehouse_data import (
    expected_rows,
    warehouse_rows,
    wh_settings,  # noqa: F401 - fixture
    write_curated,
)

REPO = Path(__file__).resolve().parents[2]
WAIT_S = 60
LOADER = """
import json, sys
from etl import config, warehouse
from etl.paths import Lake
s = config.load()
print(json.dumps(warehouse.load_user(Lake(s.lake_root), sys.argv[1], s, force=sys.argv[2] == "1")))
"""


def _start(settings, user: str, hold: Path | None = None, force: bool = False):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", HOLD_ENV)}
    env["SPOTIFY_LAKE_ROOT"] = str(settings.lake_root)
    if settings.database_url:
        env["DATABASE_URL"] = settings.database_url
    if hold:
        env[HOLD_ENV] = str(hold)
    return subprocess.Popen(
        [sys.executable, "-c", LOADER, user, "1" if force else "0"],
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def _wait_for(condition, proc, what: str) -> None:
    deadline = time.monotonic() + WAIT_S
    while not condition():
        if proc.poll() is not None:
            pytest.fail(f"loader exited ({proc.returncode}) before {what}: {proc.stderr.read()}")
        if time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.02)


def _held(proc, hold: Path) -> None:
    _wait_for(Path(f"{hold}.held").exists, proc, "the loader to reach its commit")


def _result(proc) -> dict:
    out, err = proc.communicate(timeout=WAIT_S)
    assert proc.returncode == 0, err
    return json.loads(out.strip().splitlines()[-1])


def _fact_ms(settings, user: str) -> list[int]:
    frame = Warehouse.from_settings(settings).query(
        "select ms_played from curated.fact_streams where user_id = :u order by ms_played",
        {"u": user},
    )
    return frame["ms_played"].tolist()


def _load_numbers(settings) -> list[int]:
    frame = Warehouse.from_settings(settings).query(
        "select load_number from spotify_lake_meta.loads order by load_number"
    )
    return frame["load_number"].tolist()


def test_kill_9_mid_load_keeps_the_previous_rows(wh_settings, tmp_path):  # noqa: F811
    lake = Lake(wh_settings.lake_root)
    old = write_curated(lake, "ann", rows=8)
    warehouse.load_user(lake, "ann", wh_settings)
    new = write_curated(lake, "ann", rows=6, variant=1)
    hold = tmp_path / "hold"
    hold.touch()
    proc = _start(wh_settings, "ann", hold)
    _held(proc, hold)  # every table is replaced and reconciled, the commit is next
    if wh_settings.database_url:  # readers meanwhile see the old rows (DuckDB readers wait)
        assert _fact_ms(wh_settings, "ann") == sorted(old["fact_streams"]["ms_played"].to_pylist())
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=WAIT_S)
    for name in ("fact_streams", "sessions", "daily_item_listening"):
        assert warehouse_rows(wh_settings, name, "ann") == expected_rows(old[name]), name
    assert _load_numbers(wh_settings) == [1]
    assert warehouse.load_user(lake, "ann", wh_settings)["status"] == "loaded"
    assert warehouse_rows(wh_settings, "fact_streams", "ann") == expected_rows(new["fact_streams"])
    assert _load_numbers(wh_settings) == [1, 2]


@pytest.mark.parametrize("force", [False, True], ids=["same-files", "forced"])
def test_two_concurrent_loads_of_one_user_leave_one_copy(wh_settings, tmp_path, force):  # noqa: F811
    lake = Lake(wh_settings.lake_root)
    tables = write_curated(lake, "ann", rows=8)
    hold = tmp_path / "hold"
    hold.touch()
    first = _start(wh_settings, "ann", hold)
    _held(first, hold)
    second = _start(wh_settings, "ann", force=force)
    _wait_for(lambda: _queued(wh_settings, second), second, "the second load to queue")
    hold.unlink()
    results = [_result(first), _result(second)]
    assert [r["status"] for r in results] == ["loaded", "loaded" if force else "unchanged"]
    assert warehouse_rows(wh_settings, "fact_streams", "ann") == expected_rows(
        tables["fact_streams"]
    )
    assert len(warehouse_rows(wh_settings, "dim_date", None)) == tables["dim_date"].num_rows
    assert _load_numbers(wh_settings) == ([1, 2] if force else [1])


def _queued(settings, proc) -> bool:
    """Whether ``proc`` waits for the load lock: PostgreSQL's advisory lock, DuckDB's file lock."""
    if settings.database_url:
        with psycopg.connect(settings.database_url, autocommit=True) as conn:
            row = conn.execute(
                "select count(*) from pg_locks l join pg_database d on d.oid = l.database"
                " where d.datname = current_database() and l.locktype = 'advisory'"
                " and not l.granted"
            ).fetchone()
        return row[0] == 1
    lock = warehouse_duckdb.lock_path(Lake(settings.lake_root).warehouse_duckdb)
    fds = Path(f"/proc/{proc.pid}/fd")
    try:
        return any(os.readlink(fd) == str(lock) for fd in fds.iterdir())
    except FileNotFoundError:
        return False
