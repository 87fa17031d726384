"""A host-level stand-in for the Compose stack (issue 7): no engine, the same commands.

The dashboard container runs ``setup/dashboard/start.sh`` (``spotify-lake db upgrade``, then
``gunicorn dashboard.wsgi:server``) against PostgreSQL; this test runs that very script on the
host against the real PostgreSQL, after a real export was dropped into the landing folder and
ingested with ``spotify-lake ingest`` — then asks the running dashboard over HTTP for the data.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import psycopg
import pytest

from tests.setup import stack_compose as sc

pytestmark = pytest.mark.postgres
VENV_BIN = Path(sys.executable).parent
START = sc.REPO / "setup" / "dashboard" / "start.sh"
USER = "acct-02"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _http(url: str, body: dict | None = None) -> tuple[int, str]:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.status, response.read().decode()


def _wait_until_serving(url: str, server: subprocess.Popen, deadline_s: float = 90) -> None:
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        if server.poll() is not None:
            out, err = server.communicate()
            pytest.fail(f"start.sh exited with {server.returncode}:\n{out[-3000:]}\n{err[-3000:]}")
        try:
            _http(url)
            return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"the dashboard did not answer at {url} within {deadline_s:.0f}s")


def _component(tree: Any, component_id: str) -> dict | None:
    """Props of the component with ``component_id`` anywhere in a Dash JSON tree."""
    if isinstance(tree, dict):
        props = tree.get("props")
        if isinstance(props, dict) and props.get("id") == component_id:
            return props
        for value in tree.values():
            found = _component(value, component_id)
            if found is not None:
                return found
    elif isinstance(tree, list):
        for value in tree:
            found = _component(value, component_id)
            if found is not None:
                return found
    return None


def _plays_in_export(folder: Path) -> int:
    """Distinct play records in the export's account streaming history files."""
    records = set()
    for path in folder.rglob("StreamingHistory*.json"):
        for record in json.loads(path.read_text(encoding="utf-8")):
            records.add(json.dumps(record, sort_keys=True))
    return len(records)


@pytest.fixture
def stack_env(tmp_path, pg_url) -> dict[str, str]:
    """What docker-compose.yml gives the dashboard container, pointed at this machine."""
    return {
        **os.environ,
        "PATH": f"{VENV_BIN}:{os.environ['PATH']}",
        "SPOTIFY_LAKE_ROOT": str(tmp_path / "data_lake"),
        "SPOTIFY_LAKE_USER": USER,
        "SPOTIFY_LAKE_TIMEZONE": "UTC",
        "DATABASE_URL": pg_url,
    }


def _cli(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [str(VENV_BIN / "spotify-lake"), *args],
        env=env,
        cwd=sc.REPO,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, (
        f"spotify-lake {' '.join(args)}:\n{result.stdout}\n{result.stderr}"
    )
    return result


@pytest.fixture
def dashboard(stack_env, real_exports, tmp_path):
    """The stack's data path on the host: migrate, drop + ingest acct-02, start the dashboard."""
    export = real_exports / USER
    _cli(["db", "upgrade"], stack_env)  # what airflow/dashboard see on a fresh stack
    landing = Path(stack_env["SPOTIFY_LAKE_ROOT"]) / "landing"
    # What a user does: drop the zip Spotify sent straight into landing/ (a folder there would
    # name a user instead). Zipped in the temp dir, never in the repository.
    landing.mkdir(parents=True)
    shutil.make_archive(str(landing / "my_spotify_data"), "zip", root_dir=export)
    _cli(["ingest", str(landing)], stack_env)

    port = _free_port()
    env = {**stack_env, "DASHBOARD_BIND": f"127.0.0.1:{port}", "DASHBOARD_WORKERS": "1"}
    # cwd = the project folder, as in the image (WORKDIR /opt/spotify-lake).
    server = subprocess.Popen(
        ["sh", str(START)],
        env=env,
        cwd=sc.REPO,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_serving(base + "/", server)
        yield base, _plays_in_export(export)
    finally:
        # gunicorn's master is the script's own process (exec): stop it by its PID.
        server.send_signal(signal.SIGTERM)
        try:
            server.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.communicate()


def test_stack_commands_serve_the_ingested_export(dashboard, pg_url):
    """One run (ingest and gunicorn are the slow part): pages, layout, then the user's data."""
    base, plays = dashboard
    status, html = _http(base + "/")
    assert status == 200
    assert "<title>Spotify Lake</title>" in html and "_dash-config" in html
    status, layout = _http(base + "/_dash-layout")
    assert status == 200
    tree = json.loads(layout)
    assert _component(tree, "_pages_content") is not None
    assert _component(tree, "filters-user") is not None

    response = _health_page(base)
    assert response["health-period"]["children"] == f"{USER} · all data"
    rows = _component(response["health-body"], "health-rows")["data"]
    by_table = {row["table_name"]: int(row["row_count"]) for row in rows}
    with psycopg.connect(pg_url) as conn:
        in_warehouse = conn.execute(
            "select count(*) from curated.fact_streams where user_id = %s", (USER,)
        ).fetchone()[0]
    # The export's plays, the warehouse's and the dashboard's all agree: 4,829 for acct-02.
    assert by_table["fact_streams"] == in_warehouse == plays == 4829

    exports = _component(response["health-body"], "health-exports")["data"]
    assert len(exports) == 1 and exports[0]["source_name"] == "my_spotify_data.zip"

    # The page's own consistency checks over the freshly loaded warehouse.
    checks = _component(response["health-body"], "health-checks")["data"]
    failed = [row for row in checks if row["status"] != "pass"]
    assert failed == [], "the Data health page reports failed checks"


def _health_page(base: str) -> dict:
    """The Data health page's callback, called the way the browser calls it."""
    _, deps = _http(base + "/_dash-dependencies")
    callback = next(
        cb
        for cb in json.loads(deps)
        if any(i["id"] == "health-filters" and i["property"] == "data" for i in cb["inputs"])
    )
    outputs = [
        {"id": part.split(".")[0], "property": part.split(".")[1]}
        for part in callback["output"].strip(".").split("...")
    ]
    request = {
        "output": callback["output"],
        "outputs": outputs,
        "inputs": [{"id": "health-filters", "property": "data", "value": {"user": USER}}],
        "changedPropIds": ["health-filters.data"],
        "state": [],
    }
    status, body = _http(base + "/_dash-update-component", request)
    assert status == 200
    return json.loads(body)["response"]
