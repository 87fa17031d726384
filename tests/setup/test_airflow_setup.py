"""The Airflow containers' scripts (setup/airflow/), run on the host with compose's env."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.setup import stack_compose as sc

SETUP = sc.REPO / "setup"
PASSWORDS_SCRIPT = SETUP / "airflow" / "simple_auth_passwords.py"
VENV_BIN = Path(sys.executable).parent


def _apiserver_env(tmp_path: Path, **overrides: str) -> dict[str, str]:
    """The api-server container's environment from compose, with paths moved into tmp_path."""
    env = dict(sc.load_interpolated()["services"]["airflow-apiserver"]["environment"])
    env = {key: str(value) for key, value in env.items()}
    env.update(
        AIRFLOW_HOME=str(tmp_path / "airflow-home"),
        AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE=str(tmp_path / "auth" / "pw.json"),
        PATH=f"{VENV_BIN}:{os.environ['PATH']}",
    )
    env.update(overrides)
    return env


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(args, env=env, capture_output=True, text=True, timeout=120, check=False)


def test_passwords_file_holds_the_login_from_env_owner_only(tmp_path):
    env = _apiserver_env(
        tmp_path,
        AIRFLOW_ADMIN_USER="me",
        AIRFLOW_ADMIN_PASSWORD="pw 1",
        AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS="me:admin",
    )
    result = _run([sys.executable, str(PASSWORDS_SCRIPT)], env)
    assert result.returncode == 0, result.stderr
    target = tmp_path / "auth" / "pw.json"
    assert json.loads(target.read_text()) == {"me": "pw 1"}
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert list(target.parent.iterdir()) == [target], "no temp file left behind"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"AIRFLOW_ADMIN_PASSWORD": ""}, "AIRFLOW_ADMIN_PASSWORD is empty"),
        ({"AIRFLOW_ADMIN_PASSWORD": "x", "AIRFLOW_ADMIN_USER": " "}, "AIRFLOW_ADMIN_USER is empty"),
        (
            {"AIRFLOW_ADMIN_PASSWORD": "x", "AIRFLOW_ADMIN_USER": "bob"},
            "AIRFLOW_ADMIN_USER='bob' is not in "
            "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS='admin:admin'",
        ),
    ],
)
def test_passwords_script_says_what_is_wrong(tmp_path, overrides, message):
    result = _run([sys.executable, str(PASSWORDS_SCRIPT)], _apiserver_env(tmp_path, **overrides))
    assert result.returncode == 1
    assert message in result.stderr
    assert not (tmp_path / "auth" / "pw.json").exists()


LOGIN_CHECK = """
import sys
from fastapi import HTTPException
from airflow.api_fastapi.auth.managers.simple.datamodels.login import LoginBody
from airflow.api_fastapi.auth.managers.simple.services.login import SimpleAuthManagerLogin
from airflow.api_fastapi.app import init_auth_manager

init_auth_manager()  # what the api-server does at start: must keep our password
token = SimpleAuthManagerLogin.create_token(LoginBody(username="admin", password=sys.argv[1]))
try:
    SimpleAuthManagerLogin.create_token(LoginBody(username="admin", password="wrong"))
    print("wrong password accepted")
except HTTPException as exc:
    print("token", len(token) > 20, "wrong", exc.status_code)
"""


def test_airflow_accepts_exactly_the_password_from_env(tmp_path):
    """Airflow 3.3's SimpleAuthManager logs in with the file the api-server script writes."""
    env = _apiserver_env(tmp_path, AIRFLOW_ADMIN_PASSWORD="from-dot-env")
    assert _run([sys.executable, str(PASSWORDS_SCRIPT)], env).returncode == 0
    result = _run([sys.executable, "-c", LOGIN_CHECK, "from-dot-env"], env)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().splitlines()[-1] == "token True wrong 401"
    assert json.loads((tmp_path / "auth" / "pw.json").read_text()) == {"admin": "from-dot-env"}


def test_airflow_init_refuses_a_lake_it_cannot_write(tmp_path):
    not_a_folder = tmp_path / "data_lake"
    not_a_folder.write_text("a file where the lake folder should be")
    env = _apiserver_env(tmp_path, SPOTIFY_LAKE_ROOT=str(not_a_folder))
    result = _run(["bash", str(SETUP / "airflow" / "init.sh")], env)
    assert result.returncode == 1
    assert f"{not_a_folder}/landing (data_lake/landing on the host) is not writable" in " ".join(
        result.stderr.split()
    )
    assert "Set AIRFLOW_UID=" in result.stderr


def test_airflow_init_creates_the_pool_the_publish_dag_uses():
    from etl.airflow_support import WAREHOUSE_POOL

    init = (SETUP / "airflow" / "init.sh").read_text()
    assert f"airflow pools set {WAREHOUSE_POOL} 1 " in init


@pytest.mark.parametrize(
    ("shell", "script"),
    [
        ("bash", "airflow/init.sh"),
        ("bash", "airflow/apiserver.sh"),
        ("sh", "dashboard/start.sh"),
        ("bash", "gooddata/provision.sh"),
    ],
)
def test_container_scripts_parse(shell, script):
    path = SETUP / script
    assert shutil.which(shell)
    result = _run([shell, "-n", str(path)], dict(os.environ))
    assert result.returncode == 0, result.stderr
    assert path.read_text().startswith("#!/"), f"{script} has no shebang"


def test_provisioner_fails_clearly_without_a_token(tmp_path):
    env = {
        "PATH": os.environ["PATH"],
        "GOODDATA_HOST": "http://localhost:3000",
        "GOODDATA_TOKEN": "",
        "DATABASE_URL": "postgresql://u:p@postgres/spotify",
    }
    result = _run(["bash", str(SETUP / "gooddata" / "provision.sh")], env)
    assert result.returncode != 0
    assert "GOODDATA_TOKEN is empty: put the GoodData API token in .env" in result.stderr
