"""Hand-built clean layers for the curate tests: rows written with the pinned clean schemas.

Plays are given by their UTC start and ``ms_played`` (``started_at`` + ms = ``ended_at``), the
way a person reasons about a timeline; everything else has plain defaults.
"""

from __future__ import annotations

import datetime as dt
import json

import pyarrow as pa
import pyarrow.parquet as pq

from etl import schemas
from etl.paths import Lake

EXPORT = "aaaaaaaaaaaa"
UTC = dt.UTC


def ts(text: str) -> dt.datetime:
    """``"2024-03-31 00:59:40"`` (UTC) → aware datetime."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=UTC)


def play(play_id: str, start: str, ms: int, **fields) -> dict:
    """One clean ``streams`` row; extended-history defaults, not skipped (flag basis)."""
    started = ts(start)
    row = dict.fromkeys(schemas.STREAMS.names)
    row.update(
        play_id=play_id, user_id="alice", content_type="music", media_type="audio",
        started_at=started, ended_at=started + dt.timedelta(milliseconds=ms), ms_played=ms,
        is_skipped=False, skip_basis="flag", precision="second", record_family="extended",
        sources=[EXPORT], is_shuffle=False, is_offline=False, is_incognito=False,
    )  # fmt: skip
    row.update(fields)
    return row


def song(play_id: str, start: str, ms: int, artist: str, track: str, album=None, **kw) -> dict:
    return play(play_id, start, ms, artist_name=artist, track_name=track, album_name=album, **kw)


def episode(play_id: str, start: str, ms: int, show: str, name: str, **kw) -> dict:
    return play(play_id, start, ms, content_type="podcast", show_name=show, episode_name=name, **kw)


def playlist_item(
    playlist: str,
    position: int,
    *,
    export_id: str = EXPORT,
    modified: str = "2024-01-01",
    added: str | None = None,
    item_type: str = "track",
    **fields,
) -> dict:
    """One clean ``playlist_items`` row (playlist id = its name, for readable tests)."""
    row = dict.fromkeys(schemas.PLAYLIST_ITEMS.names)
    row.update(
        user_id="alice", export_id=export_id, playlist_id=playlist, playlist_name=playlist,
        last_modified_date=dt.date.fromisoformat(modified), follower_count=0, position=position,
        item_type=item_type, added_date=dt.date.fromisoformat(added) if added else None,
    )  # fmt: skip
    row.update(fields)
    return row


def reject(member: str, reason: str, index: int = 0, export_id: str = EXPORT) -> dict:
    return {"user_id": "alice", "export_id": export_id, "member": member,
            "record_index": index, "reason": reason, "record": "{}"}  # fmt: skip


def write_clean(lake: Lake, user: str, table: str, rows: list[dict]) -> None:
    path = lake.clean_file(table, user)
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = [{**r, "user_id": user} for r in rows]
    pq.write_table(pa.Table.from_pylist(rows, schema=schemas.CLEAN[table]), path)


def write_manifest(
    lake: Lake,
    user: str,
    export_id: str = EXPORT,
    received_at: str = "2024-07-01T10:00:00Z",
    families: tuple[str, ...] = ("extended",),
    rows: int = 0,
    rejects: int = 0,
) -> dict:
    """A minimal raw manifest (the export folder holds nothing else)."""
    manifest = {
        "format": 1, "export_id": export_id, "user_id": user, "source_name": f"{export_id}.zip",
        "source_type": "zip", "sha256": export_id * 5, "size_bytes": 1234,
        "received_at": received_at, "families": list(families),
        "members": [{"path": "Streaming_History_Audio_2024.json", "sha256": "0" * 64,
                     "size_bytes": 1000, "kind": "extended_audio", "status": "parsed",
                     "records": rows + rejects, "rows": rows, "duplicates": 0,
                     "rejects": rejects, "reason": None}],
        "totals": {"records": rows + rejects, "rows": rows, "duplicates": 0, "rejects": rejects},
    }  # fmt: skip
    path = lake.manifest(user, export_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(manifest))
    return manifest


def write_lake(lake: Lake, user: str, streams: list[dict], **tables: list[dict]) -> None:
    """Clean streams (and optional other clean tables) plus one manifest for ``user``."""
    write_clean(lake, user, "streams", streams)
    for name, rows in tables.items():
        write_clean(lake, user, "_rejects" if name == "rejects" else name, rows)
    if not lake.raw_exports(user):
        write_manifest(lake, user, rows=len(streams))


#: Settings for the DST weekend: Berlin by default, US plays in New York.
DST_ZONES = {"timezone": "Europe/Berlin", "country_timezones": {"US": "America/New_York"}}
PIXEL, IPHONE = "Android OS 14 API 34 (Google, Pixel 8)", "iOS 17.4 (iPhone15,2)"
WEB, SHIELD = (
    "web_player windows 10;chrome 120;desktop",
    "Android OS 11 (NVIDIA, SHIELD Android TV)",
)


def dst_weekend() -> list[dict]:
    """Ten plays around Berlin's switch to summer time (2024-03-31 01:00 UTC).

    Sessions: p1 | p2 p3 | p4 p5 (gap exactly 30:00 before p4, 29:59 before p5) | p6 p7 p8
    (p8 starts 44 min after p7 ends, but p6 is still playing) | p10 | p9.
    """
    de = {"country_code": "DE"}
    return [
        song("p1", "2024-03-30 23:07:00", 180_000, "Artist A", "Song 1", "Album A",
             platform=PIXEL, reason_end="trackdone", track_uri="spotify:track:1", **de),
        song("p2", "2024-03-31 00:39:40", 20_000, "Artist B", "Song 2", "Album B",
             platform=PIXEL, is_skipped=True, skip_basis="reason", reason_end="fwdbtn", **de),
        song("p3", "2024-03-31 00:59:40", 40_000, "Artist B", "Song 3", "Album B",
             platform=IPHONE, **de),
        song("p4", "2024-03-31 01:30:20", 200_000, "Artist A", "Song 4", "Album A",
             platform=IPHONE, is_skipped=True, **de),
        song("p5", "2024-03-31 02:03:39", 21_000, "Artist A", "Song 1", None,
             is_skipped=True, skip_basis="duration", record_family="account",
             precision="minute", is_shuffle=None, is_offline=None, is_incognito=None),
        episode("p6", "2024-03-31 03:58:00", 3_720_000, "The Daily Pod", "Ep 1",
                platform="cast", skip_basis="reason", country_code="US"),
        song("p7", "2024-03-31 04:00:00", 60_000, "ARTIST A", "Song 1", "Album A",
             platform=WEB, **de),
        song("p8", "2024-03-31 04:45:00", 180_000, "Artist B", "Song 2", None, **de),
        play("p9", "2024-04-02 09:59:55", 5_000, content_type="unknown", media_type="video",
             is_skipped=True, skip_basis="duration", platform=SHIELD, **de),
        song("p10", "2024-04-02 08:56:00", 240_000, "Artist A", "Song 1", "Album A",
             platform=PIXEL, **de),
    ]  # fmt: skip
