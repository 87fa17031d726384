"""setup/make_env.py: a .env that docker compose accepts, with fresh secrets, never overwritten."""

from __future__ import annotations

import base64
import importlib.util
import os
import stat
import subprocess
import sys

from tests.setup import stack_compose as sc

SCRIPT = sc.REPO / "setup" / "make_env.py"


def _make(tmp_path, name=".env"):
    out = tmp_path / name
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--output", str(out)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return out, result


def test_fills_every_required_secret_so_compose_interpolates(tmp_path):
    out, result = _make(tmp_path)
    assert result.returncode == 0, result.stderr
    env = sc.read_env_file(out)
    example = sc.read_env_file()
    raw = sc.load_raw()
    required = sc.required_variables(raw)
    assert all(env[name] for name in required)
    # Everything else is .env.example's value, except the uid of whoever ran it.
    assert {k: v for k, v in env.items() if k not in required | {"AIRFLOW_UID"}} == {
        k: v for k, v in example.items() if k not in required | {"AIRFLOW_UID"}
    }
    assert env["AIRFLOW_UID"] == str(os.getuid())
    model = sc.interpolate_tree(raw, env)  # no InterpolationError
    assert (
        model["services"]["postgres"]["environment"]["POSTGRES_PASSWORD"]
        == env["POSTGRES_PASSWORD"]
    )
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert f"Airflow login: admin / {env['AIRFLOW_ADMIN_PASSWORD']}" in result.stdout


def test_generates_exactly_the_variables_compose_requires():
    spec = importlib.util.spec_from_file_location("make_env", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert set(module.SECRETS) == sc.required_variables(sc.load_raw())


def test_secrets_are_random_url_safe_and_the_fernet_key_is_valid(tmp_path):
    first = sc.read_env_file(_make(tmp_path, "a.env")[0])
    second = sc.read_env_file(_make(tmp_path, "b.env")[0])
    for name in sc.required_variables(sc.load_raw()):
        assert first[name] != second[name], f"{name} is not random"
        assert len(first[name]) >= 24
    for name in ("POSTGRES_PASSWORD", "SPOTIFY_DB_PASSWORD", "AIRFLOW_DB_PASSWORD"):
        assert first[name].isalnum(), "passwords go into URLs unescaped"
    assert len(base64.urlsafe_b64decode(first["AIRFLOW_FERNET_KEY"])) == 32


def test_keeps_comments_so_the_file_stays_self_explaining(tmp_path):
    out, _ = _make(tmp_path)
    comments = [line for line in out.read_text().splitlines() if line.startswith("#")]
    assert comments == [
        line for line in sc.ENV_EXAMPLE.read_text().splitlines() if line.startswith("#")
    ]


def test_never_overwrites_an_existing_env(tmp_path):
    out = tmp_path / ".env"
    out.write_text("POSTGRES_PASSWORD=mine\n")
    _, result = _make(tmp_path)
    assert result.returncode == 1
    assert "already exists; not touching it" in result.stderr
    assert out.read_text() == "POSTGRES_PASSWORD=mine\n"
