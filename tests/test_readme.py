"""The README's quick start, run as written: generate, ingest, status, then the dashboard."""

from __future__ import annotations

import os
import re
import shlex
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

from tests.conftest import REPO


def quick_start_commands() -> list[str]:
    text = (REPO / "README.md").read_text()
    section = text.split("## Quick start without Docker", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", section, re.S).group(1)
    return [line for line in block.splitlines() if line.strip()]


def _wait_http(url: str, seconds: float) -> str:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as resp:
                return resp.read().decode()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def test_quick_start_runs_as_written(tmp_path: Path) -> None:
    commands = quick_start_commands()
    assert commands[0] == "make install" and commands[-1].endswith("spotify-lake dashboard")
    # `make install` belongs to the checkout; the rest runs in a fresh folder next to a link to
    # the checkout's .venv, so data_lake/ is new and the commands' relative paths are real.
    subprocess.run(["make", "install"], cwd=REPO, check=True, timeout=900)
    (tmp_path / ".venv").symlink_to(REPO / ".venv")
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("SPOTIFY_LAKE_", "DATABASE_URL"))}
    outputs = []
    for command in commands[1:-1]:
        done = subprocess.run(shlex.split(command), cwd=tmp_path, env=env, capture_output=True,
                              text=True, timeout=600)
        assert done.returncode == 0, (command, done.stdout, done.stderr)
        outputs.append(done.stdout)
    assert "my_spotify_data.zip: ingested as export" in outputs[1]
    assert "me: warehouse loaded" in outputs[1]
    assert "Lake: " in outputs[2] and "streams" in outputs[2]
    assert (tmp_path / "data_lake" / "warehouse.duckdb").exists()
    server = subprocess.Popen(shlex.split(commands[-1]), cwd=tmp_path, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              start_new_session=True)
    try:
        layout = _wait_http("http://127.0.0.1:8050/_dash-layout", 90)
        assert "Overview" in layout or "overview" in layout
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
