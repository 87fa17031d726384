"""Quality checks: pass on a good build, and name the check and the value when one breaks."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from etl.checks import QualityCheckError, check_curated, curated_totals, reconcile
from etl.curate import curate_user
from tests.etl.fixtures_clean import DST_ZONES, dst_weekend, write_clean, write_lake


@pytest.fixture
def lake(lake, settings):
    write_lake(lake, "alice", dst_weekend())
    curate_user(lake, "alice", settings.with_(**DST_ZONES))
    return lake


def _rewrite(lake, table: str, change) -> None:
    path = lake.curated_file(table, "alice")
    pq.write_table(change(pq.read_table(path)), path)


def _set(table: pa.Table, col: str, row: int, value) -> pa.Table:
    values = table[col].to_pylist()
    values[row] = value
    i = table.schema.get_field_index(col)
    return table.set_column(i, table.schema.field(i), pa.array(values, table.schema.field(i).type))


def test_a_good_build_passes_every_check(lake):
    report = check_curated(lake, "alice")
    assert report.failures == []
    summary = report.raise_for_failures().as_dict()
    assert summary["failed"] == 0 and summary["passed"] == summary["checks"] > 150


def test_a_broken_fact_key_names_the_relationship_and_the_value(lake):
    _rewrite(lake, "fact_streams", lambda t: _set(t, "track_id", 0, "deadbeefdeadbeef"))
    report = check_curated(lake, "alice")
    assert [(f.check, f.target, f.message) for f in report.failures] == [
        ("relationships", "fact_streams.track_id -> dim_tracks.track_id",
         "1 key(s) missing in dim_tracks (e.g. 'deadbeefdeadbeef')"),
    ]  # fmt: skip
    with pytest.raises(QualityCheckError) as err:
        report.raise_for_failures()
    assert str(err.value) == (
        f"1 of {len(report.results)} quality checks failed for user 'alice':\n  relationships "
        "fact_streams.track_id -> dim_tracks.track_id: 1 key(s) missing in dim_tracks "
        "(e.g. 'deadbeefdeadbeef')"
    )


def test_duplicates_nulls_and_unknown_values_are_reported(lake):
    def corrupt(t: pa.Table) -> pa.Table:
        t = _set(t, "play_id", 1, "p1")  # p1 twice
        t = _set(t, "content_type", 2, "musik")
        return _set(t, "session_id", 3, None)

    _rewrite(lake, "fact_streams", corrupt)
    got = {(f.check, f.target): f.message for f in check_curated(lake, "alice").failures}
    assert got[("unique", "fact_streams(play_id)")] == "1 duplicated key(s) (e.g. 'p1')"
    assert got[("accepted_values", "fact_streams.content_type")] == (
        "1 value(s) not accepted (e.g. 'musik')"
    )
    assert got[("not_null", "fact_streams.session_id")] == "1 null value(s)"
    # the lost play p2 no longer matches first_listens, whose p2 row now points nowhere
    assert got[("relationships", "first_listens.play_id -> fact_streams.play_id")] == (
        "1 key(s) missing in fact_streams (e.g. 'p2')"
    )
    assert len(got) == 4


def test_reconciliation_compares_clean_with_facts_and_aggregates(lake):
    clean = pq.read_table(lake.clean_file("streams", "alice"))
    keep = pc.not_equal(clean["play_id"], "p6")
    write_clean(lake, "alice", "streams", clean.filter(keep).to_pylist())
    got = {f.target: f.message for f in check_curated(lake, "alice").failures}
    assert got == {
        f"clean streams vs {table} {key}": f"expected {want}, found {found}"
        for table in ("fact_streams", "daily_listening", "hourly_listening", "sessions")
        for key, want, found in (("plays", 9, 10), ("ms_played", 946000, 4666000))
    }


def test_a_missing_table_says_what_to_do(lake):
    lake.curated_file("sessions", "alice").unlink()
    (failure,) = check_curated(lake, "alice").failures
    assert (failure.check, failure.target) == ("exists", "sessions")
    assert "is missing: run `spotify-lake rebuild`" in failure.message


def test_reconcile_for_the_warehouse(lake):
    totals = curated_totals(lake, "alice")
    assert totals["fact_streams"] == 10 and totals["fact_streams.ms_played"] == 4666000
    assert "dim_date" not in totals
    assert reconcile(totals, dict(totals), "warehouse duckdb").passed
    loaded = {**totals, "sessions": 5}
    with pytest.raises(QualityCheckError, match="sessions: expected 6, found 5"):
        reconcile(totals, loaded, "warehouse postgresql")
    report = reconcile(totals, loaded, "warehouse postgresql", raise_on_failure=False)
    assert report.as_dict()["failures"] == [
        {"check": "reconciliation", "target": "sessions", "message": "expected 6, found 5"}
    ]
