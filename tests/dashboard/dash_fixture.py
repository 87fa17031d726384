"""A hand-built curated warehouse: two users, eleven plays, every curated table.

Local time is UTC here, so local dates and hours read straight off the timestamps below. The
expected values in the tests are worked out by hand from these rows (see the comments there).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pandas as pd

XSS = "<img src=x onerror=alert(1)>"

# music: track_id -> (track name, artist_id, artist name, album_id, album name)
TRACKS = {
    "t1": ("Song A", "ax", "Artist X", "alx", "Album X"),
    "t2": ("Song B", "ax", "Artist X", "alx", "Album X"),
    "t3": (XSS, "ay", "Artist Y", "aly", "Album Y"),
    "t4": ("Song D", "az", "O'Brien", "alz", "Album Z"),
    "t5": ("Bob Song", "aw", "Artist W", "alw", "Album W"),
}
# podcast: episode_id -> (episode name, show_id, show name)
EPISODES = {"e1": ("Ep 1", "s1", "Pod Show")}
PLATFORMS = {"android": "android", "ios": "ios", "web": "web"}

# (user, local start "YYYY-MM-DD HH:MM", item, ms_played, skipped, platform, shuffle,
#  reason_start, reason_end, country)
PLAYS = [
    ("alice", "2023-06-10 20:00", "t1", 180_000, False,
     "android", True, "clickrow", "trackdone", "DE"),
    ("alice", "2023-06-10 20:03", "t2", 10_000, True,
     "android", True, "trackdone", "fwdbtn", "DE"),
    ("alice", "2024-01-15 08:00", "t1", 200_000, False,
     "ios", False, "clickrow", "trackdone", "DE"),
    ("alice", "2024-03-01 08:04", "t3", 60_000, False,
     "ios", False, "trackdone", "trackdone", "DE"),
    ("alice", "2024-03-02 21:00", "t4", 240_000, False,
     "ios", False, "trackdone", "trackdone", "DE"),
    ("alice", "2024-03-02 21:05", "t1", 5_000, True,
     "ios", False, "fwdbtn", "fwdbtn", "DE"),
    ("alice", "2024-03-03 07:30", "e1", 1_800_000, False,
     "ios", False, "clickrow", "trackdone", "DE"),
    ("alice", "2024-03-27 22:00", "t3", 120_000, False,
     "web", True, "clickrow", "trackdone", "FR"),
    ("alice", "2024-03-31 20:00", "t2", 180_000, False,
     "web", False, "clickrow", "trackdone", "FR"),
    ("bob", "2022-05-05 12:00", "t5", 100_000, False,
     "android", False, "clickrow", "trackdone", "US"),
    ("bob", "2022-05-06 12:00", "t5", 50_000, False,
     "android", False, "clickrow", "trackdone", "US"),
]  # fmt: skip

UTC = UTC


def _ts(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=UTC)


def fact_streams() -> pd.DataFrame:
    rows = []
    for n, (user, start, item, ms, skipped, plat, shuffle, rs, re_, cc) in enumerate(PLAYS):
        started = _ts(start)
        ended = started + timedelta(milliseconds=ms)
        music = item in TRACKS
        track = TRACKS.get(item, (None,) * 5)
        episode = EPISODES.get(item, (None,) * 3)
        rows.append({
            "play_id": f"p{n:02d}", "user_id": user,
            "content_type": "music" if music else "podcast", "media_type": "audio",
            "track_id": item if music else None, "artist_id": track[1], "album_id": track[3],
            "episode_id": None if music else item, "show_id": episode[1],
            "platform_id": f"{user}-{plat}", "ended_at": ended, "started_at": started,
            "ended_at_local": ended.replace(tzinfo=None),
            "started_at_local": started.replace(tzinfo=None), "local_date": started.date(),
            "local_hour": started.hour, "weekday": started.isoweekday(), "time_zone": "UTC",
            "country_code": cc, "ms_played": ms, "minutes_played": ms / 60000,
            "is_stream": ms >= 30_000, "is_skipped": skipped, "skip_basis": "flag",
            "reason_start": rs, "reason_end": re_, "is_shuffle": shuffle, "is_offline": False,
            "is_incognito": False, "precision": "second", "session_id": None,
            "record_family": "extended", "sources": "e1",
        })  # fmt: skip
    df = pd.DataFrame(rows)
    df["session_id"] = _session_ids(df)
    return df


def _session_ids(df: pd.DataFrame) -> list[str]:
    """A new session when the gap from the previous play's end is 30 minutes or more."""
    ids, last_end, last_user, n = [], None, None, 0
    for row in df.sort_values(["user_id", "started_at"]).itertuples():
        if row.user_id != last_user or row.started_at - last_end >= timedelta(minutes=30):
            n += 1
        ids.append(f"s{n:02d}")
        last_end, last_user = row.ended_at, row.user_id
    return ids


