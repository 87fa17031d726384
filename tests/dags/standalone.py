"""A real ``airflow standalone`` started by setup/airflow_standalone.sh, and its REST API.

Every wait is bounded; stopping sends SIGINT to the PID (standalone ignores a clean SIGTERM) and
kills the whole process group only if it does not stop in time.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from tests.dags.airflow_harness import REPO

SCRIPT = REPO / "setup" / "airflow_standalone.sh"
PASSWORD_FILE = "simple_auth_manager_passwords.json.generated"
T = TypeVar("T")
# Never route 127.0.0.1 through a proxy the environment may configure for package registries.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(what: str, probe: Callable[[], T | None], timeout: float, every: float = 2) -> T:
    """Poll ``probe`` until it returns something truthy; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = probe()
        if value:
            return value
        time.sleep(every)
    raise TimeoutError(f"gave up after {timeout:.0f}s waiting for {what}")


class Standalone:
    """One ``setup/airflow_standalone.sh`` process tree with its own AIRFLOW_HOME and port."""

    def __init__(self, env: dict[str, str], home: Path, log: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.home = home
        self.log = log
        self.token: str | None = None
        env = {**env, "AIRFLOW_HOME": str(home), "AIRFLOW_PORT": str(self.port)}
        with log.open("wb") as out:
            self.proc = subprocess.Popen(
                ["bash", str(SCRIPT)], env=env, stdout=out, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip

    def call(self, method: str, path: str, body: Any = None) -> Any:
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.url + path, data=data, method=method, headers=headers)
        with _OPENER.open(req, timeout=20) as resp:
            raw = resp.read()
        return json.loads(raw) if raw else None

    def _login(self) -> str | None:
        if self.proc.poll() is not None:
            raise RuntimeError(f"standalone exited ({self.proc.returncode}); see {self.log}")
        password_file = self.home / PASSWORD_FILE
        if not password_file.is_file():
            return None
        password = json.loads(password_file.read_text())["admin"]
        try:
            return self.call("POST", "/auth/token", {"username": "admin", "password": password})[
                "access_token"
            ]
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return None

    def login(self, timeout: float = 150) -> str:
        self.token = wait_for("the API server and the admin password", self._login, timeout)
        return self.token

    def runs(self, dag_id: str) -> list[dict]:
        return self.call("GET", f"/api/v2/dags/{dag_id}/dagRuns?order_by=-run_after")["dag_runs"]

    def task_instances(self, dag_id: str, run_id: str) -> list[dict]:
        path = f"/api/v2/dags/{dag_id}/dagRuns/{_q(run_id)}/taskInstances?limit=100"
        return self.call("GET", path)["task_instances"]

    def log_text(self, ti: dict) -> str:
        path = (
            f"/api/v2/dags/{ti['dag_id']}/dagRuns/{_q(ti['dag_run_id'])}/taskInstances/"
            f"{ti['task_id']}/logs/{ti['try_number']}?map_index={ti['map_index']}"
        )
        return "\n".join(str(line.get("event", "")) for line in self.call("GET", path)["content"])

    def stop(self, timeout: float = 90) -> tuple[int, bool]:
        """SIGINT by PID, as Ctrl-C would. Returns the exit status and whether any process of
        the tree outlived it (those, and a standalone that does not stop, get SIGKILL)."""
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGINT)
        try:
            status = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=30)
            raise
        return status, _kill_leftovers(self.proc.pid)


def _kill_leftovers(pgid: int) -> bool:
    """Children standalone failed to stop would keep the port and the SQLite file busy."""
    try:
        os.killpg(pgid, signal.SIGKILL)
    except ProcessLookupError:
        return False
    return True


def _q(value: str) -> str:
    return urllib.parse.quote(value, safe="")
