"""fact_streams, sessions and the dimensions on the DST-weekend fixture, row by row.

Berlin switches to summer time at 2024-03-31 01:00 UTC (02:00 CET → 03:00 CEST); US plays are
in New York (EDT, UTC−4, since 2024-03-10). Expected values are worked out by hand.
"""

from __future__ import annotations

import datetime as dt

import pyarrow.parquet as pq
import pytest

from etl.curate import curate_user
from etl.model.keys import derived_id, stable_id
from tests.etl.fixtures_clean import DST_ZONES, IPHONE, PIXEL, SHIELD, WEB, dst_weekend, write_lake

L = dt.datetime.fromisoformat  # naive local wall-clock time
D = dt.date.fromisoformat


def U(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


SONG1, SONG2 = stable_id("Artist A", "Song 1"), stable_id("Artist B", "Song 2")
SONG3, SONG4 = stable_id("Artist B", "Song 3"), stable_id("Artist A", "Song 4")
ART_A, ART_B = stable_id("Artist A"), stable_id("Artist B")
ALB_A, ALB_B = stable_id("Artist A", "Album A"), stable_id("Artist B", "Album B")
S = {p: derived_id("session", p) for p in ("p1", "p2", "p4", "p6", "p10", "p9")}


@pytest.fixture
def lake(lake, settings):
    write_lake(lake, "alice", dst_weekend())
    counts = curate_user(lake, "alice", settings.with_(**DST_ZONES))
    assert counts["fact_streams"] == 10
    return lake


def rows(lake, table: str, cols: list[str]) -> list[tuple]:
    t = pq.read_table(lake.curated_file(table, "alice"), columns=cols)
    return [tuple(r.values()) for r in t.to_pylist()]


def test_local_time_is_dst_correct_per_play_zone(lake):
    # rows are in clean order: by end, then play id (p6 ends after p7 and p8)
    cols = ["play_id", "started_at_local", "ended_at_local", "local_date", "local_hour",
            "weekday", "time_zone"]  # fmt: skip
    berlin, new_york = "Europe/Berlin", "America/New_York"
    assert rows(lake, "fact_streams", cols) == [
        ("p1", L("2024-03-31 00:07"), L("2024-03-31 00:10"), D("2024-03-31"), 0, 6, berlin),
        ("p2", L("2024-03-31 01:39:40"), L("2024-03-31 01:40"), D("2024-03-31"), 1, 6, berlin),
        # starts in CET, ends in CEST: 40 s of play span the skipped hour
        ("p3", L("2024-03-31 01:59:40"), L("2024-03-31 03:00:20"), D("2024-03-31"), 1, 6, berlin),
        ("p4", L("2024-03-31 03:30:20"), L("2024-03-31 03:33:40"), D("2024-03-31"), 3, 6, berlin),
        # account data has no country: the default zone
        ("p5", L("2024-03-31 04:03:39"), L("2024-03-31 04:04"), D("2024-03-31"), 4, 6, berlin),
        ("p7", L("2024-03-31 06:00"), L("2024-03-31 06:01"), D("2024-03-31"), 6, 6, berlin),
        ("p8", L("2024-03-31 06:45"), L("2024-03-31 06:48"), D("2024-03-31"), 6, 6, berlin),
        # a US play: the evening before in New York (a Saturday)
        ("p6", L("2024-03-30 23:58"), L("2024-03-31 01:00"), D("2024-03-30"), 23, 5, new_york),
        ("p10", L("2024-04-02 10:56"), L("2024-04-02 11:00"), D("2024-04-02"), 10, 1, berlin),
        ("p9", L("2024-04-02 11:59:55"), L("2024-04-02 12:00"), D("2024-04-02"), 11, 1, berlin),
    ]  # fmt: skip


def test_keys_flags_skips_and_sessions(lake):
    cols = ["play_id", "track_id", "artist_id", "album_id", "episode_id", "show_id",
            "is_stream", "is_skipped", "skip_basis", "session_id", "ms_played",
            "minutes_played"]  # fmt: skip
    ep, show = stable_id("The Daily Pod", "Ep 1"), stable_id("The Daily Pod")
    assert rows(lake, "fact_streams", cols) == [
        ("p1", SONG1, ART_A, ALB_A, None, None, True, False, "flag", S["p1"], 180000, 3.0),
        # skips by each basis: reason (fwdbtn < 30 s), flag, duration (account data)
        ("p2", SONG2, ART_B, ALB_B, None, None, False, True, "reason", S["p2"], 20000, 1 / 3),
        ("p3", SONG3, ART_B, ALB_B, None, None, True, False, "flag", S["p2"], 40000, 2 / 3),
        ("p4", SONG4, ART_A, ALB_A, None, None, True, True, "flag", S["p4"], 200000, 10 / 3),
        ("p5", SONG1, ART_A, None, None, None, False, True, "duration", S["p4"], 21000, 0.35),
        # "ARTIST A" is the same artist, so the same track
        ("p7", SONG1, ART_A, ALB_A, None, None, True, False, "flag", S["p6"], 60000, 1.0),
        ("p8", SONG2, ART_B, None, None, None, True, False, "flag", S["p6"], 180000, 3.0),
        ("p6", None, None, None, ep, show, True, False, "reason", S["p6"], 3720000, 62.0),
        ("p10", SONG1, ART_A, ALB_A, None, None, True, False, "flag", S["p10"], 240000, 4.0),
        ("p9", None, None, None, None, None, False, True, "duration", S["p9"], 5000, 5000 / 60000),
    ]  # fmt: skip


def test_platform_ids_and_families(lake):
    pid = {p: stable_id(p) for p in (PIXEL, IPHONE, WEB, SHIELD, "cast")}
    assert [r[1] for r in rows(lake, "fact_streams", ["play_id", "platform_id"])] == [
        pid[PIXEL], pid[PIXEL], pid[IPHONE], pid[IPHONE], None, pid[WEB], None, pid["cast"],
        pid[PIXEL], pid[SHIELD],
    ]  # fmt: skip
    got = rows(lake, "dim_platforms", ["platform", "platform_family", "plays", "ms_played"])
    assert sorted(got) == [
        (SHIELD, "tv", 1, 5000),  # a TV before its Android
        (PIXEL, "android", 3, 440000),
        ("cast", "cast", 1, 3720000),
        (IPHONE, "ios", 2, 240000),
        (WEB, "web", 1, 60000),
    ]


def test_sessions_split_at_30_minutes_from_the_latest_end(lake):
    cols = ["session_id", "started_at", "ended_at", "started_at_local", "local_date", "plays",
            "streams", "skips", "ms_played", "duration_minutes", "distinct_tracks",
            "top_artist_name"]  # fmt: skip
    assert rows(lake, "sessions", cols) == [
        (S["p1"], U("2024-03-30 23:07"), U("2024-03-30 23:10"), L("2024-03-31 00:07"),
         D("2024-03-31"), 1, 1, 0, 180000, 3.0, 1, "Artist A"),
        (S["p2"], U("2024-03-31 00:39:40"), U("2024-03-31 01:00:20"), L("2024-03-31 01:39:40"),
         D("2024-03-31"), 2, 1, 1, 60000, 1240 / 60, 1, "Artist B"),
        # p4 starts exactly 30:00 after p3 ends (new session); p5 29:59 after p4 (same)
        (S["p4"], U("2024-03-31 01:30:20"), U("2024-03-31 02:04"), L("2024-03-31 03:30:20"),
         D("2024-03-31"), 2, 1, 2, 221000, 2020 / 60, 1, "Artist A"),
        # p8 starts 44 min after p7 ended, while p6 still played: one session
        (S["p6"], U("2024-03-31 03:58"), U("2024-03-31 05:00"), L("2024-03-30 23:58"),
         D("2024-03-30"), 3, 3, 0, 3960000, 62.0, 3, "The Daily Pod"),
        (S["p10"], U("2024-04-02 08:56"), U("2024-04-02 09:00"), L("2024-04-02 10:56"),
         D("2024-04-02"), 1, 1, 0, 240000, 4.0, 1, "Artist A"),
        (S["p9"], U("2024-04-02 09:59:55"), U("2024-04-02 10:00"), L("2024-04-02 11:59:55"),
         D("2024-04-02"), 1, 0, 1, 5000, 5 / 60, 0, None),
    ]  # fmt: skip


def test_dimensions_keep_the_most_common_spelling_and_stats(lake):
    stats = ["first_played_at", "last_played_at", "plays", "streams", "skips", "ms_played"]
    assert rows(lake, "dim_artists", ["artist_id", "artist_name", *stats, "track_count"]) == [
        (ART_B, "Artist B", U("2024-03-31 00:39:40"), U("2024-03-31 04:45"), 3, 2, 1, 240000, 2),
        # "Artist A" ×4 beats "ARTIST A" ×1 (which sorts first)
        (ART_A, "Artist A", U("2024-03-30 23:07"), U("2024-04-02 08:56"), 5, 4, 2, 701000, 2),
    ]  # fmt: skip
    cols = ["track_id", "track_name", "artist_id", "artist_name", "album_id", "album_name",
            "track_uri", "plays", "streams", "skips", "ms_played"]  # fmt: skip
    assert rows(lake, "dim_tracks", cols) == sorted([
        (SONG1, "Song 1", ART_A, "Artist A", ALB_A, "Album A", "spotify:track:1", 4, 3, 1, 501000),
        (SONG2, "Song 2", ART_B, "Artist B", ALB_B, "Album B", None, 2, 1, 1, 200000),
        (SONG3, "Song 3", ART_B, "Artist B", ALB_B, "Album B", None, 1, 1, 0, 40000),
        (SONG4, "Song 4", ART_A, "Artist A", ALB_A, "Album A", None, 1, 1, 1, 200000),
    ])  # fmt: skip
    cols = ["album_id", "album_name", "artist_name", "plays", "streams", "ms_played", "track_count"]
    assert sorted(rows(lake, "dim_albums", cols)) == sorted([
        (ALB_A, "Album A", "Artist A", 4, 4, 680000, 2),
        (ALB_B, "Album B", "Artist B", 2, 1, 60000, 2),
    ])  # fmt: skip
    cols = ["episode_name", "show_id", "show_name", "content_type", "plays", "ms_played"]
    assert rows(lake, "dim_episodes", cols) == [
        ("Ep 1", stable_id("The Daily Pod"), "The Daily Pod", "podcast", 1, 3720000)
    ]


def test_changing_the_time_zone_recomputes_local_columns(lake, settings):
    curate_user(lake, "alice", settings)  # UTC
    got = rows(lake, "fact_streams", ["play_id", "started_at_local", "local_date", "time_zone"])
    assert got[0] == ("p1", L("2024-03-30 23:07"), D("2024-03-30"), "UTC")
    assert {r[3] for r in got} == {"UTC"}
