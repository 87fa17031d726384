"""The one definition of each headline KPI, as SQL over the curated warehouse tables.

The Dash app runs these queries; the GoodData metrics (MAQL) are tested to agree with them.
Every query takes the same named parameters (``:name`` style, see ``etl.warehouse``):

* ``user_id``     – whose data
* ``start_date``  – first local date included
* ``end_date``    – last local date included
* ``content``     – ``all``, ``music``, ``podcast`` or ``audiobook``

and returns one row with one column, ``value``. The same SQL runs on PostgreSQL and DuckDB.

``sql`` is the definition, over the plays in ``fact_streams``. ``fast_sql`` gives the same number
from the daily aggregates (an index read instead of a scan of every play); the dashboard runs
it, and ``tests/etl/test_kpis.py`` proves the two equal on hand-built and real data.
"""

from __future__ import annotations

from dataclasses import dataclass

_PERIOD = """
    f.user_id = :user_id
    and f.local_date between :start_date and :end_date
    and (:content = 'all' or f.content_type = :content)
"""


@dataclass(frozen=True)
class Kpi:
    id: str
    title: str
    description: str
    fmt: str  # a GoodData-style number format
    sql: str
    fast_sql: str = ""


def _kpi(id_: str, title: str, description: str, fmt: str, select: str, extra: str = "") -> Kpi:
    sql = f"select {select} as value from curated.fact_streams f where {_PERIOD} {extra}"
    return Kpi(id_, title, description, fmt, " ".join(sql.split()))


KPIS: dict[str, Kpi] = {
    k.id: k
    for k in (
        _kpi(
            "minutes_listened",
            "Minutes listened",
            "Total time played, in minutes (every play counts, however short).",
            "#,##0",
            "coalesce(sum(f.ms_played), 0) / 60000.0",
        ),
        _kpi(
            "streams",
            "Streams",
            "Plays of 30 seconds or more (Spotify's own threshold for a stream).",
            "#,##0",
            "count(*)",
            "and f.is_stream",
        ),
        _kpi(
            "plays",
            "Plays",
            "Every playback record, however short.",
            "#,##0",
            "count(*)",
        ),
        _kpi(
            "distinct_tracks",
            "Distinct tracks",
            "Different tracks streamed (≥ 30 s).",
            "#,##0",
            "count(distinct f.track_id)",
            "and f.is_stream",
        ),
        _kpi(
            "distinct_artists",
            "Distinct artists",
            "Different artists streamed (≥ 30 s).",
            "#,##0",
            "count(distinct f.artist_id)",
            "and f.is_stream",
        ),
        _kpi(
            "skip_rate",
            "Skip rate",
            "Share of plays that were skipped.",
            "#,##0.0%",
            "coalesce(sum(case when f.is_skipped then 1 else 0 end) * 1.0"
            " / nullif(count(*), 0), 0)",
        ),
        _kpi(
            "avg_minutes_per_active_day",
            "Minutes per active day",
            "Minutes listened divided by the days with any listening.",
            "#,##0.0",
            "coalesce(sum(f.ms_played) / 60000.0 / nullif(count(distinct f.local_date), 0), 0)",
        ),
    )
}

KPIS["top_artist_share"] = Kpi(
    "top_artist_share",
    "Top artist share",
    "The most-played artist's share of the minutes listened to music with a known artist.",
    "#,##0.0%",
    " ".join(
        f"""
        select coalesce(max(a.ms) * 1.0 / nullif(sum(a.ms), 0), 0) as value
        from (
            select f.artist_id, sum(f.ms_played) as ms
            from curated.fact_streams f
            where {_PERIOD} and f.artist_id is not null
            group by f.artist_id
        ) a
        """.split()
    ),
)

KPIS["new_artists"] = Kpi(
    "new_artists",
    "New artists discovered",
    "Artists whose first play ever falls in the period.",
    "#,##0",
    " ".join(
        """
        select count(*) as value
        from curated.first_listens fl
        where fl.user_id = :user_id
          and fl.subject_type = 'artist'
          and fl.first_local_date between :start_date and :end_date
          and (:content = 'all' or :content = 'music')
        """.split()
    ),
)


_DAILY = """
    d.user_id = :user_id
    and d.local_date between :start_date and :end_date
    and (:content = 'all' or d.content_type = :content)
"""


def _fast(select: str, table: str = "daily_listening", extra: str = "") -> str:
    sql = f"select {select} as value from curated.{table} d where {_DAILY} {extra}"
    return " ".join(sql.split())


def _items(item_type: str) -> str:
    return _fast(
        "count(distinct d.item_id)",
        "daily_item_listening",
        f"and d.item_type = '{item_type}' and d.streams > 0",
    )


_FAST = {
    "minutes_listened": _fast("coalesce(sum(d.ms_played), 0) / 60000.0"),
    "streams": _fast("coalesce(sum(d.streams), 0)"),
    "plays": _fast("coalesce(sum(d.plays), 0)"),
    "distinct_tracks": _items("track"),
    "distinct_artists": _items("artist"),
    "skip_rate": _fast("coalesce(sum(d.skips) * 1.0 / nullif(sum(d.plays), 0), 0)"),
    "avg_minutes_per_active_day": _fast(
        "coalesce(sum(d.ms_played) / 60000.0"
        " / nullif(count(distinct case when d.plays > 0 then d.local_date end), 0), 0)"
    ),
    "top_artist_share": " ".join(
        f"""
        select coalesce(max(a.ms) * 1.0 / nullif(sum(a.ms), 0), 0) as value
        from (
            select d.item_id, sum(d.ms_played) as ms
            from curated.daily_item_listening d
            where {_DAILY} and d.item_type = 'artist'
            group by d.item_id
        ) a
        """.split()
    ),
    "new_artists": KPIS["new_artists"].sql,
}

KPIS["distinct_albums"] = Kpi(
    "distinct_albums",
    "Distinct albums",
    "Different albums streamed (≥ 30 s).",
    "#,##0",
    " ".join(
        f"select count(distinct f.album_id) as value from curated.fact_streams f"
        f" where {_PERIOD} and f.is_stream".split()
    ),
)
_FAST["distinct_albums"] = _items("album")

for _id, _kpi_def in list(KPIS.items()):
    KPIS[_id] = Kpi(
        _kpi_def.id, _kpi_def.title, _kpi_def.description, _kpi_def.fmt, _kpi_def.sql, _FAST[_id]
    )

#: Item KPIs over a period that covers ALL of the user's plays, for content ``all`` or
#: ``music`` (artists, tracks and albums only exist on music plays): the dimension tables carry
#: those lifetime totals, so a first visit of the default "all time" view reads a few thousand
#: rows instead of every day of every item. Proven equal to the definitions in test_kpis.py.
LIFETIME_CONTENTS = ("all", "music")
LIFETIME_SQL = {
    "distinct_tracks": "select count(*) as value from curated.dim_tracks d"
    " where d.user_id = :user_id and d.streams > 0",
    "distinct_artists": "select count(*) as value from curated.dim_artists d"
    " where d.user_id = :user_id and d.streams > 0",
    "distinct_albums": "select count(*) as value from curated.dim_albums d"
    " where d.user_id = :user_id and d.streams > 0",
    "top_artist_share": "select coalesce(max(d.ms_played) * 1.0"
    " / nullif(sum(d.ms_played), 0), 0) as value from curated.dim_artists d"
    " where d.user_id = :user_id",
}
