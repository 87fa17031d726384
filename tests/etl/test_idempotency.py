"""Idempotency: the same export twice, overlapping exports, and rebuild from raw alone."""

from __future__ import annotations

import hashlib
import shutil
import time

import pyarrow.parquet as pq

from etl import schemas
from etl.ingest import ingest_one
from etl.intake import scan_landing
from etl.paths import Lake
from etl.pipeline import ingest_export
from etl.rebuild import rebuild_user
from tests.etl.conftest import zip_folder, zip_members


def _clean_digests(lake: Lake, user: str) -> dict[str, str]:
    return {
        t: hashlib.sha256(lake.clean_file(t, user).read_bytes()).hexdigest() for t in schemas.CLEAN
    }


def test_same_export_twice_changes_nothing(real_exports, settings, tmp_path):
    lake = Lake(settings.lake_root)
    zipped = zip_folder(real_exports / "both-02", tmp_path / "export.zip")
    first = ingest_export(zipped, "me", settings)
    before = _clean_digests(lake, "me")
    mtimes = {p: p.stat().st_mtime_ns for p in lake.clean.rglob("*.parquet")}
    time.sleep(0.01)
    second = ingest_export(zipped, "me", settings)
    assert second["status"] == "skipped"
    assert second["message"] == (
        f"export.zip: already ingested as export {first['export_id']}; nothing to do"
    )
    assert _clean_digests(lake, "me") == before
    assert {p: p.stat().st_mtime_ns for p in lake.clean.rglob("*.parquet")} == mtimes


def test_rebuild_recreates_identical_bytes(real_exports, settings):
    lake = Lake(settings.lake_root)
    for person in ("acct-03", "both-05"):
        ingest_export(real_exports / person, "me", settings)
    before = _clean_digests(lake, "me")
    shutil.rmtree(lake.clean)
    counts = rebuild_user(lake, "me")
    assert _clean_digests(lake, "me") == before
    assert counts["streams"] == pq.read_metadata(lake.clean_file("streams", "me")).num_rows


def test_order_of_overlapping_exports_does_not_matter(real_exports, tmp_path):
    """Account then extended, or extended then account: the same clean bytes."""
    from etl import config

    digests = []
    for order in (("acct", "ext"), ("ext", "acct")):
        settings = config.load({"SPOTIFY_LAKE_ROOT": str(tmp_path / "-".join(order))})
        lake = Lake(settings.lake_root)
        for part in order:
            folder = real_exports / "both-01"
            sub = "Spotify Account Data" if part == "acct" else "Spotify Extended Streaming History"
            zipped = zip_folder(folder / sub, tmp_path / f"{part}-{'-'.join(order)}.zip")
            assert ingest_export(zipped, "me", settings)["status"] == "ingested"
        digests.append(_clean_digests(lake, "me"))
    assert digests[0] == digests[1]


def test_overlapping_account_exports_never_double_count(settings, landing):
    year1 = [
        {"endTime": "2023-01-01 10:00", "artistName": "A", "trackName": "T", "msPlayed": 200000},
        {"endTime": "2023-06-01 10:00", "artistName": "B", "trackName": "U", "msPlayed": 100000},
    ]
    year2 = year1[1:] + [
        {"endTime": "2023-12-01 10:00", "artistName": "C", "trackName": "V", "msPlayed": 50000},
    ]
    zip_members(landing / "2023-06.zip", {"MyData/StreamingHistory0.json": year1})
    zip_members(landing / "2023-12.zip", {"MyData/StreamingHistory0.json": year2})
    lake = Lake(settings.lake_root)
    results = [ingest_one(i, settings) for i in scan_landing(lake, settings)]
    assert [r["status"] for r in results] == ["ingested", "ingested"]
    streams = pq.read_table(lake.clean_file("streams", "me")).to_pylist()
    assert [(r["track_name"], len(r["sources"])) for r in streams] == [("T", 1), ("U", 2), ("V", 1)]
    ids = sorted(r["export_id"] for r in results)
    assert streams[1]["sources"] == ids


def test_account_play_merges_into_extended_play_keeping_extended_values(settings, landing):
    extended = [
        {
            "ts": "2024-02-01T08:15:42Z",
            "platform": "android",
            "ms_played": 180000,
            "conn_country": "FR",
            "ip_addr": "192.0.2.5",
            "master_metadata_track_name": "osmanthus (feat. Ado)",
            "master_metadata_album_artist_name": "Artist",
            "master_metadata_album_album_name": "X",
            "spotify_track_uri": "spotify:track:o",
            "episode_name": None,
            "episode_show_name": None,
            "spotify_episode_uri": None,
            "reason_start": "clickrow",
            "reason_end": "trackdone",
            "shuffle": False,
            "skipped": False,
            "offline": False,
            "offline_timestamp": None,
            "incognito_mode": False,
        },
        {
            "ts": "2024-02-01T08:20:00Z",
            "platform": "android",
            "ms_played": 240000,
            "conn_country": "FR",
            "ip_addr": "192.0.2.5",
            "master_metadata_track_name": "Other",
            "master_metadata_album_artist_name": "Artist",
            "master_metadata_album_album_name": "X",
            "spotify_track_uri": "spotify:track:p",
            "episode_name": None,
            "episode_show_name": None,
            "spotify_episode_uri": None,
            "reason_start": "trackdone",
            "reason_end": "trackdone",
            "shuffle": False,
            "skipped": False,
            "offline": False,
            "offline_timestamp": None,
            "incognito_mode": False,
        },
    ]
    account = [
        # drifted name: only (minute, ms) ties it to the first extended play
        {
            "endTime": "2024-02-01 08:15",
            "artistName": "Artist",
            "trackName": "osmanthus",
            "msPlayed": 180000,
        },
        {
            "endTime": "2024-02-01 08:20",
            "artistName": " Artist",
            "trackName": "Other ",
            "msPlayed": 240000,
        },
        {
            "endTime": "2024-02-01 09:00",
            "artistName": "Artist",
            "trackName": "Account only",
            "msPlayed": 1000,
        },
    ]
    zip_members(
        landing / "ext.zip",
        {"Spotify Extended Streaming History/Streaming_History_Audio_2024.json": extended},
    )
    zip_members(
        landing / "acct.zip", {"Spotify Account Data/StreamingHistory_music_0.json": account}
    )
    lake = Lake(settings.lake_root)
    for inp in scan_landing(lake, settings):
        ingest_one(inp, settings)
    rows = pq.read_table(lake.clean_file("streams", "me")).to_pylist()
    assert [
        (r["track_name"], r["record_family"], r["precision"], len(r["sources"])) for r in rows
    ] == [
        ("osmanthus (feat. Ado)", "extended", "second", 2),
        ("Other", "extended", "second", 2),
        ("Account only", "account", "minute", 1),
    ]
    assert rows[0]["platform"] == "android" and rows[0]["country_code"] == "FR"
