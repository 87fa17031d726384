"""Exact facts about small generated exports: bytes, counts, formats per era, the same-play
relation between the account and extended families, and the quirks FORMATS.md lists."""

from __future__ import annotations

import collections
import datetime as dt
import json
import zipfile
from pathlib import Path

import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from etl import pipeline
from etl.cli import cli
from etl.paths import Lake
from etl.synth import ERA_NAMES, generate_export
from etl.synth.eras import ACCOUNT_KEYS, ERAS

PLAYS = 2000
MEDIA = (("Audio", "_0"), ("Video", ""))
PLACEHOLDERS = ("Unknown Artist", "Unknown Track")


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {info.filename: zf.read(info) for info in zf.infolist()}


@pytest.fixture(scope="module")
def exports(tmp_path_factory) -> dict[str, tuple[dict, dict[str, bytes]]]:
    """One `both` export of 2,000 plays per era: (summary, members)."""
    out = {}
    for seed, era in enumerate(ERA_NAMES):
        path = tmp_path_factory.mktemp(era) / "export.zip"
        summary = generate_export(path, PLAYS, "both", seed)
        assert summary["era"] == era  # seeds 0-4 cover the eras in order
        out[era] = (summary, members(path))
    return out


def rows_of(files: dict[str, bytes], kind: str, summary: dict) -> list[dict]:
    paths = [f["path"] for f in summary["files"] if f["kind"].startswith(kind)]
    return [row for p in paths for row in json.loads(files[p])]


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path):
    a = generate_export(tmp_path / "a.zip", 500, "both", 11)
    b = generate_export(tmp_path / "b.zip", 500, "both", 11)
    c = generate_export(tmp_path / "c.zip", 500, "both", 16)  # same era (11 % 5 == 16 % 5)
    assert (tmp_path / "a.zip").read_bytes() == (tmp_path / "b.zip").read_bytes()
    assert (tmp_path / "a.zip").read_bytes() != (tmp_path / "c.zip").read_bytes()
    assert a["files"] == b["files"] and a["era"] == c["era"]
    with zipfile.ZipFile(tmp_path / "a.zip") as zf:
        assert {i.date_time for i in zf.infolist()} == {(2023, 4, 3, 3, 0, 0)}  # endsong-2023


@pytest.mark.parametrize("era", ERA_NAMES)
def test_counts_match_the_files(exports, era):
    summary, files = exports[era]
    assert sorted(files) == sorted(f["path"] for f in summary["files"])
    for f in summary["files"]:
        assert len(files[f["path"]]) == f["bytes"]
        if f["rows"] is not None:
            assert len(json.loads(files[f["path"]])) == f["rows"]
    extended = rows_of(files, "extended", summary)
    distinct = {json.dumps(r) for r in extended}
    assert summary["plays"]["extended"] == len(distinct) == summary["distinct_plays"] == PLAYS
    assert len(extended) == PLAYS + summary["duplicates"] and summary["duplicates"] >= 3
    assert summary["plays"]["account"] == len(rows_of(files, "account", summary))


@pytest.mark.parametrize("era", ERA_NAMES)
def test_every_member_parses_in_its_era_spelling(exports, era):
    summary, files = exports[era]
    spec = ERAS[era]
    for f in summary["files"]:
        data = files[f["path"]]
        if f["kind"] == "readme":
            assert data.startswith(b"%PDF")
            continue
        assert not data.endswith(b"\n") and b"\r" not in data
        assert not data.startswith(b"\xef\xbb\xbf")
        doc = json.loads(data)
        if f["kind"].startswith("extended"):
            assert {tuple(r) for r in doc} == {spec.extended_keys}
            head = b'[{"ts":"' if spec.layout == "endsong" else b'[\n  {\n    "ts": "'
            assert data.startswith(head)
        elif f["kind"].startswith("account"):
            family = {"account_podcast": "podcast", "account_audiobook": "audiobook"}
            assert {tuple(r) for r in doc} == {ACCOUNT_KEYS[family.get(f["kind"], "music")]}
            assert data.startswith(b'[\n  {\n    "endTime" : "') and len(doc) <= 10_000
        elif f["kind"] == "search_queries":
            assert data.startswith(b'[\n  {\n    "platform" : "')
        else:
            assert b'" : ' not in data and data.startswith((b'{\n  "', b'[\n  {\n    "'))


SESH = "Spotify Extended Streaming History"
EXTENDED_NAMES = {
    "endsong-2022": ["MyData/endsong_0.json", "MyData/endvideo.json"],
    "endsong-2023": ["MyData/endsong_0.json", "MyData/endvideo.json"],
    "range-2024": [f"{SESH}/Streaming_History_{m}_2023-2024{n}.json" for m, n in MEDIA],
    "range-2025": [f"{SESH}/Streaming_History_{m}_2024-2025{n}.json" for m, n in MEDIA],
    "peryear-2026": [
        f"{SESH}/Streaming_History_{m}_{y}.json" for m in ("Audio", "Video") for y in (2025, 2026)
    ],
}


