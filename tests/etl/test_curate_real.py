"""Two real exports end to end: ingest → curate → checks (reconciliation included)."""

from __future__ import annotations

import pyarrow.parquet as pq

from etl.checks import check_curated
from etl.curate import curate_user
from etl.curated_schemas import CURATED
from etl.pipeline import ingest_export


def _rows(lake, table: str, user: str) -> list[dict]:
    return pq.read_table(lake.curated_file(table, user)).to_pylist()


def test_real_exports_curate_and_pass_every_check(real_exports, lake, settings):
    # acct-02: account data whose playlist items have no added date; both-04: no playlists,
    # account music plus extended video rows
    for person in ("acct-02", "both-04"):
        result = ingest_export(real_exports / person, person, settings)
        assert result["status"] == "ingested", result["message"]
        counts = curate_user(lake, person, settings)
        report = check_curated(lake, person).raise_for_failures()
        assert report.as_dict()["failed"] == 0
        assert counts["fact_streams"] == result["clean_rows"]["streams"] > 1000
        first = {t: lake.curated_file(t, person).read_bytes() for t in CURATED}
        curate_user(lake, person, settings)
        assert {t: lake.curated_file(t, person).read_bytes() for t in CURATED} == first
        (export,) = _rows(lake, "exports", person)
        assert export["export_id"] == result["export_id"]

    stats = _rows(lake, "playlist_track_stats", "acct-02")
    assert stats and all(r["added_date"] is None for r in stats)
    reasons = [r["reason"] for r in _rows(lake, "playlist_recommendations", "acct-02")]
    assert reasons and all(r.startswith("In the playlist for at least ") for r in reasons)
    assert _rows(lake, "playlists", "both-04") == []
