"""``spotify-lake gooddata …`` through the real click group (lazily registered in etl/cli.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from etl.cli import cli
from etl.gooddata.layout import LAYOUT_DIR, yaml_files
from tests.gooddata.stub_server import GoodDataStub

CLEAN_ENV = {"GOODDATA_HOST": None, "GOODDATA_TOKEN": None, "DATABASE_URL": None,
             "GOODDATA_WAREHOUSE_URL": None, "GOODDATA_HEADER_HOST": None}


def _run(args: list[str], env: dict | None = None):
    return CliRunner().invoke(cli, ["gooddata", *args], env={**CLEAN_ENV, **(env or {})})


def test_check_passes_on_the_shipped_layout() -> None:
    result = _run(["check"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == (
        "8 datasets, 1 date datasets, 12 metrics, 16 visualisations, 2 dashboards")
    assert "Layout OK" in result.output


@pytest.mark.postgres
def test_check_with_database(warehouse: str) -> None:
    result = _run(["check", "--database-url", warehouse])
    assert result.exit_code == 0, result.output


def test_check_fails_on_a_broken_layout(layout_copy: Path) -> None:
    (layout_copy / "analytics_model/metrics/skips.yaml").unlink()
    result = _run(["check", "--layout", str(layout_copy)])
    assert result.exit_code == 1
    assert "analytics_model/metrics/skip_rate.yaml: MAQL uses {metric/skips}" in result.output
    assert f"Error: 1 problem(s) in {layout_copy}" in result.output


def test_check_on_a_missing_folder_says_what_to_do(tmp_path: Path) -> None:
    result = _run(["check", "--layout", str(tmp_path / "nowhere")])
    assert result.exit_code == 1
    assert f"{tmp_path / 'nowhere' / 'ldm'} does not exist: point --layout at" in result.output


def test_deploy_without_gooddata_host_says_what_to_set() -> None:
    result = _run(["deploy"])
    assert result.exit_code == 1
    assert "Error: GOODDATA_HOST and GOODDATA_TOKEN not set" in result.output


def test_deploy_and_store_against_the_stub(tmp_path: Path) -> None:
    env = {"GOODDATA_HOST": "", "GOODDATA_TOKEN": "t", "SPOTIFY_LAKE_ROOT": str(tmp_path),
           "GOODDATA_WAREHOUSE_URL": "postgresql://gd:pw@postgres:5432/spotify_lake",
           "GOODDATA_HEADER_HOST": "localhost"}
    with GoodDataStub() as stub:
        env["GOODDATA_HOST"] = stub.url
        deployed = _run(["deploy"], env)
        stored = _run(["store", "--layout", str(tmp_path / "pulled")], env)
    assert deployed.exit_code == 0, deployed.output
    assert deployed.output.splitlines()[0] == (
        f"Data source spotify_warehouse created, workspace spotify_lake created at {stub.url}")
    assert stub.requests[1].body["data"]["attributes"]["url"] == (
        "jdbc:postgresql://postgres:5432/spotify_lake")
    assert {r.headers["host"] for r in stub.requests} == {"localhost"}
    assert stored.exit_code == 0, stored.output
    assert yaml_files(tmp_path / "pulled") == yaml_files(LAYOUT_DIR)
