"""Dimensions: tracks, artists, albums, episodes, platforms, and the shared calendar.

A dimension holds every entity the user's data mentions: played ones, and tracks or episodes
that only sit in a playlist (with zero plays), so every key in ``fact_playlist_items`` resolves.
Names are the most common spelling among plays (playlist spellings only break ties / fill in).
"""

from __future__ import annotations

import pyarrow as pa

from etl.sqlrun import run

CALENDAR_START, CALENDAR_END = "2008-01-01", "2040-12-31"

# Every mention of a music entity, counted once per spelling: plays (w) and all mentions (n).
_MUSIC = """
select track_id, track_name, artist_id, artist_name, album_id, album_name, track_uri,
    cast(sum(w) as bigint) as w, count(*) as n
from (
    select track_id, track_name, artist_id, artist_name, album_id, album_name, track_uri,
        1 as w from plays where content_type = 'music'
    union all
    select track_id, track_name, artist_id, artist_name, album_id, album_name, track_uri,
        0 as w from items
)
group by track_id, track_name, artist_id, artist_name, album_id, album_name, track_uri
"""
_EPISODES = """
select episode_id, episode_name, show_id, show_name, content_type, episode_uri,
    cast(sum(w) as bigint) as w, count(*) as n
from (
    select episode_id, episode_name, show_id, show_name, content_type, episode_uri, 1 as w
    from plays where episode_id is not null
    union all
    select episode_id, episode_name, show_id, show_name, content_type, episode_uri, 0 as w
    from items where episode_id is not null
)
group by episode_id, episode_name, show_id, show_name, content_type, episode_uri
"""
_STATS_COLS = """
    s.first_played_at, s.last_played_at, coalesce(s.plays, 0) as plays,
    coalesce(s.streams, 0) as streams, coalesce(s.skips, 0) as skips,
    coalesce(s.ms_played, 0) as ms_played, coalesce(s.ms_played, 0) / 60000 as minutes_played
"""


def _most_common(key: str, col: str) -> str:
    """SQL: per ``key`` the value of ``col`` seen most often (plays first, then name order)."""
    return (
        f"select {key}, {col} from m where {key} is not null and {col} is not null "
        f"group by {key}, {col} qualify row_number() over "
        f"(partition by {key} order by sum(w) desc, sum(n) desc, {col}) = 1"
    )


def _stats(key: str) -> str:
    return (
        f"select {key}, min(started_at) as first_played_at, max(started_at) as last_played_at, "
        "count(*) as plays, count(*) filter (where is_stream) as streams, "
        "count(*) filter (where is_skipped) as skips, "
        "cast(sum(ms_played) as bigint) as ms_played "
        f"from plays where {key} is not null group by {key}"
    )


_ARTISTS = f"""
with names as ({_most_common("artist_id", "artist_name")}),
s as ({_stats("artist_id")}),
t as (select artist_id, count(distinct track_id) as track_count from m
      where artist_id is not null group by artist_id)
select $user as user_id, names.artist_id, names.artist_name, {_STATS_COLS},
    coalesce(t.track_count, 0) as track_count
from names left join s using (artist_id) left join t using (artist_id)
order by names.artist_id
"""

_ALBUMS = f"""
with names as ({_most_common("album_id", "album_name")}),
artists as ({_most_common("artist_id", "artist_name")}),
owner as (select album_id, min(artist_id) as artist_id from m
          where album_id is not null group by album_id),
s as ({_stats("album_id")}),
t as (select album_id, count(distinct track_id) as track_count from m
      where album_id is not null group by album_id)
select $user as user_id, names.album_id, names.album_name, owner.artist_id,
    artists.artist_name, {_STATS_COLS}, coalesce(t.track_count, 0) as track_count
from names join owner using (album_id) left join artists using (artist_id)
    left join s using (album_id) left join t using (album_id)
order by names.album_id
"""

_TRACKS = f"""
with names as ({_most_common("track_id", "track_name")}),
artists as ({_most_common("artist_id", "artist_name")}),
albums as ({_most_common("album_id", "album_name")}),
track_album as ({_most_common("track_id", "album_id")}),
uris as ({_most_common("track_id", "track_uri")}),
owner as (select track_id, min(artist_id) as artist_id from m
          where track_id is not null group by track_id),
s as ({_stats("track_id")})
select $user as user_id, names.track_id, names.track_name, owner.artist_id,
    artists.artist_name, track_album.album_id, albums.album_name, uris.track_uri, {_STATS_COLS}
from names join owner using (track_id) left join artists using (artist_id)
    left join track_album using (track_id) left join albums using (album_id)
    left join uris using (track_id) left join s using (track_id)
order by names.track_id
"""

