"""Contract tests of deploy/store/refresh_cache against a local HTTP stub of the endpoints
gooddata-sdk calls. The stub is NOT a GoodData server: these tests pin the requests and payloads
we send, not how GoodData would answer them."""

from __future__ import annotations

import logging
import socket
from pathlib import Path

import pytest
import yaml

from etl import config
from etl.gooddata import deploy as provisioning
from etl.gooddata import refresh_cache
from etl.gooddata.layout import LAYOUT_DIR, yaml_files
from tests.gooddata.stub_server import GoodDataStub

DS = "/api/v1/entities/dataSources"
WS = "/api/v1/entities/workspaces"
LAYOUT = "/api/v1/layout/workspaces/spotify_lake"


def _files(part: str) -> list[dict]:
    return [yaml.safe_load(p.read_text()) for p in sorted((LAYOUT_DIR / part).glob("*.yaml"))]


def test_first_deploy_creates_data_source_and_workspace(stub: GoodDataStub, gd_settings) -> None:
    result = provisioning.deploy(gd_settings)
    assert stub.calls() == [
        ("GET", f"{DS}/spotify_warehouse"), ("POST", DS),
        ("GET", f"{WS}/spotify_lake"), ("POST", WS),
        ("PUT", f"{LAYOUT}/logicalModel"), ("PUT", f"{LAYOUT}/analyticsModel"),
    ]
    assert {r.headers["authorization"] for r in stub.requests} == {"Bearer test-token"}
    assert stub.requests[1].body == {"data": {"id": "spotify_warehouse", "type": "dataSource",
        "attributes": {"name": "Spotify Lake warehouse", "type": "POSTGRESQL",
                       "schema": "curated", "url": "jdbc:postgresql://warehouse.internal:5433/"
                       "spotify_lake", "username": "lake", "password": "s3cret-pw"}}}
    assert stub.requests[3].body == {"data": {"id": "spotify_lake", "type": "workspace",
                                              "attributes": {"name": "Spotify Lake"}}}
    assert result == {"host": stub.url, "workspace": "spotify_lake", "data_source": "created",
                      "workspace_outcome": "created", "datasets": 8, "date_datasets": 1,
                      "metrics": 12, "visualisations": 16, "dashboards": 2}


def test_deploy_sends_exactly_the_layout_on_disk(stub: GoodDataStub, gd_settings) -> None:
    provisioning.deploy(gd_settings)
    assert stub.requests[4].body == {"ldm": {"datasets": _files("ldm/datasets"),
                                             "dateInstances": _files("ldm/date_instances")}}
    analytics = stub.requests[5].body["analytics"]
    assert analytics.pop("metrics") == _files("analytics_model/metrics")
    assert analytics.pop("visualizationObjects") == _files(
        "analytics_model/visualization_objects")
    assert analytics.pop("filterContexts") == _files("analytics_model/filter_contexts")
    assert analytics.pop("analyticalDashboards") == _files(
        "analytics_model/analytical_dashboards")
    assert all(value == [] for value in analytics.values()), analytics


def test_second_deploy_updates_instead_of_creating(stub: GoodDataStub, gd_settings) -> None:
    provisioning.deploy(gd_settings)
    first = len(stub.requests)
    result = provisioning.deploy(gd_settings)
    assert stub.calls()[first:] == [
        ("GET", f"{DS}/spotify_warehouse"), ("PUT", f"{DS}/spotify_warehouse"),
        ("GET", f"{WS}/spotify_lake"), ("PUT", f"{WS}/spotify_lake"),
        ("PUT", f"{LAYOUT}/logicalModel"), ("PUT", f"{LAYOUT}/analyticsModel"),
    ]
    assert (result["data_source"], result["workspace_outcome"]) == ("updated", "updated")
    assert stub.requests[first + 1].body == stub.requests[1].body
    assert stub.requests[first + 4].body == stub.requests[4].body
    assert list(stub.data_sources) == ["spotify_warehouse"]
    assert list(stub.workspaces) == ["spotify_lake"]


