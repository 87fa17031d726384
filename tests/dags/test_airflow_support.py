"""The small pure helpers the DAG tasks use (the Airflow-backed ones run in test_dag_runs)."""

from __future__ import annotations

import sys
from types import SimpleNamespace

import pytest

from etl import airflow_support as af
from etl.paths import Lake


def test_connection_url_quotes_credentials_and_defaults_the_rest() -> None:
    assert (
        af.connection_url("lake", "p@ss/w:rd", "db.local", 5433, "spotify")
        == "postgresql://lake:p%40ss%2Fw%3Ard@db.local:5433/spotify"
    )
    assert af.connection_url(None, None, None, None, None) == "postgresql://localhost/postgres"
    assert af.connection_url("postgres", None, "127.0.0.1", None, "x") == (
        "postgresql://postgres@127.0.0.1/x"
    )


def test_input_label_names_the_file_or_the_loose_files() -> None:
    assert af.input_label({"path": "/lake/landing/alice/my_data.zip", "user": "alice"}) == (
        "my_data.zip"
    )
    assert af.input_label({"path": "/lake/landing", "files": ["endsong_0.json"]}) == (
        "endsong_0.json"
    )
    assert af.input_label({"path": "/lake/landing/bob", "files": ["a.json", "b.json"]}) == (
        "2 JSON files in bob/"
    )


def test_ingest_outcome_keeps_ids_status_and_message_only() -> None:
    item = {"path": "/l/landing/a.zip", "user": "me"}
    result = {
        "status": "ingested",
        "user": "me",
        "export_id": "abc123def456",
        "message": "a.zip: ingested",
        "totals": {"rows": 5},
        "clean_rows": {"streams": 5},
    }
    assert af.ingest_outcome(item, result) == {
        "path": "/l/landing/a.zip",
        "status": "ingested",
        "ingested_users": ["me"],
        "export_ids": ["abc123def456"],
        "message": "a.zip: ingested",
    }


def test_a_batch_with_one_rejected_part_is_rejected() -> None:
    parts = [
        {"status": "ingested", "user": "me", "export_id": "e1", "message": "x.zip: ingested"},
        {"status": "rejected", "user": "me", "export_id": None, "message": "y.zip: not a zip"},
    ]
    outcome = af.ingest_outcome({"path": "/l"}, {"status": "batch", "results": parts})
    assert outcome["status"] == "rejected"
    assert outcome["ingested_users"] == ["me"]
    assert outcome["message"] == "x.zip: ingested; y.zip: not a zip"


def test_skipped_stays_skipped() -> None:
    result = {"status": "skipped", "user": "me", "export_id": "e1", "message": "already there"}
    outcome = af.ingest_outcome({"path": "/l/a.zip"}, result)
    assert (outcome["status"], outcome["ingested_users"]) == ("skipped", [])


def test_event_users_merges_the_users_of_all_events() -> None:
    events = [
        SimpleNamespace(extra={"users": ["bob", "alice"]}),
        SimpleNamespace(extra={}),
        SimpleNamespace(extra={"users": ["alice"]}),
    ]
    assert af.event_users(events) == ["alice", "bob"]
    assert af.event_users([]) == []


def test_gooddata_refresher_is_the_gooddata_module_function() -> None:
    from etl import gooddata

    assert af.gooddata_refresher() is gooddata.refresh_cache


def test_gooddata_refresher_is_none_without_the_module(monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "etl.gooddata", None)
    assert af.gooddata_refresher() is None


def test_choose_users_param_then_triggering_events_then_everyone(settings) -> None:
    for user in ("bob", "alice"):
        settings.lake_root.joinpath("raw", f"user={user}").mkdir(parents=True)
    events = {"asset": [SimpleNamespace(extra={"users": ["bob"]})]}
    assert af.choose_users({"user": "alice"}, events, settings) == (["alice"], "the user param")
    assert af.choose_users({}, events, settings) == (["bob"], "named by the triggering ingest")
    everyone = (["alice", "bob"], f"every user with data in {settings.lake_root}")
    assert af.choose_users({"full_refresh": True}, events, settings) == everyone
    assert af.choose_users({}, {}, settings) == everyone
    assert af.choose_users({}, None, settings) == everyone


def test_choose_users_refuses_a_user_without_data(settings) -> None:
    from airflow.sdk.exceptions import AirflowFailException

    settings.lake_root.joinpath("raw", "user=alice").mkdir(parents=True)
    with pytest.raises(AirflowFailException, match=r"user 'carol' has no data .*: alice\)"):
        af.choose_users({"user": "carol"}, None, settings)


def test_landing_sensor_waits_for_new_inputs_and_leaves_them_alone(
    settings, monkeypatch, tmp_path
) -> None:
    lake = Lake(settings.lake_root)
    monkeypatch.setenv("SPOTIFY_LAKE_ROOT", str(tmp_path / "elsewhere"))
    monkeypatch.setenv("AIRFLOW_VAR_SPOTIFY_LAKE_ROOT", str(lake.root))  # the Variable wins
    for done in (lake.processed / "old.zip", lake.rejected / "bad.zip"):
        done.parent.mkdir(parents=True, exist_ok=True)
        done.write_bytes(b"PK")
    sensor = af.LandingSensor(task_id="wait_for_exports")
    assert sensor.poke({}).is_done is False

    new = lake.landing / "alice" / "my_spotify_data.zip"
    new.parent.mkdir()
    new.write_bytes(b"PK")
    poke = sensor.poke({})
    assert (poke.is_done, poke.xcom_value) == (True, [{"path": str(new), "user": "alice"}])
    assert new.read_bytes() == b"PK"