_EPISODE_DIM = f"""
with names as ({_most_common("episode_id", "episode_name")}),
shows as ({_most_common("show_id", "show_name")}),
kinds as ({_most_common("episode_id", "content_type")}),
uris as ({_most_common("episode_id", "episode_uri")}),
owner as (select episode_id, min(show_id) as show_id from m group by episode_id),
s as ({_stats("episode_id")})
select $user as user_id, names.episode_id, names.episode_name, owner.show_id, shows.show_name,
    kinds.content_type, uris.episode_uri, {_STATS_COLS}
from names join owner using (episode_id) left join shows using (show_id)
    left join kinds using (episode_id) left join uris using (episode_id)
    left join s using (episode_id)
order by names.episode_id
"""

# First match wins; web players before their OS, TVs before Android (Android TV).
PLATFORM_FAMILIES = (
    ("web", ("web_player", "webplayer", "web player", "web-player")),
    ("tv", ("tv", "tizen", "webos", "roku", "bravia")),
    ("console", ("playstation", "ps4", "ps5", "xbox")),
    ("cast", ("cast", "sonos", "google_home", "alexa", "echo", "speaker", "bose")),
    ("android", ("android",)),
    ("ios", ("ios", "iphone", "ipad")),
    ("macos", ("os x", "osx", "macos", "mac os")),
    ("windows", ("windows",)),
    ("linux", ("linux",)),
)


def platform_family(platform: str) -> str:
    text = platform.lower()
    for family, needles in PLATFORM_FAMILIES:
        if any(n in text for n in needles):
            return family
    return "other"


_PLATFORMS = """
with m as (
    select platform_id, platform, count(*) as w, count(*) as n from plays
    where platform_id is not null group by platform_id, platform
),
names as ({names}),
s as (select platform_id, count(*) as plays, cast(sum(ms_played) as bigint) as ms_played
      from plays where platform_id is not null group by platform_id)
select $user as user_id, platform_id, platform, s.plays, s.ms_played
from names join s using (platform_id) order by platform_id
""".format(names=_most_common("platform_id", "platform"))


def build_platforms(plays: pa.Table, user: str) -> pa.Table:
    out = run(_PLATFORMS, {"user": user}, plays=plays)
    families = [platform_family(p) for p in out["platform"].to_pylist()]
    return out.append_column("platform_family", pa.array(families, pa.string()))


def build_dims(plays: pa.Table, items: pa.Table, user: str) -> dict[str, pa.Table]:
    """``dim_artists``, ``dim_albums``, ``dim_tracks``, ``dim_episodes``, ``dim_platforms``."""
    params = {"user": user}
    music = run(_MUSIC, plays=plays, items=items)
    episodes = run(_EPISODES, plays=plays, items=items)
    return {
        "dim_artists": run(_ARTISTS, params, plays=plays, m=music),
        "dim_albums": run(_ALBUMS, params, plays=plays, m=music),
        "dim_tracks": run(_TRACKS, params, plays=plays, m=music),
        "dim_episodes": run(_EPISODE_DIM, params, plays=plays, m=episodes),
        "dim_platforms": build_platforms(plays, user),
    }


_CALENDAR = """
select cast(d as date) as local_date, year(d) as year, quarter(d) as quarter,
    month(d) as month, monthname(d) as month_name, strftime(d, '%Y-%m') as year_month,
    isoyear(d) as iso_year, week(d) as iso_week, cast(date_trunc('week', d) as date) as week_start,
    day(d) as day_of_month, dayofyear(d) as day_of_year, isodow(d) - 1 as weekday,
    dayname(d) as weekday_name, isodow(d) >= 6 as is_weekend
from generate_series(cast($start as timestamp), cast($end as timestamp), interval 1 day) t(d)
order by local_date
"""


def build_dim_date() -> pa.Table:
    """The shared calendar, 2008-01-01 .. 2040-12-31; weekday 0 = Monday like fact_streams."""
    return run(_CALENDAR, {"start": CALENDAR_START, "end": CALENDAR_END})