def test_store_pulls_the_workspace_back_unchanged(stub: GoodDataStub, gd_settings,
                                                  tmp_path: Path) -> None:
    provisioning.deploy(gd_settings)
    first = len(stub.requests)
    result = provisioning.store(gd_settings, tmp_path / "pulled")
    assert stub.calls()[first:] == [("GET", f"{LAYOUT}/logicalModel"),
                                     ("GET", f"{LAYOUT}/analyticsModel")]
    assert stub.requests[-1].query == {"exclude": ["ACTIVITY_INFO"]}
    pulled = yaml_files(tmp_path / "pulled")
    assert pulled == yaml_files(LAYOUT_DIR)
    assert not any("s3cret-pw" in text for text in pulled.values())
    assert result["metrics"] == 12


def test_refresh_cache_posts_an_upload_notification(stub: GoodDataStub, gd_settings) -> None:
    provisioning.deploy(gd_settings)
    first = len(stub.requests)
    assert refresh_cache(gd_settings) == {"status": "refreshed", "host": stub.url,
                                          "data_source": "spotify_warehouse"}
    assert stub.calls()[first:] == [
        ("POST", "/api/v1/actions/dataSources/spotify_warehouse/uploadNotification")]


def test_refresh_cache_without_gooddata_is_a_logged_noop(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = config.load({"SPOTIFY_LAKE_ROOT": str(tmp_path)})
    with caplog.at_level(logging.INFO, logger="etl.gooddata.deploy"):
        assert refresh_cache(settings)["status"] == "skipped"
    assert "GoodData is not configured (GOODDATA_HOST/GOODDATA_TOKEN unset)" in caplog.text


def test_refresh_before_deploy_says_to_deploy(stub: GoodDataStub, gd_settings) -> None:
    with pytest.raises(provisioning.GoodDataError, match="HTTP 404.*gooddata deploy"):
        refresh_cache(gd_settings)


def test_broken_layout_is_refused_before_any_request(stub: GoodDataStub, gd_settings,
                                                     layout_copy: Path) -> None:
    (layout_copy / "analytics_model/metrics/plays.yaml").unlink()
    with pytest.raises(provisioning.GoodDataError, match="problem.*nothing was deployed"):
        provisioning.deploy(gd_settings, layout_copy)
    assert stub.requests == []


def test_rejected_token_is_a_clear_error(gd_settings) -> None:
    with GoodDataStub(fail_status=401) as stub:
        settings = gd_settings.with_(gooddata_host=stub.url)
        with pytest.raises(provisioning.GoodDataError, match="HTTP 401.*check GOODDATA_TOKEN"):
            provisioning.deploy(settings)
        assert stub.calls() == [("GET", f"{DS}/spotify_warehouse")]


def test_unreachable_server_is_a_clear_error(gd_settings) -> None:
    with socket.socket() as sock:  # a port nobody listens on once the socket is closed
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings = gd_settings.with_(gooddata_host=f"http://127.0.0.1:{port}")
    with pytest.raises(provisioning.GoodDataError, match="cannot reach GoodData.*is it running"):
        provisioning.deploy(settings)


@pytest.mark.parametrize(("changes", "message"), [
    ({"gooddata_host": None}, "GOODDATA_HOST not set"),
    ({"gooddata_host": None, "gooddata_token": None}, "GOODDATA_HOST and GOODDATA_TOKEN not set"),
    ({"database_url": None}, "no warehouse URL: set DATABASE_URL"),
    ({"database_url": "sqlite:///lake.db"}, "GoodData reads the PostgreSQL warehouse"),
])
def test_missing_configuration_is_a_clear_error(stub: GoodDataStub, gd_settings,
                                                changes: dict, message: str) -> None:
    with pytest.raises(provisioning.GoodDataError, match=message):
        provisioning.deploy(gd_settings.with_(**changes))
    assert stub.requests == []


def test_warehouse_url_override_and_driver_suffix(stub: GoodDataStub, gd_settings) -> None:
    provisioning.deploy(gd_settings, warehouse_url="postgresql+psycopg://gd:pw@postgres/lake")
    attributes = stub.requests[1].body["data"]["attributes"]
    assert (attributes["url"], attributes["username"], attributes["password"]) == (
        "jdbc:postgresql://postgres:5432/lake", "gd", "pw")


def test_header_host_is_sent_for_gooddata_ce(stub: GoodDataStub, gd_settings) -> None:
    provisioning.deploy(gd_settings, header_host="localhost")
    assert {r.headers["host"] for r in stub.requests} == {"localhost"}
