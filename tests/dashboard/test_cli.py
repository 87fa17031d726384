"""``spotify-lake dashboard`` serves the app (127.0.0.1 by default); gunicorn's entry point."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from click.testing import CliRunner

from dashboard.cli import dashboard

REPO = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_help_and_defaults():
    result = CliRunner().invoke(dashboard, ["--help"])
    assert result.exit_code == 0
    assert "--host TEXT" in result.output and "[default: 127.0.0.1]" in result.output
    assert "[default: 8050; 1<=x<=65535]" in result.output
    assert CliRunner().invoke(dashboard, ["--port", "0"]).exit_code == 2  # out of range


def test_the_command_serves_the_app_on_localhost(tmp_path):
    port = free_port()
    env = {**os.environ, "SPOTIFY_LAKE_ROOT": str(tmp_path / "lake")}
    env.pop("DATABASE_URL", None)
    proc = subprocess.Popen(
        [sys.executable, "-c", "from etl.cli import main; main()", "dashboard", "--port",
         str(port)], cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        body = ""
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as r:
                    body = r.read().decode()
                break
            except OSError:
                time.sleep(0.2)
        assert "<title>Spotify Lake</title>" in body and "_dash-renderer" in body
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_dash-layout", timeout=5) as r:
            assert b"filters-period" in r.read()
    finally:
        proc.terminate()
        out = proc.communicate(timeout=10)[0].decode()
    assert f"http://127.0.0.1:{port}/" in out


def test_wsgi_exposes_the_flask_server(tmp_path):
    env = {**os.environ, "SPOTIFY_LAKE_ROOT": str(tmp_path / "lake")}
    env.pop("DATABASE_URL", None)
    code = ("from dashboard.wsgi import server; import flask; "
            "print(isinstance(server, flask.Flask), sorted(server.view_functions)[:1])")
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True,
                         text=True, timeout=60)  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("True")
