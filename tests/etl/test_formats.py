"""Each format reader on a few hand-written rows, with the exact rows it must produce."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from etl.formats import account_files, detect
from etl.formats.jsonfile import MemberError
from etl.formats.streaming import read_streaming

UTC = dt.UTC

E1_ROW = {
    "ts": "2021-03-01T10:00:30Z",
    "username": "secretuser",
    "platform": "Android OS 11 API 30",
    "ms_played": 20000,
    "conn_country": "de",
    "ip_addr_decrypted": "203.0.113.9",
    "user_agent_decrypted": "unknown",
    "master_metadata_track_name": "  Song A ",
    "master_metadata_album_artist_name": "Artist A",
    "master_metadata_album_album_name": "Alb",
    "spotify_track_uri": "spotify:track:aaa",
    "episode_name": None,
    "episode_show_name": None,
    "spotify_episode_uri": None,
    "reason_start": "clickrow",
    "reason_end": "fwdbtn",
    "shuffle": True,
    "skipped": None,
    "offline": False,
    "offline_timestamp": 1614592810000,
    "incognito_mode": False,
}
E3_EPISODE = {
    "ts": "2025-01-02T08:00:00Z",
    "platform": "ios",
    "ms_played": 600000,
    "conn_country": "US",
    "ip_addr": "198.51.100.1",
    "master_metadata_track_name": None,
    "master_metadata_album_artist_name": None,
    "master_metadata_album_album_name": None,
    "spotify_track_uri": None,
    "episode_name": "Ep 1",
    "episode_show_name": "The Show ",
    "spotify_episode_uri": "spotify:episode:eee",
    "audiobook_title": None,
    "audiobook_uri": None,
    "audiobook_chapter_uri": None,
    "audiobook_chapter_title": None,
    "reason_start": "",
    "reason_end": "endplay",
    "shuffle": False,
    "skipped": False,
    "offline": True,
    "offline_timestamp": 1735804200,
    "incognito_mode": True,
}


def _write(tmp_path: Path, name: str, doc: object) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(doc))
    return path


def _read(path: Path, kind: str, shows: list[str] | None = None):
    return read_streaming(path, kind, user="u", export_id="e1", member=path.name, shows=shows or [])


def test_extended_e1_row_is_normalised_and_pii_free(tmp_path):
    staged, n, rejects = _read(_write(tmp_path, "endsong_0.json", [E1_ROW]), "extended_audio")
    assert (n, rejects) == (1, [])
    row = staged.to_pylist()[0]
    assert row["ended_at"] == dt.datetime(2021, 3, 1, 10, 0, 30, tzinfo=UTC)
    assert row["started_at"] == dt.datetime(2021, 3, 1, 10, 0, 10, tzinfo=UTC)
    assert row["offline_at"] == dt.datetime(2021, 3, 1, 10, 0, 10, tzinfo=UTC)  # milliseconds
    assert (row["track_name"], row["artist_name"], row["country_code"]) == (
        "Song A",
        "Artist A",
        "DE",
    )
    assert (row["content_type"], row["media_type"], row["precision"]) == (
        "music",
        "audio",
        "second",
    )
    # skipped is null in E1: the reason decides, fwdbtn under 30 s is a skip
    assert (row["is_skipped"], row["skip_basis"]) == (True, "reason")
    assert (row["is_shuffle"], row["is_offline"], row["is_incognito"]) == (True, False, False)
    assert "secretuser" not in json.dumps(row, default=str)
    assert "203.0.113.9" not in json.dumps(row, default=str)


def test_extended_e3_episode_in_video_file(tmp_path):
    path = _write(tmp_path, "Streaming_History_Video_2025.json", [E3_EPISODE])
    staged, _, _ = _read(path, "extended_video")
    row = staged.to_pylist()[0]
    assert (row["content_type"], row["media_type"]) == ("podcast", "video")
    assert (row["show_name"], row["episode_name"], row["episode_uri"]) == (
        "The Show",
        "Ep 1",
        "spotify:episode:eee",
    )
    assert row["reason_start"] is None  # "" means unknown
    assert row["offline_at"] == dt.datetime(2025, 1, 2, 7, 50, tzinfo=UTC)  # seconds
    assert (row["is_skipped"], row["skip_basis"]) == (False, "flag")


@pytest.mark.parametrize(
    ("skipped", "ts", "reason_end", "ms", "expected"),
    [
        (True, "2019-05-01T00:00:00Z", "trackdone", 200000, (True, "flag")),
        (False, "2023-05-01T00:00:00Z", "fwdbtn", 1000, (False, "flag")),
        # before 2022 a false flag was often "unknown" coerced to false: the reason decides
        (False, "2019-05-01T00:00:00Z", "fwdbtn", 1000, (True, "reason")),
        (None, "2023-05-01T00:00:00Z", "backbtn", 29999, (True, "reason")),
        (None, "2023-05-01T00:00:00Z", "backbtn", 30000, (False, "reason")),
        (None, "2023-05-01T00:00:00Z", None, 5000, (True, "duration")),
    ],
)
def test_skip_rule_by_basis(tmp_path, skipped, ts, reason_end, ms, expected):
    row = {**E1_ROW, "skipped": skipped, "ts": ts, "reason_end": reason_end, "ms_played": ms}
    staged, _, _ = _read(_write(tmp_path, "endsong_0.json", [row]), "extended_audio")
    got = staged.select(["is_skipped", "skip_basis"]).to_pylist()[0]
    assert (got["is_skipped"], got["skip_basis"]) == expected


def test_extended_bad_records_become_rejects_with_index(tmp_path):
    rows = [
        E1_ROW,
        {**E1_ROW, "ts": "yesterday"},
        "oops",
        {**E1_ROW, "ms_played": "12"},
        {**E1_ROW, "ms_played": -5},
        {k: v for k, v in E1_ROW.items() if k != "ts"},
    ]
    staged, n, rejects = _read(_write(tmp_path, "endsong_0.json", rows), "extended_audio")
    assert n == 6 and staged.num_rows == 1
    assert [(r.index, r.reason) for r in rejects] == [
        (1, "ts 'yesterday' is not YYYY-MM-DDTHH:MM:SSZ"),
        (2, "record is a JSON str, not an object"),
        (3, "field 'ms_played' has an unexpected value '12'"),
        (4, "ms_played is missing or negative"),
        (5, "ts is missing"),
    ]
    assert all("secretuser" not in r.record and "203.0.113.9" not in r.record for r in rejects)


def test_account_legacy_music_podcast_and_placeholders(tmp_path):
    rows = [
        {
            "endTime": "2022-05-01 10:03",
            "artistName": " Band ",
            "trackName": "Tune",
            "msPlayed": 185000,
        },
        {
            "endTime": "2022-05-01 11:00",
            "artistName": "My Podcast",
            "trackName": "Episode 9",
            "msPlayed": 1200000,
        },
        {
            "endTime": "2022-05-01 12:00",
            "artistName": "Unknown Artist",
            "trackName": "Unknown Track",
            "msPlayed": 0,
        },
    ]
    staged, n, rejects = _read(
        _write(tmp_path, "StreamingHistory0.json", rows), "account_legacy", ["My Podcast"]
    )
    got = staged.select(
        [
            "content_type",
            "artist_name",
            "track_name",
            "show_name",
            "episode_name",
            "ended_at",
            "started_at",
            "is_skipped",
            "skip_basis",
            "precision",
        ]
    ).to_pylist()
    assert got == [
        {
            "content_type": "music",
            "artist_name": "Band",
            "track_name": "Tune",
            "show_name": None,
            "episode_name": None,
            "ended_at": dt.datetime(2022, 5, 1, 10, 3, tzinfo=UTC),
            "started_at": dt.datetime(2022, 5, 1, 9, 59, 55, tzinfo=UTC),
            "is_skipped": False,
            "skip_basis": "duration",
            "precision": "minute",
        },
        {
            "content_type": "podcast",
            "artist_name": None,
            "track_name": None,
            "show_name": "My Podcast",
            "episode_name": "Episode 9",
            "ended_at": dt.datetime(2022, 5, 1, 11, 0, tzinfo=UTC),
            "started_at": dt.datetime(2022, 5, 1, 10, 40, tzinfo=UTC),
            "is_skipped": False,
            "skip_basis": "duration",
            "precision": "minute",
        },
        {
            "content_type": "music",
            "artist_name": None,
            "track_name": None,
            "show_name": None,
            "episode_name": None,
            "ended_at": dt.datetime(2022, 5, 1, 12, 0, tzinfo=UTC),
            "started_at": dt.datetime(2022, 5, 1, 12, 0, tzinfo=UTC),
            "is_skipped": True,
            "skip_basis": "duration",
            "precision": "minute",
        },
    ]


def test_account_podcast_and_audiobook_files(tmp_path):
    pod = [
        {
            "endTime": "2024-03-01 07:30",
            "podcastName": "Daily",
            "episodeName": "Mon",
            "msPlayed": 900000,
        }
    ]
    book = [
        {
            "endTime": "2024-03-02 21:00",
            "audiobookName": "Dune",
            "chapterName": "Ch 1",
            "authorName": "F. Herbert",
            "msPlayed": 60000,
        }
    ]
    p, _, _ = _read(_write(tmp_path, "StreamingHistory_podcast_0.json", pod), "account_podcast")
    b, _, _ = _read(
        _write(tmp_path, "StreamingHistory_audiobook_0.json", book), "account_audiobook"
    )
    assert p.select(["content_type", "show_name", "episode_name"]).to_pylist() == [
        {"content_type": "podcast", "show_name": "Daily", "episode_name": "Mon"}
    ]
    assert b.select(
        ["content_type", "audiobook_title", "chapter_title", "author_name"]
    ).to_pylist() == [
        {
            "content_type": "audiobook",
            "audiobook_title": "Dune",
            "chapter_title": "Ch 1",
            "author_name": "F. Herbert",
        }
    ]


def test_streaming_file_that_is_not_an_array_is_a_member_error(tmp_path):
    with pytest.raises(MemberError, match="holds a JSON dict, not the list of plays"):
        _read(_write(tmp_path, "endsong_0.json", {"ts": 1}), "extended_audio")


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("MyData/StreamingHistory0.json", "account_legacy"),
        ("Spotify Account Data/StreamingHistory_music_2.json", "account_music"),
        ("StreamingHistory_podcast_0.json", "account_podcast"),
        ("StreamingHistory_audiobook_0.json", "account_audiobook"),
        ("MyData/endsong_1.json", "extended_audio"),
        ("endvideo.json", "extended_video"),
        ("x/Streaming_History_Audio_2013-2020_0.json", "extended_audio"),
        ("Streaming_History_Video_2024.json", "extended_video"),
        ("Playlist12.json", "playlists"),
        ("UserAddress.json", "user_address"),
        ("Wrapped2024.json", "wrapped"),
        ("notes.txt", None),
    ],
)
def test_kind_from_name(name, kind):
    assert detect.kind_from_name(name) == kind


def test_kind_from_shape_overrides_misleading_names():
    extended = [{"ts": "x", "ms_played": 1}]
    assert detect.kind_from_shape(extended, "account_legacy") == "extended_audio"
    assert detect.kind_from_shape(extended, "extended_video") == "extended_video"
    assert detect.kind_from_shape([{"endTime": 1, "msPlayed": 1, "podcastName": 1}], None) == (
        "account_podcast"
    )
    assert detect.kind_from_shape({"playlists": []}, None) == "playlists"
    assert detect.kind_from_shape([{"searchTime": "x"}], None) == "search_queries"
    assert detect.kind_from_shape({"foo": 1}, None) is None


def test_playlists_reader_exact_rows():
    doc = {
        "playlists": [
            {
                "name": "Road",
                "lastModifiedDate": "2023-04-03",
                "description": None,
                "numberOfFollowers": 2,
                "items": [
                    {
                        "track": {
                            "trackName": "T1",
                            "artistName": "A1",
                            "albumName": "Al",
                            "trackUri": "spotify:track:1",
                        },
                        "episode": None,
                        "localTrack": None,
                        "addedDate": "2022-01-05",
                    },
                    {
                        "track": None,
                        "episode": None,
                        "localTrack": {"uri": "spotify:local:::Song:120"},
                    },
                ],
            },
            {"name": "Road", "lastModifiedDate": "2023-01-01", "items": []},
        ]
    }
    table, rejects = account_files.read_playlists(doc, user="u", export_id="e")
    rows = table.to_pylist()
    assert rejects == [] and len(rows) == 2
    assert rows[0]["item_type"] == "track" and rows[0]["added_date"] == dt.date(2022, 1, 5)
    assert (rows[1]["item_type"], rows[1]["local_uri"], rows[1]["added_date"]) == (
        "local",
        "spotify:local:::Song:120",
        None,
    )
    assert rows[0]["playlist_id"] == account_files.stable_id("u", "Road", 0)
    assert rows[0]["follower_count"] == 2 and rows[0]["position"] == 0


def test_library_and_search_readers():
    lib = {
        "tracks": [{"artist": "A", "album": "B", "track": "C", "uri": "spotify:track:c"}],
        "albums": [],
        "shows": [{"name": "Show", "publisher": "P", "uri": "spotify:show:s"}],
        "episodes": [{"name": "E", "show": "Other Show", "uri": "spotify:episode:e"}],
        "bannedTracks": [],
        "artists": [],
        "bannedArtists": [],
        "other": ["spotify:local:x"],
    }
    table, _ = account_files.read_library(lib, user="u", export_id="e")
    assert [r["item_type"] for r in table.to_pylist()] == ["track", "show", "episode", "other"]
    assert account_files.library_show_names(table) == ["Other Show", "Show"]
    searches = [
        {
            "platform": "",
            "searchTime": "2023-01-09T11:43:57.745Z[UTC]",
            "searchQuery": "c'est",
            "searchInteractionURIs": ["", "spotify:track:1"],
        },
        {"platform": "IPHONE", "searchTime": None, "searchQuery": "x"},
    ]
    table, rejects = account_files.read_search_queries(searches, user="u", export_id="e")
    row = table.to_pylist()[0]
    assert row["searched_at"] == dt.datetime(2023, 1, 9, 11, 43, 57, 745000, tzinfo=UTC)
    assert (row["platform"], row["query"], row["interaction_uris"]) == (
        None,
        "c'est",
        ["spotify:track:1"],
    )
    assert [(r.index, r.reason) for r in rejects] == [
        (1, "searchTime is missing or not a timestamp")
    ]


def test_variant_spellings_still_land(tmp_path):
    """A BOM, fractional seconds, or an endTime with seconds: not seen yet, read all the same."""
    ext = [{**E1_ROW, "ts": "2021-03-01T10:00:30.250Z"}]
    path = tmp_path / "endsong_0.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(ext).encode())
    staged, _, rejects = _read(path, "extended_audio")
    assert rejects == []
    assert staged["ended_at"].to_pylist() == [
        dt.datetime(2021, 3, 1, 10, 0, 30, 250000, tzinfo=UTC)
    ]
    acct = [
        {"endTime": "2022-05-01 10:03:59", "artistName": "A", "trackName": "T", "msPlayed": 1000}
    ]
    staged, _, rejects = _read(_write(tmp_path, "StreamingHistory0.json", acct), "account_legacy")
    assert rejects == []
    assert staged["ended_at"].to_pylist() == [dt.datetime(2022, 5, 1, 10, 3, 59, tzinfo=UTC)]
    bom_only = tmp_path / "Playlist1.json"
    bom_only.write_bytes(b"\xef\xbb\xbf" + json.dumps({"playlists": []}).encode())
    from etl.formats.jsonfile import load_json

    assert load_json(bom_only) == {"playlists": []}
