"""Aggregates derived from the fixture plays, plus the hand-written playlist/anomaly/health rows."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pandas as pd
import pyarrow as pa

from etl.curated_schemas import CURATED
from tests.dashboard import dash_fixture as fd

UTC = UTC


def _sum(g: pd.DataFrame) -> pd.Series:
    return pd.Series({
        "plays": len(g), "streams": int(g["is_stream"].sum()),
        "skips": int(g["is_skipped"].sum()), "ms_played": int(g["ms_played"].sum()),
        "minutes_played": g["ms_played"].sum() / 60000,
    })  # fmt: skip


def daily_listening(fs: pd.DataFrame) -> pd.DataFrame:
    """Zero-filled from each user's first to last play date, per content type they have."""
    frames = []
    for (user, ctype), g in fs.groupby(["user_id", "content_type"]):
        u = fs[fs.user_id == user]
        days = pd.date_range(u.local_date.min(), u.local_date.max(), freq="D").date
        agg = g.groupby("local_date")[list(g.columns)].apply(_sum)
        agg["distinct_tracks"] = g.groupby("local_date")["track_id"].nunique()
        agg["distinct_artists"] = g.groupby("local_date")["artist_id"].nunique()
        agg = agg.reindex(days, fill_value=0).rename_axis("local_date").reset_index()
        agg["user_id"], agg["content_type"] = user, ctype
        frames.append(agg)
    return pd.concat(frames, ignore_index=True)


def hourly_listening(fs: pd.DataFrame) -> pd.DataFrame:
    keys = ["user_id", "local_date", "local_hour", "weekday", "content_type"]
    return fs.groupby(keys)[list(fs.columns)].apply(_sum).reset_index()


def daily_item_listening(fs: pd.DataFrame) -> pd.DataFrame:
    frames = []
    music = fs[fs.content_type == "music"]
    by_id = {
        "track_id": fd.TRACKS,
        "artist_id": {v[1]: v for v in fd.TRACKS.values()},
        "album_id": {v[3]: v for v in fd.TRACKS.values()},
    }
    for item_type, col, name_at in (("track", "track_id", 0), ("artist", "artist_id", 2),
                                    ("album", "album_id", 4)):
        g = music.groupby(["user_id", "local_date", col])[list(fs.columns)].apply(_sum)
        g = g.reset_index().rename(columns={col: "item_id"})
        g["item_name"] = [by_id[col][i][name_at] for i in g.item_id]
        g["artist_name"] = [by_id[col][i][2] for i in g.item_id]
        g["item_type"], g["content_type"] = item_type, "music"
        frames.append(g)
    pods = fs[fs.content_type == "podcast"]
    g = pods.groupby(["user_id", "local_date", "show_id"])[list(fs.columns)].apply(_sum)
    g = g.reset_index().rename(columns={"show_id": "item_id"})
    g["item_name"], g["artist_name"], g["item_type"] = "Pod Show", None, "show"
    g["content_type"] = "podcast"
    frames.append(g)
    return pd.concat(frames, ignore_index=True)


def artist_monthly(fs: pd.DataFrame) -> pd.DataFrame:
    music = fs[fs.content_type == "music"].copy()
    music["month"] = [d.replace(day=1) for d in music.local_date]
    g = music.groupby(["user_id", "month", "artist_id"])[list(music.columns)].apply(_sum)
    g = g.reset_index().drop(columns="skips")
    g["artist_name"] = g.artist_id.map({v[1]: v[2] for v in fd.TRACKS.values()})
    g["rank"] = g.groupby(["user_id", "month"])["ms_played"].rank(ascending=False).astype(int)
    first = g.groupby(["user_id", "artist_id"])["month"].transform("min")
    g["is_new"] = g.month == first
    return g


def first_listens(fs: pd.DataFrame) -> pd.DataFrame:
    rows = []
    music = fs[fs.content_type == "music"].sort_values("started_at")
    for subject, col in (("artist", "artist_id"), ("track", "track_id")):
        for _, r in music.drop_duplicates(["user_id", col]).iterrows():
            info = fd.TRACKS[r.track_id]
            rows.append({
                "user_id": r.user_id, "subject_type": subject, "subject_id": r[col],
                "subject_name": info[2] if subject == "artist" else info[0],
                "artist_name": info[2], "first_played_at": r.started_at,
                "first_local_date": r.local_date, "play_id": r.play_id,
            })  # fmt: skip
    return pd.DataFrame(rows)


def _at(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=UTC)


def hand_written() -> dict[str, pd.DataFrame]:
    """Playlists, anomalies and health rows, as the curate step would have written them."""
    return {**_playlists(), **_anomalies_and_health()}


