"""Playlists, their items, per-track play/skip rates and removal candidates with reasons.

As of 2024-06-30 (the last play). "Road trip" has 5 tracks (too few for a bottom decile);
"Big list" has 10 tracks added 365 days ago, nine of them streamed in June.
"""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from etl.curate import curate_user
from etl.model.keys import stable_id
from etl.model.playlists import latest_export
from tests.etl.fixtures_clean import playlist_item, song, write_lake, write_manifest

D = dt.date.fromisoformat
OLD, NEW = "111111111111", "222222222222"


def U(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


def _daily(prefix: str, artist: str, track: str, first: str, days: int, ms=200_000, hour=12):
    start = D(first)
    return [
        song(f"{prefix}{k}", f"{start + dt.timedelta(days=k)} {hour:02d}:00:00", ms, artist, track)
        for k in range(days)
    ]


def plays() -> list[dict]:
    rows = _daily("keep", "Artist A", "Keep 1", "2024-06-01", 20)
    rows.append(song("dusty", "2023-12-13 12:00:00", 200_000, "Artist B", "Dusty"))
    rows.append(song("sk0", "2024-02-20 12:00:00", 200_000, "Artist C", "Skippy"))  # before add
    rows += _daily("sk", "Artist C", "Skippy", "2024-04-10", 3, ms=10_000)  # 3 skips
    for row in rows[-3:]:
        row.update(is_skipped=True, skip_basis="duration")
    rows.append(song("sk9", "2024-05-01 12:00:00", 180_000, "Artist C", "Skippy"))
    for n in range(9):
        rows += _daily(f"hit{n}_", f"Artist {n}", f"Hit {n}", "2024-06-01", 10 + n, hour=13 + n)
    rows += _daily("rare", "Artist R", "Rare one", "2023-07-10", 9, hour=8)
    rows.append(song("last", "2024-06-30 20:00:00", 200_000, "Artist Z", "Closer"))
    return rows


def items() -> list[dict]:
    road = dict(export_id=NEW, modified="2024-01-01")
    big = dict(export_id=NEW, modified="2024-01-01", added="2023-07-01")
    return [
        playlist_item("Old list", 0, export_id=OLD, track_name="Gone", artist_name="Artist A"),
        playlist_item("Road trip", 0, added="2023-01-01", track_name="Keep 1",
                      artist_name="Artist A", album_name="Keepers", **road),
        playlist_item("Road trip", 1, added="2023-05-17", track_name="Dusty",
                      artist_name="Artist B", **road),
        playlist_item("Road trip", 2, added="2024-03-01", track_name="Skippy",
                      artist_name="Artist C", **road),
        playlist_item("Road trip", 3, added="2024-06-01", track_name="Fresh",
                      artist_name="Artist D", **road),
        playlist_item("Road trip", 4, track_name="Never", artist_name="Artist E", **road),
        playlist_item("Road trip", 5, item_type="episode", show_name="The Daily Pod",
                      episode_name="Ep 9", added="2024-02-02", **road),
        playlist_item("Road trip", 6, item_type="local", local_uri="spotify:local:x", **road),
        *[playlist_item("Big list", n, track_name=f"Hit {n}", artist_name=f"Artist {n}", **big)
          for n in range(9)],
        playlist_item("Big list", 9, track_name="Rare one", artist_name="Artist R", **big),
    ]  # fmt: skip


@pytest.fixture
def lake(lake, settings):
    write_manifest(lake, "alice", OLD, "2024-03-01T08:00:00Z")
    write_manifest(lake, "alice", NEW, "2024-07-01T08:00:00Z")
    write_lake(lake, "alice", plays(), playlist_items=items())
    curate_user(lake, "alice", settings)
    return lake


def rows(lake, table: str, cols: list[str]) -> list[tuple]:
    t = pq.read_table(lake.curated_file(table, "alice"), columns=cols)
    return [tuple(r.values()) for r in t.to_pylist()]


def test_playlists_come_from_the_latest_export_only(lake):
    cols = ["playlist_id", "playlist_name", "last_modified_date", "item_count", "track_count",
            "export_id"]  # fmt: skip
    assert rows(lake, "playlists", cols) == [
        ("Big list", "Big list", D("2024-01-01"), 10, 10, NEW),
        ("Road trip", "Road trip", D("2024-01-01"), 7, 5, NEW),
    ]


def test_playlist_items_carry_the_play_keys(lake):
    cols = ["position", "item_type", "track_id", "episode_id", "show_name", "local_uri",
            "added_date"]  # fmt: skip
    got = [r[1:] for r in rows(lake, "fact_playlist_items", ["playlist_id", *cols])]
    assert got[10:] == [
        (0, "track", stable_id("Artist A", "Keep 1"), None, None, None, D("2023-01-01")),
        (1, "track", stable_id("Artist B", "Dusty"), None, None, None, D("2023-05-17")),
        (2, "track", stable_id("Artist C", "Skippy"), None, None, None, D("2024-03-01")),
        (3, "track", stable_id("Artist D", "Fresh"), None, None, None, D("2024-06-01")),
        (4, "track", stable_id("Artist E", "Never"), None, None, None, None),
        (5, "episode", None, stable_id("The Daily Pod", "Ep 9"), "The Daily Pod", None,
         D("2024-02-02")),
        (6, "local", None, None, None, "spotify:local:x", None),
    ]  # fmt: skip
    # tracks only in a playlist are still in the dimension, with no plays
    dim = {r[0]: r[1:] for r in rows(lake, "dim_tracks", ["track_name", "album_name", "plays"])}
    assert dim["Fresh"] == (None, 0) and dim["Keep 1"] == ("Keepers", 20)


def test_play_and_skip_rates_since_each_track_was_added(lake):
    cols = ["position", "track_name", "added_date", "as_of_date", "days_in_playlist", "starts",
            "streams", "skips", "skip_rate", "play_rate_30d", "last_played_at",
            "days_since_last_play", "is_removal_candidate"]  # fmt: skip
    got = [r[1:] for r in rows(lake, "playlist_track_stats", ["playlist_id", *cols])]
    as_of = D("2024-06-30")
    assert got[10:] == [
        (0, "Keep 1", D("2023-01-01"), as_of, 546, 20, 20, 0, 0.0, 20 * 30 / 546,
         U("2024-06-20 12:00"), 10, False),
        (1, "Dusty", D("2023-05-17"), as_of, 410, 1, 1, 0, 0.0, 30 / 410,
         U("2023-12-13 12:00"), 200, True),
        # the stream before it was added does not count
        (2, "Skippy", D("2024-03-01"), as_of, 121, 4, 1, 3, 0.75, 30 / 121,
         U("2024-05-01 12:00"), 60, True),
        (3, "Fresh", D("2024-06-01"), as_of, 29, 0, 0, 0, None, 0.0, None, None, False),
        # no added date: counted from the playlist's last change (2024-01-01)
        (4, "Never", None, as_of, 181, 0, 0, 0, None, 0.0, None, None, True),
    ]  # fmt: skip
    big = [(r[0], r[1], r[9], r[12]) for r in got[:10]]
    assert big[0] == (0, "Hit 0", 10 * 30 / 365, False)
    assert big[9] == (9, "Rare one", 9 * 30 / 365, True)


def test_removal_candidates_state_their_reasons(lake):
    cols = ["playlist_name", "position", "track_name", "artist_name", "action", "reason",
            "days_in_playlist"]  # fmt: skip
    assert rows(lake, "playlist_recommendations", cols) == [
        ("Big list", 9, "Rare one", "Artist R", "remove",
         "Added 365 days ago, played 0.74 times per 30 days (bottom 10% of 'Big list'), "
         "not played for 348 days.", 365),
        ("Road trip", 1, "Dusty", "Artist B", "remove",
         "Added 410 days ago, played 0.07 times per 30 days, not played for 200 days.", 410),
        ("Road trip", 2, "Skippy", "Artist C", "remove",
         "Added 121 days ago, played 0.25 times per 30 days, skipped 3 of 4 starts (75%).", 121),
        ("Road trip", 4, "Never", "Artist E", "remove",
         "In the playlist for at least 181 days (no added date), played 0 times per 30 days, "
         "never played.", 181),
    ]  # fmt: skip


def test_latest_export_ties_break_on_export_id():
    table = pa.table({"export_id": ["b", "a", "c", None]})
    received = {"a": "2024-01-01T00:00:00Z", "b": "2024-01-01T00:00:00Z", "c": "2023-01-01"}
    assert latest_export(table, received) == "b"
    assert latest_export(table.slice(0, 0), received) is None