@pytest.mark.parametrize("era", ERA_NAMES)
def test_file_names_and_folders_of_the_era(exports, era):
    summary, _ = exports[era]
    names = [f["path"] for f in summary["files"] if f["kind"].startswith("account_")]
    families = ("music", "podcast", "audiobook")[: 3 if ERAS[era].schema == "E3" else 2]
    legacy = ["MyData/StreamingHistory0.json"]
    split = [f"Spotify Account Data/StreamingHistory_{k}_0.json" for k in families]
    assert sorted(names) == sorted(legacy if era.startswith("endsong") else split)
    extended = [f["path"] for f in summary["files"] if f["kind"].startswith("extended")]
    assert sorted(extended) == EXTENDED_NAMES[era]


def _minute(ts: str) -> str:
    return f"{ts[:10]} {ts[11:16]}"


def _names(row: dict) -> tuple:
    """(first, second) names of an extended row as account data would spell them."""
    if row["spotify_track_uri"]:
        return row["master_metadata_album_artist_name"], row["master_metadata_track_name"]
    if row["spotify_episode_uri"]:
        return row["episode_show_name"], row["episode_name"]
    return row.get("audiobook_title"), row.get("audiobook_chapter_title")


def _account_key(row: dict) -> tuple:
    first = row.get("artistName") or row.get("podcastName") or row.get("audiobookName")
    second = row.get("trackName") or row.get("episodeName") or row.get("chapterName")
    return row["endTime"], first, second, row["msPlayed"]


@pytest.mark.parametrize("era", ERA_NAMES)
def test_account_rows_are_the_last_years_extended_plays(exports, era):
    """Every account row is one extended play under the lake's same-play rule, and vice versa."""
    summary, files = exports[era]
    start = summary["account_window_start"]
    plays = {json.dumps(r): r for r in rows_of(files, "extended", summary)}.values()
    window = [r for r in plays if r["ts"] >= start]
    named = [r for r in window if _names(r) != (None, None)]
    ext_keys = collections.Counter((_minute(r["ts"]), *_names(r), r["ms_played"]) for r in named)
    account = [_account_key(r) for r in rows_of(files, "account", summary)]
    assert len(account) == len(set(account))  # no exact duplicates in account data
    unmatched = [a for a in account if a not in ext_keys]
    assert len(unmatched) == summary["account_placeholders"] + summary["account_drifted"] >= 4
    # The unmatched rows pair by (minute, ms) with exactly one play of the window.
    by_minute_ms = collections.Counter((_minute(r["ts"]), r["ms_played"]) for r in window)
    assert all(by_minute_ms[(a[0], a[3])] == 1 and a[3] > 0 for a in unmatched)
    paired = {(a[0], a[3]) for a in unmatched}
    left = [k for k in ext_keys if k not in set(account)]
    assert sorted((k[0], k[3]) for k in left) == sorted(paired)
    placeholders = [a for a in unmatched if a[1] in PLACEHOLDERS]
    assert len(placeholders) == summary["account_placeholders"]


@pytest.mark.parametrize("era", ERA_NAMES)
def test_era_quirks(exports, era):
    summary, files = exports[era]
    schema = ERAS[era].schema
    audio = rows_of(files, "extended_audio", summary)
    skipped = collections.Counter(r["skipped"] for r in audio)
    units = collections.Counter(_unit(r["offline_timestamp"]) for r in audio)
    if schema == "E1":
        assert skipped[None] > 0 and skipped[True] > 0
        assert units["ms"] and units["s"] and units["zero"] and not units["null"]
    else:
        assert skipped[None] == 0 and skipped[True] > 0
        assert units["s"] and units["null"] and not units["zero"]
        assert not any(r["skipped"] for r in audio if r["ts"] < "2022")
    video = rows_of(files, "extended_video", summary)
    assert any(r["spotify_track_uri"] for r in video)
    assert any(r["spotify_episode_uri"] for r in video)
    all_null = [r for r in audio + video if _names(r) == (None, None)]
    assert len({json.dumps(r) for r in all_null}) >= 2
    assert any(r["incognito_mode"] for r in audio + video)
    assert any(r["conn_country"] == "ZZ" for r in audio + video)
    audiobooks = [r for r in audio if r.get("audiobook_uri")]
    assert bool(audiobooks) == (schema == "E3")
    skips = [
        r for r in audio if r["reason_end"] in ("fwdbtn", "backbtn") and r["ms_played"] < 30_000
    ]
    assert len(skips) > PLAYS // 20


def _unit(value: int | None) -> str:
    if value is None:
        return "null"
    return "zero" if value == 0 else "s" if value < 10**11 else "ms"