def _playlists() -> dict[str, pd.DataFrame]:
    d = date.fromisoformat
    playlists = pd.DataFrame([
        ("alice", "pl1", "Road trip", "Songs for the car", d("2024-03-20"), 0, 3, 3, "e1"),
        ("alice", "pl2", "Empty list", None, d("2024-03-20"), 0, 0, 0, "e1"),
    ], columns=list(CURATED["playlists"].names))  # fmt: skip
    items = pd.DataFrame([
        ("alice", "pl1", 0, "track", "t1", None, "Song A", "Artist X", "Album X",
         "spotify:track:t1", None, None, None, d("2023-01-01")),
        ("alice", "pl1", 1, "track", "t3", None, fd.XSS, "Artist Y", "Album Y",
         "spotify:track:t3", None, None, None, d("2023-06-01")),
        ("alice", "pl1", 2, "track", "t4", None, "Song D", "O'Brien", "Album Z",
         "spotify:track:t4", None, None, None, d("2024-03-01")),
    ], columns=list(CURATED["fact_playlist_items"].names))  # fmt: skip
    stats = pd.DataFrame([
        ("alice", "pl1", "Road trip", 0, "t1", "Song A", "Artist X", d("2023-01-01"),
         d("2024-03-31"), 455, 3, 2, 1, 1 / 3, 2 / 455 * 30, _at("2024-03-02 21:05"), 29, False),
        ("alice", "pl1", "Road trip", 1, "t3", fd.XSS, "Artist Y", d("2023-06-01"),
         d("2024-03-31"), 304, 2, 2, 0, 0.0, 2 / 304 * 30, _at("2024-03-27 22:00"), 4, True),
        ("alice", "pl1", "Road trip", 2, "t4", "Song D", "O'Brien", d("2024-03-01"),
         d("2024-03-31"), 30, 1, 1, 0, 0.0, 1.0, _at("2024-03-02 21:00"), 29, False),
    ], columns=list(CURATED["playlist_track_stats"].names))  # fmt: skip
    recs = pd.DataFrame([
        ("alice", "pl1", "Road trip", 1, "t3", fd.XSS, "Artist Y", "remove",
         "Played 0.20 times per 30 days since it was added 304 days ago (bottom 10%).",
         2 / 304 * 30, 0.0, 304, _at("2024-03-27 22:00")),
    ], columns=list(CURATED["playlist_recommendations"].names))  # fmt: skip
    return {"playlists": playlists, "fact_playlist_items": items,
            "playlist_track_stats": stats, "playlist_recommendations": recs}  # fmt: skip


def _anomalies_and_health() -> dict[str, pd.DataFrame]:
    d = date.fromisoformat
    anomalies = pd.DataFrame([
        ("alice", "an1", d("2024-03-03"), "high_day", "day", None, None, 30.0, 4.0, 5.2,
         None, None, "30 min vs a usual 4 min: mostly Pod Show (30 min)"),
        ("alice", "an2", d("2024-03-27"), "new_obsession", "track", "t3", fd.XSS, 2.0, None,
         None, 2, 4.0, f"{fd.XSS} played 2 times in 7 days, 4× its usual rate"),
    ], columns=list(CURATED["anomalies"].names))  # fmt: skip
    exports = pd.DataFrame([
        ("alice", "abc123def456", "my_spotify_data.zip", _at("2024-04-01 10:00"), 12345, 4,
         "extended", 12, 9, 1, 2),
        ("bob", "bbb111ccc222", "bob.zip", _at("2022-06-01 09:00"), 999, 2, "account", 2, 2, 0,
         0),
    ], columns=list(CURATED["exports"].names))  # fmt: skip
    rejects = pd.DataFrame([
        ("alice", "abc123def456", "Streaming_History_Audio_2024.json", "ts is missing", 1),
        ("alice", "abc123def456", "Streaming_History_Audio_2024.json", "ms_played < 0", 1),
    ], columns=list(CURATED["reject_reasons"].names))  # fmt: skip
    return {"anomalies": anomalies, "exports": exports, "reject_reasons": rejects}


def dim_date() -> pd.DataFrame:
    days = pd.date_range("2022-01-01", "2024-12-31", freq="D")
    return pd.DataFrame({
        "local_date": days.date, "year": days.year, "quarter": days.quarter, "month": days.month,
        "month_name": days.strftime("%B"), "year_month": days.strftime("%Y-%m"),
        "iso_year": days.isocalendar().year.values, "iso_week": days.isocalendar().week.values,
        "week_start": (days - pd.to_timedelta(days.day_of_week, unit="D")).date,
        "day_of_month": days.day, "day_of_year": days.day_of_year, "weekday": days.day_of_week + 1,
        "weekday_name": days.strftime("%A"), "is_weekend": days.day_of_week >= 5,
    })  # fmt: skip


def all_tables() -> dict[str, pa.Table]:
    """Every curated table, cast to its pinned Arrow schema."""
    fs = fd.fact_streams()
    frames = {
        "fact_streams": fs, **fd.dims(fs), "sessions": fd.sessions(fs),
        "daily_listening": daily_listening(fs), "hourly_listening": hourly_listening(fs),
        "daily_item_listening": daily_item_listening(fs), "artist_monthly": artist_monthly(fs),
        "first_listens": first_listens(fs), "dim_date": dim_date(), **hand_written(),
    }  # fmt: skip
    out = {}
    for name, schema in CURATED.items():
        df = frames[name][list(schema.names)]
        out[name] = pa.Table.from_pandas(df, schema=schema, preserve_index=False)
    return out
