"""Playlists from the latest export that has any, their items, per-track stats and removals.

Rules (DESIGN §4, docs/model.md): play rate = streams of the track since it was added, per 30
days in the playlist; skip rate = skips / starts over the same plays. A removal candidate has
been in the playlist ≥ 60 days, has a play rate in the playlist's bottom decile (playlists of
≥ 10 tracks) or ≤ 0.25, and either a skip rate ≥ 0.5 over ≥ 3 starts or no play for 180 days.
"""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pyarrow.compute as pc

from etl.curated_schemas import CURATED
from etl.model.keys import ids
from etl.sqlrun import run

MIN_DAYS, MAX_RATE, IDLE_DAYS = 60, 0.25, 180
MIN_SKIP_RATE, MIN_STARTS, DECILE_MIN_TRACKS = 0.5, 3, 10
NULL_S = pa.scalar(None, pa.string())


def latest_export(items: pa.Table, received_at: dict[str, str]) -> str | None:
    """The export whose playlists count: latest ``received_at``, ties broken by export id."""
    exports = [e for e in pc.unique(items["export_id"]).to_pylist() if e is not None]
    return max(exports, key=lambda e: (received_at.get(e, ""), e)) if exports else None


def build_items(clean_items: pa.Table, export_id: str | None) -> pa.Table:
    """The chosen export's playlist rows with the same ids the plays get."""
    t = clean_items.filter(pc.equal(clean_items["export_id"], pa.scalar(export_id, pa.string())))
    kind = t["item_type"]
    tracky = pc.is_in(kind, pa.array(["track", "local"]))
    episode = pc.equal(kind, "episode")
    show = pc.if_else(
        episode,
        t["show_name"],
        pc.if_else(pc.equal(kind, "audiobook"), t["audiobook_name"], NULL_S),
    )
    episode_name = pc.if_else(episode, t["episode_name"], NULL_S)
    cols = {name: t[name] for name in t.column_names}
    cols.update({
        "content_type": pc.if_else(tracky, "music", pc.if_else(episode, "podcast", "audiobook")),
        "track_id": pc.if_else(tracky, ids(t["artist_name"], t["track_name"]), NULL_S),
        "artist_id": pc.if_else(tracky, ids(t["artist_name"]), NULL_S),
        "album_id": pc.if_else(tracky, ids(t["artist_name"], t["album_name"]), NULL_S),
        "show_name": show,
        "episode_name": episode_name,
        "episode_id": ids(show, episode_name),
        "show_id": ids(show),
    })  # fmt: skip
    return pa.table(cols)


_PLAYLISTS = """
select $user as user_id, playlist_id, min(playlist_name) as playlist_name,
    min(playlist_description) as description, max(last_modified_date) as last_modified_date,
    max(follower_count) as follower_count, count(item_type) as item_count,
    count(*) filter (where item_type = 'track') as track_count,
    cast($export as varchar) as export_id
from items group by playlist_id order by playlist_id
"""

_ITEMS = """
select $user as user_id, playlist_id, position, item_type, track_id, episode_id, track_name,
    artist_name, album_name, track_uri, episode_name, show_name, local_uri, added_date
from items where item_type is not null order by playlist_id, position
"""

_STATS = f"""
with t as (
    select i.playlist_id, p.playlist_name, i.position, i.track_id, i.track_name,
        i.artist_name, i.added_date, coalesce(i.added_date, p.last_modified_date, $as_of) as since
    from items i join playlists p using (playlist_id) where i.track_id is not null
),
hits as (
    select t.playlist_id, t.position, count(f.track_id) as starts,
        count(*) filter (where f.is_stream) as streams,
        count(*) filter (where f.is_skipped) as skips
    from t left join plays f on f.track_id = t.track_id and f.local_date >= t.since
    group by t.playlist_id, t.position
),
last_play as (
    select track_id, max(started_at) as last_played_at, max(local_date) as last_date
    from plays where track_id is not null group by track_id
),
rated as (
    select t.*, h.starts, h.streams, h.skips, cast($as_of as date) as as_of_date,
        greatest(date_diff('day', t.since, $as_of), 0) as days_in_playlist,
        lp.last_played_at, date_diff('day', lp.last_date, $as_of) as days_since_last_play,
        case when h.starts > 0 then h.skips / h.starts end as skip_rate,
        h.streams * 30 / greatest(date_diff('day', t.since, $as_of), 1) as play_rate_30d
    from t join hits h using (playlist_id, position) left join last_play lp using (track_id)
),
flagged as (
    select *,
        count(*) over (partition by playlist_id) >= {DECILE_MIN_TRACKS}
            and play_rate_30d <= quantile_cont(play_rate_30d, 0.1)
                over (partition by playlist_id) as is_bottom_decile,
        coalesce(skip_rate >= {MIN_SKIP_RATE} and starts >= {MIN_STARTS}, false) as by_skips,
        coalesce(days_since_last_play >= {IDLE_DAYS}, true) as by_idle
    from rated
)
select $user as user_id, *,
    days_in_playlist >= {MIN_DAYS} and (is_bottom_decile or play_rate_30d <= {MAX_RATE})
        and (by_skips or by_idle) as is_removal_candidate
from flagged order by playlist_id, position
"""


def _num(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".")


def reason(r: dict) -> str:
    """The sentence a person reads next to a removal candidate, with the numbers behind it."""
    if r["added_date"] is not None:
        parts = [f"Added {r['days_in_playlist']} days ago"]
    else:
        parts = [f"In the playlist for at least {r['days_in_playlist']} days (no added date)"]
    rate = f"played {_num(r['play_rate_30d'])} times per 30 days"
    if r["is_bottom_decile"]:
        rate += f" (bottom 10% of '{r['playlist_name']}')"
    parts.append(rate)
    if r["by_skips"]:
        parts.append(f"skipped {r['skips']} of {r['starts']} starts ({r['skip_rate']:.0%})")
    if r["by_idle"]:
        idle = r["days_since_last_play"]
        parts.append("never played" if idle is None else f"not played for {idle} days")
    return ", ".join(parts) + "."


def _recommendations(stats: pa.Table) -> pa.Table:
    rows = stats.filter(stats["is_removal_candidate"]).to_pylist()
    for r in rows:
        r["action"], r["reason"] = "remove", reason(r)
    schema = CURATED["playlist_recommendations"]
    return pa.Table.from_pylist([{k: r[k] for k in schema.names} for r in rows], schema=schema)


def build_playlist_tables(
    items: pa.Table, plays: pa.Table, user: str, export_id: str | None, as_of: dt.date
) -> dict[str, pa.Table]:
    """``playlists``, ``fact_playlist_items``, ``playlist_track_stats``, recommendations."""
    params = {"user": user, "export": export_id}
    playlists = run(_PLAYLISTS, params, items=items)
    stats = run(_STATS, {"user": user, "as_of": as_of}, items=items, playlists=playlists,
                plays=plays)  # fmt: skip
    return {
        "playlists": playlists,
        "fact_playlist_items": run(_ITEMS, {"user": user}, items=items),
        "playlist_track_stats": stats,
        "playlist_recommendations": _recommendations(stats),
    }