def test_names_carry_whitespace_unicode_and_placeholders(exports):
    summary, files = exports["range-2025"]
    audio = rows_of(files, "extended_audio", summary)
    names = {r["master_metadata_track_name"] for r in audio} - {None}
    assert any(n != n.strip() for n in names)
    assert any(not n.isascii() for n in names)
    assert any(ord(ch) > 0x1F000 for n in names for ch in n)  # emoji
    account = rows_of(files, "account_music", summary)
    assert any(r["artistName"] == "Unknown Artist" for r in account)


def test_playlists_library_and_searches(exports):
    for era in ("endsong-2022", "endsong-2023", "range-2024"):
        summary, files = exports[era]
        base = ERAS[era].account_dir
        doc = json.loads(files[f"{base}/Playlist1.json"])
        items = [i for p in doc["playlists"] for i in p["items"]]
        assert {tuple(i) for i in items} == {ERAS[era].item_keys}
        assert [len(p["items"]) for p in doc["playlists"]][1] == 0
        assert any(
            i["localTrack"] and i["localTrack"]["uri"].startswith("spotify:local:") for i in items
        )
        assert b'"items": [\n      ]' in files[f"{base}/Playlist1.json"]
        library = json.loads(files[f"{base}/YourLibrary.json"])
        assert list(library) == [
            "tracks",
            "albums",
            "shows",
            "episodes",
            "bannedTracks",
            "artists",
            "bannedArtists",
            "other",
        ]
        searches = json.loads(files[f"{base}/SearchQueries.json"])
        assert [s["searchTime"] for s in searches] == sorted(s["searchTime"] for s in searches)
        assert all(s["searchTime"].endswith("Z[UTC]") for s in searches)
    inferences = json.loads(exports["endsong-2022"][1]["MyData/Inferences.json"])
    assert list(inferences) == ["tags"]
    assert "MyData/Marquee.json" not in exports["endsong-2022"][1]


def test_extended_parts_are_15_to_19k_rows_and_ordered_by_era(tmp_path):
    summary = generate_export(tmp_path / "e.zip", 60_000, "extended", 3)  # range-2025
    files = members(tmp_path / "e.zip")
    parts = [f for f in summary["files"] if f["kind"] == "extended_audio"]
    assert len(parts) >= 3 and all(15_000 <= f["rows"] <= 19_000 for f in parts[:-1])
    stamps = [r["ts"] for f in parts for r in json.loads(files[f["path"]])]
    assert stamps == sorted(stamps)
    assert not any("Account" in f["path"] for f in summary["files"])
    assert summary["plays"] == {"extended": 60_000, "account": 0}


def test_account_only_export_spans_one_year(tmp_path):
    summary = generate_export(tmp_path / "a.zip", 12_000, "account", 2)  # range-2024
    files = members(tmp_path / "a.zip")
    rows = rows_of(files, "account", summary)
    assert summary["plays"]["extended"] == 0 and summary["distinct_plays"] == len(rows)
    music = [f["rows"] for f in summary["files"] if f["kind"] == "account_music"]
    assert music[:-1] == [10_000] * (len(music) - 1) and len(music) == 2
    first = dt.date.fromisoformat(min(r["endTime"] for r in rows)[:10])
    assert first >= ERAS["range-2024"].export_date - dt.timedelta(days=366)


def test_cli_generate(tmp_path):
    runner = CliRunner()
    result = runner.invoke(
        cli,
        [
            "generate",
            str(tmp_path / "x.zip"),
            "--plays",
            "300",
            "--kind",
            "extended",
            "--seed",
            "4",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "era peryear-2026 (E3), plays: extended 300;" in result.output
    assert zipfile.is_zipfile(tmp_path / "x.zip")
    helped = runner.invoke(cli, ["generate", "--help"])
    assert "spotify-lake generate demo.zip --plays 50000" in helped.output
    bad = runner.invoke(cli, ["generate", str(tmp_path / "y.zip"), "--plays", "5"])
    assert bad.exit_code == 2 and "--plays" in bad.output


@pytest.mark.parametrize("era", ["endsong-2022", "range-2025"])
def test_the_lake_holds_each_generated_play_once(exports, era, settings, tmp_path):
    """Ingested, a `both` export is exactly its distinct extended plays (same-play rule)."""
    summary, files = exports[era]
    export = tmp_path / "export.zip"
    export.write_bytes(Path(summary["path"]).read_bytes())
    result = pipeline.ingest_export(export, "synth", settings)
    assert result["status"] == "ingested", result["message"]
    streams = pq.read_table(Lake(settings.lake_root).clean_file("streams", "synth"))
    plays = {json.dumps(r): r for r in rows_of(files, "extended", summary)}.values()
    assert streams.num_rows == summary["distinct_plays"] == len(plays)
    assert pc.sum(streams["ms_played"]).as_py() == sum(r["ms_played"] for r in plays)