def _stats(g: pd.DataFrame) -> pd.Series:
    return pd.Series({
        "first_played_at": g["started_at"].min(), "last_played_at": g["started_at"].max(),
        "plays": len(g), "streams": int(g["is_stream"].sum()),
        "skips": int(g["is_skipped"].sum()), "ms_played": int(g["ms_played"].sum()),
        "minutes_played": g["ms_played"].sum() / 60000,
    })  # fmt: skip


def _by(df: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    return df.groupby(keys, dropna=False)[list(df.columns)].apply(_stats).reset_index()


def dims(fs: pd.DataFrame) -> dict[str, pd.DataFrame]:
    music = fs[fs.content_type == "music"].copy()
    info = pd.DataFrame(
        [(k, *v) for k, v in TRACKS.items()],
        columns=["track_id", "track_name", "artist_id", "artist_name", "album_id", "album_name"],
    )
    tracks = _by(music, ["user_id", "track_id"]).merge(info, on="track_id")
    tracks["track_uri"] = "spotify:track:" + tracks["track_id"]
    artists = _by(music, ["user_id", "artist_id"]).merge(
        info.drop_duplicates("artist_id")[["artist_id", "artist_name"]], on="artist_id"
    )
    artists["track_count"] = artists.apply(
        lambda r: music[(music.user_id == r.user_id) & (music.artist_id == r.artist_id)][
            "track_id"
        ].nunique(), axis=1)  # fmt: skip
    albums = _by(music, ["user_id", "album_id"]).merge(
        info.drop_duplicates("album_id")[["album_id", "album_name", "artist_id", "artist_name"]],
        on="album_id",
    )
    albums["track_count"] = [1 if a in ("aly", "alz", "alw") else 2 for a in albums.album_id]
    pods = fs[fs.content_type == "podcast"]
    episodes = _by(pods, ["user_id", "episode_id"])
    episodes["episode_name"] = [EPISODES[e][0] for e in episodes.episode_id]
    episodes["show_id"] = [EPISODES[e][1] for e in episodes.episode_id]
    episodes["show_name"] = [EPISODES[e][2] for e in episodes.episode_id]
    episodes["content_type"], episodes["episode_uri"] = "podcast", "spotify:episode:e1"
    platforms = fs.groupby(["user_id", "platform_id"]).agg(
        plays=("play_id", "count"), ms_played=("ms_played", "sum")).reset_index()  # fmt: skip
    platforms["platform"] = platforms.platform_id.str.split("-").str[1]
    platforms["platform_family"] = platforms.platform.map(PLATFORMS)
    return {
        "dim_tracks": tracks, "dim_artists": artists, "dim_albums": albums,
        "dim_episodes": episodes, "dim_platforms": platforms,
    }  # fmt: skip


def sessions(fs: pd.DataFrame) -> pd.DataFrame:
    out = _by(fs, ["user_id", "session_id"])
    ends = fs.groupby("session_id")["ended_at"].max()
    out["started_at"] = out.pop("first_played_at")
    out = out.drop(columns="last_played_at")
    out["ended_at"] = out.session_id.map(ends)
    out["started_at_local"] = out.started_at.dt.tz_localize(None)
    out["local_date"] = out.started_at.dt.date
    out["duration_minutes"] = (out.ended_at - out.started_at).dt.total_seconds() / 60
    out["distinct_tracks"] = out.session_id.map(fs.groupby("session_id")["track_id"].nunique())
    top = fs.assign(artist=fs.artist_id.map({v[1]: v[2] for v in TRACKS.values()}))
    out["top_artist_name"] = out.session_id.map(
        top.groupby("session_id")["artist"].agg(lambda s: s.dropna().mode().min()))
    return out


def alice(start: str, end: str, content: str = "all", period: str = "custom"):
    """A filter on the fixture's first user."""
    from dashboard.filters import Filters

    return Filters("alice", date.fromisoformat(start), date.fromisoformat(end), content, period)
