"""Listening aggregates: sessions, daily / hourly / per-item days, artist months, first listens.

Days and hours are local (the play's start in its zone). "distinct" counts count streams only
(plays ≥ 30 s), like the distinct-tracks KPI; for podcasts an episode counts as a track and a
show as an artist.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import numpy as np
import pyarrow as pa

from etl.model.plays import first_rows, play_order
from etl.sqlrun import run

PART_ROWS = 250_000  # plays per date range when a table is built in parts

_SUMS = """count(*) as plays, count(*) filter (where is_stream) as streams,
    count(*) filter (where is_skipped) as skips, cast(sum(ms_played) as bigint) as ms_played,
    cast(sum(ms_played) as bigint) / 60000 as minutes_played"""

# names of artists and shows (for "top artist" labels)
_LABELS = """
labels as (
    select id, name from (
        select artist_id as id, artist_name as name from dim_artists
        union all
        select show_id, show_name from dim_episodes where show_id is not null
    ) group by id, name
    qualify row_number() over (partition by id order by name) = 1
)"""

_SESSIONS = f"""
with first_play as (select * from session_starts),
{_LABELS},
top as (
    select session_id, coalesce(artist_id, show_id) as id from plays
    where coalesce(artist_id, show_id) is not null
    group by session_id, coalesce(artist_id, show_id)
    qualify row_number() over (partition by session_id
        order by sum(ms_played) desc, coalesce(artist_id, show_id)) = 1
),
agg as (
    select session_id, min(started_at) as started_at, max(ended_at) as ended_at, {_SUMS},
        count(distinct coalesce(track_id, episode_id)) filter (where is_stream)
            as distinct_tracks
    from plays group by session_id
)
select $user as user_id, agg.session_id, agg.started_at, agg.ended_at,
    first_play.started_at_local, first_play.local_date, plays, streams, skips, ms_played,
    minutes_played, (epoch_ms(agg.ended_at) - epoch_ms(agg.started_at)) / 60000
        as duration_minutes,
    distinct_tracks, labels.name as top_artist_name
from agg join first_play using (session_id) left join top using (session_id)
    left join labels on labels.id = top.id
order by agg.started_at, agg.session_id
"""

_DAILY = f"""
with bounds as (select min(local_date) as d0, max(local_date) as d1 from plays),
days as (
    select cast(unnest(generate_series(cast(d0 as timestamp), cast(d1 as timestamp),
        interval 1 day)) as date) as local_date
    from bounds where d0 is not null
),
kinds as (select distinct content_type from plays),
agg as (
    select local_date, content_type, {_SUMS},
        count(distinct coalesce(track_id, episode_id)) filter (where is_stream)
            as distinct_tracks,
        count(distinct coalesce(artist_id, show_id)) filter (where is_stream)
            as distinct_artists
    from plays group by local_date, content_type
)
select $user as user_id, days.local_date, kinds.content_type,
    coalesce(plays, 0) as plays, coalesce(streams, 0) as streams, coalesce(skips, 0) as skips,
    coalesce(ms_played, 0) as ms_played, coalesce(minutes_played, 0) as minutes_played,
    coalesce(distinct_tracks, 0) as distinct_tracks,
    coalesce(distinct_artists, 0) as distinct_artists
from days cross join kinds left join agg using (local_date, content_type)
order by days.local_date, kinds.content_type
"""

_HOURLY = f"""
select $user as user_id, local_date, local_hour, weekday, content_type, {_SUMS}
from plays group by local_date, local_hour, weekday, content_type
order by local_date, local_hour, content_type
"""

# Two stages: plays → (day, track, album, artist, show) sums, then those sums per item.
_ITEM_DAYS = """
with base as (
    select local_date, content_type, track_id, album_id, artist_id, show_id,
        count(*) as plays, count(*) filter (where is_stream) as streams,
        count(*) filter (where is_skipped) as skips, sum(ms_played) as ms_played
    from plays where coalesce(artist_id, track_id, album_id, show_id) is not null
        and local_date >= $lo and local_date < $hi
    group by local_date, content_type, track_id, album_id, artist_id, show_id
),
p as (
    select local_date, 'artist' as item_type, artist_id as item_id, content_type, plays,
        streams, skips, ms_played from base where artist_id is not null
    union all select local_date, 'track', track_id, content_type, plays, streams, skips,
        ms_played from base where track_id is not null
    union all select local_date, 'album', album_id, content_type, plays, streams, skips,
        ms_played from base where album_id is not null
    union all select local_date, 'show', show_id, content_type, plays, streams, skips,
        ms_played from base where show_id is not null
),
agg as (
    select local_date, item_type, item_id, content_type, cast(sum(plays) as bigint) as plays,
        cast(sum(streams) as bigint) as streams, cast(sum(skips) as bigint) as skips,
        cast(sum(ms_played) as bigint) as ms_played
    from p group by local_date, item_type, item_id, content_type
),
names as (
    select 'artist' as item_type, artist_id as item_id, artist_name as item_name,
        artist_name from dim_artists
    union all select 'track', track_id, track_name, artist_name from dim_tracks
    union all select 'album', album_id, album_name, artist_name from dim_albums
    union all select distinct 'show', show_id, show_name, null from dim_episodes
)
select $user as user_id, local_date, item_type, item_id, names.item_name, names.artist_name,
    content_type, plays, streams, skips, ms_played, ms_played / 60000 as minutes_played
