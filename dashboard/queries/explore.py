"""Questions of the Explore pages: searchable, sortable item tables and one artist's story."""

from __future__ import annotations

import pandas as pd

from dashboard.filters import Filters
from dashboard.queries._base import cached, run

ITEM_TYPES = ("artist", "track", "album", "show")
PAGE_SIZE = 25
#: Sortable columns → their SQL; anything else sorts by minutes.
SORTS = {
    "name": "lower(name)", "artist_name": "lower(artist_name)", "plays": "plays",
    "streams": "streams", "skips": "skips", "minutes_played": "minutes_played",
}  # fmt: skip

_PERIOD_SOURCE = """
    select item_id, max(item_name) as name, max(artist_name) as artist_name,
           sum(plays) as plays, sum(streams) as streams, sum(skips) as skips,
           sum(minutes_played) as minutes_played
    from curated.daily_item_listening
    where user_id = :user_id and item_type = :item_type
      and local_date between :start_date and :end_date
    group by item_id
"""
_STATS = "plays, streams, skips, minutes_played"
# Lifetime totals are already in the dimension tables: no need to add up every day.
_LIFETIME_SOURCE = {
    "artist": f"""select artist_id as item_id, artist_name as name, artist_name, {_STATS}
                  from curated.dim_artists where user_id = :user_id""",
    "track": f"""select track_id as item_id, track_name as name, artist_name, {_STATS}
                 from curated.dim_tracks where user_id = :user_id""",
    "album": f"""select album_id as item_id, album_name as name, artist_name, {_STATS}
                 from curated.dim_albums where user_id = :user_id""",
    "show": """select show_id as item_id, max(show_name) as name, max(show_name) as artist_name,
                      sum(plays) as plays, sum(streams) as streams, sum(skips) as skips,
                      sum(minutes_played) as minutes_played
               from curated.dim_episodes where user_id = :user_id group by show_id""",
}
_TABLE = """
    select item_id, name, artist_name, plays, streams, skips, minutes_played,
           count(*) over () as total
    from ({source}) x
    where lower(coalesce(name, '')) like :pattern escape '!'
       or lower(coalesce(artist_name, '')) like :pattern escape '!'
    order by {sort}, item_id
    limit :limit offset :offset
"""


def applies(item_type: str, content: str) -> bool:
    """Whether an item type exists under a content filter (shows are podcasts)."""
    return content == "all" or (content == "podcast") == (item_type == "show")


def _pattern(search: str) -> str:
    escaped = search.strip().lower().replace("!", "!!").replace("%", "!%").replace("_", "!_")
    return f"%{escaped}%"


@cached
def item_table(
    f: Filters, item_type: str, search: str = "", sort: str = "minutes_played",
    descending: bool = True, page: int = 0, lifetime: bool = False,
) -> pd.DataFrame:
    """One page of an item table with a ``total`` column (matching rows across all pages).

    ``lifetime`` reads the dimension tables' totals (callers pass it when the period spans
    all the user's data, where both give the same numbers).
    """
    if item_type not in ITEM_TYPES or not applies(item_type, f.content):
        return pd.DataFrame(columns=["item_id", "name", "artist_name", *_STATS.split(", "),
                                     "total"])  # fmt: skip
    source = _LIFETIME_SOURCE[item_type] if lifetime else _PERIOD_SOURCE
    order = f"{SORTS.get(sort, 'minutes_played')} {'desc' if descending else 'asc'}"
    sql = _TABLE.format(source=source, sort=order)
    params = {**f.params(), "item_type": item_type, "pattern": _pattern(search),
              "limit": PAGE_SIZE, "offset": max(page, 0) * PAGE_SIZE}  # fmt: skip
    return run(sql, params)


@cached
def artist(user: str, artist_id: str) -> dict | None:
    """One artist's lifetime totals, or None when the user never played them."""
    df = run(
        """select artist_id, artist_name, plays, streams, skips, minutes_played, track_count,
                  first_played_at, last_played_at
           from curated.dim_artists where user_id = :user_id and artist_id = :artist_id""",
        {"user_id": user, "artist_id": artist_id},
    )
    return None if df.empty else df.iloc[0].to_dict()


@cached
def artist_history(user: str, artist_id: str) -> pd.DataFrame:
    """The artist's minutes, plays and rank per month, over the user's whole history."""
    return run(
        """select month, minutes_played, plays, rank from curated.artist_monthly
           where user_id = :user_id and artist_id = :artist_id order by month""",
        {"user_id": user, "artist_id": artist_id},
    )


@cached
def artist_top_tracks(
    f: Filters, artist_id: str, limit: int = 10, lifetime: bool = False
) -> pd.DataFrame:
    """The artist's most-played tracks in the period (``lifetime``: from dim_tracks)."""
    if lifetime:
        return run(
            """select track_id, track_name, plays, streams, minutes_played
               from curated.dim_tracks where user_id = :user_id and artist_id = :artist_id
               order by minutes_played desc, track_id limit :limit""",
            {"user_id": f.user, "artist_id": artist_id, "limit": limit},
        )
    return run(
        """select d.item_id as track_id, max(d.item_name) as track_name, sum(d.plays) as plays,
                  sum(d.streams) as streams, sum(d.minutes_played) as minutes_played
           from curated.daily_item_listening d
           join curated.dim_tracks t on t.user_id = d.user_id and t.track_id = d.item_id
           where d.user_id = :user_id and d.item_type = 'track' and t.artist_id = :artist_id
             and d.local_date between :start_date and :end_date
           group by d.item_id
           order by sum(d.minutes_played) desc, d.item_id limit :limit""",
        {**f.params(), "artist_id": artist_id, "limit": limit},
    )
