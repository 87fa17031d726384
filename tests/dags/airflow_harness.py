"""Helpers for the Airflow tests: bounded child processes, clean environments, real landings.

Airflow runs in child processes (``dag_runner.py``, ``airflow standalone``) under ``timeout``, so
its configuration never leaks into pytest and a hang fails the test instead of eating CI.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from etl.paths import Lake

REPO = Path(__file__).resolve().parents[2]
DAGS = REPO / "dags"
RUNNER = Path(__file__).with_name("dag_runner.py")
BIN = Path(sys.executable).parent

#: Settings a developer's shell may carry that would change what the child processes do.
_OURS = ("AIRFLOW", "SPOTIFY_LAKE_", "DATABASE_URL", "GOODDATA_")


def airflow_env(home: Path, **extra: str) -> dict[str, str]:
    """A clean environment for an Airflow child process with its own AIRFLOW_HOME."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(_OURS)}
    env.update(
        AIRFLOW_HOME=str(home),
        AIRFLOW__CORE__DAGS_FOLDER=str(DAGS),
        AIRFLOW__CORE__LOAD_EXAMPLES="False",
        AIRFLOW__DATABASE__SQL_ALCHEMY_CONN=f"sqlite:///{home}/airflow.db",
        PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}",
        NO_COLOR="1",
    )
    env.update(extra)
    return env


@dataclass
class Run:
    output: str
    result: dict[str, Any]

    def errors(self) -> str:
        """The error lines of the task logs, to explain a failed assertion on this run."""
        keep = ("[error", "Error:", "Exception:", "[warning")
        lines = [line for line in self.output.splitlines() if any(k in line for k in keep)]
        return "\n".join(line[:400] for line in lines[-60:])


def run_airflow(env: dict[str, str], *args: str, timeout: int = 180) -> Run:
    """``dag_runner.py ARGS`` in a child process, killed after ``timeout`` seconds."""
    cmd = ["timeout", "-k", "10", str(timeout), sys.executable, str(RUNNER), *args]
    proc = subprocess.run(cmd, env=env, cwd=REPO, capture_output=True, text=True)
    output = proc.stdout + proc.stderr
    lines = [line for line in proc.stdout.splitlines() if line.startswith("RESULT ")]
    if proc.returncode or not lines:
        why = "timed out" if proc.returncode in (124, 137) else f"exit {proc.returncode}"
        pytest.fail(f"dag_runner {' '.join(args)}: {why}\n{output[-6000:]}")
    return Run(output=output, result=json.loads(lines[-1].removeprefix("RESULT ")))


def run_dags(env: dict[str, str], *runs: str | tuple[str, dict], timeout: int = 240) -> list[Run]:
    """``dag.test()`` of each DAG in turn (``dag_id`` or ``(dag_id, conf)``), in one process.

    Every Run gets the whole output (the task logs of all runs).
    """
    specs = [r if isinstance(r, str) else f"{r[0]}={json.dumps(r[1])}" for r in runs]
    both = run_airflow(env, "test", *specs, timeout=timeout)
    return [Run(output=both.output, result=result) for result in both.result]


def zip_export(folder: Path, dest: Path) -> Path:
    """Zip a real export folder the way Spotify ships it (paths relative to the folder)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            zf.write(path, path.relative_to(folder).as_posix())
    return dest


def truncated_copy(source: Path, dest: Path, size: int = 3000) -> Path:
    """A download cut short: the first ``size`` bytes of a real zip."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_bytes(source.read_bytes()[:size])
    return dest


def task_states(run: Run) -> dict[tuple[str, str | None], str]:
    """``{(task_id, label or None): state}``; mapped tasks are labelled by their input/user."""
    return {
        (ti["task_id"], ti["label"] if ti["map_index"] >= 0 else None): ti["state"]
        for ti in run.result["tis"]
    }


def warehouse_plays(url: str) -> dict[str, tuple[int, int, str]]:
    """Per user: plays, total ms_played, and a digest of the play ids in the warehouse."""
    sql = """
        select user_id, count(*), sum(ms_played), md5(string_agg(play_id, ',' order by play_id))
        from curated.fact_streams group by user_id order by user_id
    """
    with psycopg.connect(url) as conn:
        if conn.execute("select to_regclass('curated.fact_streams')").fetchone()[0] is None:
            return {}  # nothing was ever loaded
        return {row[0]: (row[1], int(row[2]), row[3]) for row in conn.execute(sql)}


def clean_plays(lake: Lake, users: list[str]) -> dict[str, tuple[int, int]]:
    out = {}
    for user in users:
        table = pq.read_table(lake.clean_file("streams", user), columns=["ms_played"])
        out[user] = (table.num_rows, pc.sum(table["ms_played"]).as_py())
    return out