from agg left join names using (item_type, item_id)
order by local_date, item_type, item_id, content_type
"""

_ARTIST_MONTHS = """
with m as (
    select cast(date_trunc('month', local_date) as date) as month, artist_id,
        count(*) as plays, count(*) filter (where is_stream) as streams,
        cast(sum(ms_played) as bigint) as ms_played
    from plays where artist_id is not null group by 1, 2
)
select $user as user_id, month, artist_id, a.artist_name, m.plays, m.streams, m.ms_played,
    m.ms_played / 60000 as minutes_played,
    row_number() over (partition by month order by m.ms_played desc, artist_id) as rank,
    month = min(month) over (partition by artist_id) as is_new
from m join dim_artists a using (artist_id)
order by month, rank
"""

_FIRSTS = """
with names as (
    select 'artist' as subject_type, artist_id as subject_id, artist_name as subject_name,
        artist_name from dim_artists
    union all select 'track', track_id, track_name, artist_name from dim_tracks
)
select $user as user_id, subject_type, subject_id, names.subject_name, names.artist_name,
    started_at as first_played_at, local_date as first_local_date, play_id
from firsts join names using (subject_type, subject_id)
order by first_played_at, subject_type, subject_id
"""


def _session_starts(plays: pa.Table) -> pa.Table:
    cols = ["session_id", "started_at_local", "local_date"]
    return plays.select(cols).take(first_rows(plays["session_id"], play_order(plays)))


def _firsts(plays: pa.Table) -> pa.Table:
    parts, order = [], play_order(plays)
    for subject, col in (("artist", "artist_id"), ("track", "track_id")):
        rows = plays.select([col, "started_at", "local_date", "play_id"]).take(
            first_rows(plays[col], order)
        )
        kind = pa.repeat(pa.scalar(subject), rows.num_rows)
        parts.append(rows.rename_columns(["subject_id", *rows.column_names[1:]])
                     .append_column("subject_type", kind))  # fmt: skip
    return pa.concat_tables(parts)


def _tables(plays: pa.Table, dims: dict[str, pa.Table]) -> dict[str, pa.Table]:
    names = ("dim_artists", "dim_tracks", "dim_albums", "dim_episodes")
    return {"plays": plays, **{k: dims[k] for k in names}}


def daily_listening(plays: pa.Table, user: str) -> pa.Table:
    return run(_DAILY, {"user": user}, plays=plays)


def date_ranges(plays: pa.Table, rows: int = PART_ROWS) -> list[tuple[dt.date, dt.date]]:
    """Consecutive ``[lo, hi)`` local-date ranges holding about ``rows`` plays each."""
    if plays.num_rows == 0:
        return []
    days = np.sort(plays["local_date"].to_numpy(zero_copy_only=False).astype("datetime64[D]"))
    cuts = np.unique(days[::rows])
    ends = [*cuts[1:], days[-1] + np.timedelta64(1, "D")]
    return [(lo.item(), hi.item()) for lo, hi in zip(cuts, ends, strict=True)]


def item_days(plays: pa.Table, dims: dict[str, pa.Table], user: str) -> pa.Table:
    """``daily_item_listening`` of ``plays``, built a date range at a time (bounded memory;
    the ranges are in date order, so the parts concatenate in the table's sort order)."""
    tables = _tables(plays, dims)
    ranges = date_ranges(plays) or [(dt.date(1970, 1, 1),) * 2]  # none: an empty, typed table
    parts = [run(_ITEM_DAYS, {"user": user, "lo": lo, "hi": hi}, **tables) for lo, hi in ranges]
    return pa.concat_tables(parts)


def build_listening(
    plays: pa.Table, dims: dict[str, pa.Table], user: str
) -> Iterator[tuple[str, pa.Table]]:
    """Sessions, hourly and item-day tables, artist months and first listens, one at a time
    (each is built only when the previous one has been taken, which bounds memory)."""
    tables, params = _tables(plays, dims), {"user": user}
    yield "sessions", run(_SESSIONS, params, session_starts=_session_starts(plays), **tables)
    yield "hourly_listening", run(_HOURLY, params, **tables)
    yield "daily_item_listening", item_days(plays, dims, user)
    yield "artist_monthly", run(_ARTIST_MONTHS, params, **tables)
    yield "first_listens", run(_FIRSTS, params, firsts=_firsts(plays), **tables)
