"""Daily / hourly / per-item listening, artist months and first listens (DST-weekend fixture)."""

from __future__ import annotations

import datetime as dt

import pyarrow.parquet as pq
import pytest

from etl.curate import curate_user
from etl.model.keys import stable_id
from tests.etl.fixtures_clean import (
    DST_ZONES,
    dst_weekend,
    reject,
    write_clean,
    write_lake,
    write_manifest,
)

D = dt.date.fromisoformat
ART_A, ART_B = stable_id("Artist A"), stable_id("Artist B")


def U(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


@pytest.fixture
def lake(lake, settings):
    write_lake(lake, "alice", dst_weekend())
    curate_user(lake, "alice", settings.with_(**DST_ZONES))
    return lake


def rows(lake, table: str, cols: list[str]) -> list[tuple]:
    t = pq.read_table(lake.curated_file(table, "alice"), columns=cols)
    return [tuple(r.values()) for r in t.to_pylist()]


def test_daily_listening_is_zero_filled_for_every_day_and_content_type(lake):
    cols = ["local_date", "content_type", "plays", "streams", "skips", "ms_played",
            "distinct_tracks", "distinct_artists"]  # fmt: skip
    zero = (0, 0, 0, 0, 0, 0)
    assert rows(lake, "daily_listening", cols) == [
        (D("2024-03-30"), "music", *zero),
        (D("2024-03-30"), "podcast", 1, 1, 0, 3720000, 1, 1),
        (D("2024-03-30"), "unknown", *zero),
        (D("2024-03-31"), "music", 7, 5, 3, 701000, 4, 2),
        (D("2024-03-31"), "podcast", *zero),
        (D("2024-03-31"), "unknown", *zero),
        (D("2024-04-01"), "music", *zero),  # no play at all that day
        (D("2024-04-01"), "podcast", *zero),
        (D("2024-04-01"), "unknown", *zero),
        (D("2024-04-02"), "music", 1, 1, 0, 240000, 1, 1),
        (D("2024-04-02"), "podcast", *zero),
        (D("2024-04-02"), "unknown", 1, 0, 1, 5000, 0, 0),
    ]  # fmt: skip


def test_hourly_listening_has_local_hours_with_plays(lake):
    cols = ["local_date", "local_hour", "weekday", "content_type", "plays", "ms_played"]
    assert rows(lake, "hourly_listening", cols) == [
        (D("2024-03-30"), 23, 5, "podcast", 1, 3720000),
        (D("2024-03-31"), 0, 6, "music", 1, 180000),
        (D("2024-03-31"), 1, 6, "music", 2, 60000),  # 02:00-03:00 does not exist that night
        (D("2024-03-31"), 3, 6, "music", 1, 200000),
        (D("2024-03-31"), 4, 6, "music", 1, 21000),
        (D("2024-03-31"), 6, 6, "music", 2, 240000),
        (D("2024-04-02"), 10, 1, "music", 1, 240000),
        (D("2024-04-02"), 11, 1, "unknown", 1, 5000),
    ]


def test_daily_item_listening_per_artist_track_album_and_show(lake):
    cols = ["local_date", "item_type", "item_name", "artist_name", "content_type", "plays",
            "streams", "skips", "ms_played"]  # fmt: skip
    got = sorted(rows(lake, "daily_item_listening", cols), key=lambda r: r[:3])
    assert got == [
        (D("2024-03-30"), "show", "The Daily Pod", None, "podcast", 1, 1, 0, 3720000),
        (D("2024-03-31"), "album", "Album A", "Artist A", "music", 3, 3, 1, 440000),
        (D("2024-03-31"), "album", "Album B", "Artist B", "music", 2, 1, 1, 60000),
        (D("2024-03-31"), "artist", "Artist A", "Artist A", "music", 4, 3, 2, 461000),
        (D("2024-03-31"), "artist", "Artist B", "Artist B", "music", 3, 2, 1, 240000),
        (D("2024-03-31"), "track", "Song 1", "Artist A", "music", 3, 2, 1, 261000),
        (D("2024-03-31"), "track", "Song 2", "Artist B", "music", 2, 1, 1, 200000),
        (D("2024-03-31"), "track", "Song 3", "Artist B", "music", 1, 1, 0, 40000),
        (D("2024-03-31"), "track", "Song 4", "Artist A", "music", 1, 1, 1, 200000),
        (D("2024-04-02"), "album", "Album A", "Artist A", "music", 1, 1, 0, 240000),
        (D("2024-04-02"), "artist", "Artist A", "Artist A", "music", 1, 1, 0, 240000),
        (D("2024-04-02"), "track", "Song 1", "Artist A", "music", 1, 1, 0, 240000),
    ]


def test_artist_monthly_ranks_by_minutes_and_marks_new_artists(lake):
    cols = ["month", "artist_id", "artist_name", "plays", "streams", "ms_played", "rank",
            "is_new"]  # fmt: skip
    assert rows(lake, "artist_monthly", cols) == [
        (D("2024-03-01"), ART_A, "Artist A", 4, 3, 461000, 1, True),
        (D("2024-03-01"), ART_B, "Artist B", 3, 2, 240000, 2, True),
        (D("2024-04-01"), ART_A, "Artist A", 1, 1, 240000, 1, False),
    ]


def test_first_listens_of_every_artist_and_track(lake):
    cols = ["subject_type", "subject_name", "artist_name", "first_played_at",
            "first_local_date", "play_id"]  # fmt: skip
    first_day = D("2024-03-31")
    assert rows(lake, "first_listens", cols) == [
        ("artist", "Artist A", "Artist A", U("2024-03-30 23:07"), first_day, "p1"),
        ("track", "Song 1", "Artist A", U("2024-03-30 23:07"), first_day, "p1"),
        ("artist", "Artist B", "Artist B", U("2024-03-31 00:39:40"), first_day, "p2"),
        ("track", "Song 2", "Artist B", U("2024-03-31 00:39:40"), first_day, "p2"),
        ("track", "Song 3", "Artist B", U("2024-03-31 00:59:40"), first_day, "p3"),
        ("track", "Song 4", "Artist A", U("2024-03-31 01:30:20"), first_day, "p4"),
    ]


def test_exports_and_reject_reasons_for_data_health(lake, settings):
    write_manifest(lake, "alice", "bbbbbbbbbbbb", "2024-08-01T09:30:00Z", ("account",), 3, 2)
    write_clean(lake, "alice", "_rejects", [
        reject("Streaming_History_Audio_2024.json", "ts is missing", 4),
        reject("Streaming_History_Audio_2024.json", "ts is missing", 9),
        reject("StreamingHistory0.json", "msPlayed is negative", 1, "bbbbbbbbbbbb"),
    ])  # fmt: skip
    curate_user(lake, "alice", settings)
    cols = ["export_id", "source_name", "received_at", "size_bytes", "member_count", "families",
            "records_read", "rows_clean", "duplicates", "rejects"]  # fmt: skip
    assert rows(lake, "exports", cols) == [
        ("aaaaaaaaaaaa", "aaaaaaaaaaaa.zip", U("2024-07-01 10:00"), 1234, 1, "extended",
         10, 10, 0, 0),
        ("bbbbbbbbbbbb", "bbbbbbbbbbbb.zip", U("2024-08-01 09:30"), 1234, 1, "account", 5, 3, 0, 2),
    ]  # fmt: skip
    assert rows(lake, "reject_reasons", ["export_id", "member", "reason", "record_count"]) == [
        ("aaaaaaaaaaaa", "Streaming_History_Audio_2024.json", "ts is missing", 2),
        ("bbbbbbbbbbbb", "StreamingHistory0.json", "msPlayed is negative", 1),
    ]
