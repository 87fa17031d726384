"""Fixtures for the Airflow tests (helpers live in ``airflow_harness.py``)."""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from tests.dags.airflow_harness import BIN, airflow_env

# Importing airflow in pytest itself (etl.airflow_support does) creates $AIRFLOW_HOME/logs:
# keep that out of the developer's ~/airflow.
if "AIRFLOW_HOME" not in os.environ:
    os.environ["AIRFLOW_HOME"] = tempfile.mkdtemp(prefix="spotify-lake-airflow-")
    atexit.register(shutil.rmtree, os.environ["AIRFLOW_HOME"], True)


@pytest.fixture(scope="session")
def airflow_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An AIRFLOW_HOME with a freshly migrated SQLite metadata DB, shared by the session."""
    home = tmp_path_factory.mktemp("airflow_home")
    cmd = ["timeout", "-k", "10", "180", str(BIN / "airflow"), "db", "migrate"]
    proc = subprocess.run(cmd, env=airflow_env(home), capture_output=True, text=True)
    if proc.returncode:
        pytest.fail(f"airflow db migrate failed ({proc.returncode}):\n{proc.stderr[-4000:]}")
    return home
