"""Questions of the Overview page: headline KPIs, streak, top items, content split."""

from __future__ import annotations

from datetime import date

import pandas as pd

from dashboard.filters import Filters
from dashboard.queries._base import PERIOD, cached, run
from dashboard.queries.explore import item_table
from etl.kpis import KPIS, LIFETIME_CONTENTS, LIFETIME_SQL

#: Shown on the Overview, in order; all defined in etl.kpis (shared with GoodData).
KPI_IDS = (
    "minutes_listened", "streams", "plays", "distinct_tracks", "distinct_artists",
    "distinct_albums", "avg_minutes_per_active_day", "skip_rate",
)  # fmt: skip

# Every KPI as a scalar subquery of one statement: one round trip. ``fast_sql`` reads the
# daily aggregates; over a whole history the item KPIs read the dimension totals. Both are
# proven equal to the definitions (tests/etl/test_kpis.py).
KPIS_SQL = "select " + ", ".join(f"({KPIS[k].fast_sql}) as {k}" for k in KPI_IDS)
LIFETIME_KPIS_SQL = "select " + ", ".join(
    f"({LIFETIME_SQL.get(k, KPIS[k].fast_sql)}) as {k}" for k in KPI_IDS
)


@cached
def users() -> list[str]:
    """Every user with data in the warehouse (empty when nothing was loaded yet)."""
    from dashboard import db

    if not db.table_exists("curated", "daily_listening"):
        return []
    df = run("select user_id from curated.daily_listening group by user_id order by user_id", {})
    return df["user_id"].tolist()


@cached
def date_bounds(user: str) -> tuple[date, date] | None:
    """The user's first and last local play dates."""
    df = run(
        """select min(local_date) as first_date, max(local_date) as last_date
           from curated.daily_listening where user_id = :user_id and plays > 0""",
        {"user_id": user},
    )
    if df.empty or pd.isna(df["first_date"].iloc[0]):
        return None
    return _as_date(df["first_date"].iloc[0]), _as_date(df["last_date"].iloc[0])


def _as_date(value) -> date:
    return pd.Timestamp(value).date()


@cached
def kpis(f: Filters, lifetime: bool = False) -> dict[str, float]:
    """Headline numbers for the filter, keyed by KPI id (see ``KPI_IDS``).

    ``lifetime``: the period covers all of the user's data (the dimension totals then answer).
    """
    sql = LIFETIME_KPIS_SQL if lifetime and f.content in LIFETIME_CONTENTS else KPIS_SQL
    row = run(sql, f.params()).iloc[0]
    return {k: float(row[k]) if pd.notna(row[k]) else 0.0 for k in KPI_IDS}


@cached
def active_days(f: Filters) -> list[date]:
    """Local dates with any play in the filter, ascending."""
    df = run(
        f"""select local_date from curated.daily_listening
            where {PERIOD} group by local_date having sum(plays) > 0 order by local_date""",
        f.params(),
    )
    return [_as_date(d) for d in df["local_date"]]


def longest_streak(f: Filters) -> int:
    """The most consecutive days with listening inside the filter."""
    best = run_len = 0
    previous = None
    for day in active_days(f):
        run_len = run_len + 1 if previous and (day - previous).days == 1 else 1
        best, previous = max(best, run_len), day
    return best


@cached
def top_items(f: Filters, item_type: str, limit: int = 5, lifetime: bool = False) -> pd.DataFrame:
    """The ``limit`` items of a type (track, artist, album, show) with most minutes.

    ``lifetime`` reads the dimension tables' totals (pass it when the period spans all the
    user's data: same numbers, no need to add up every day).
    """
    if lifetime:
        df = item_table(f, item_type, "", "minutes_played", True, 0, True)
        return df.head(limit).rename(columns={"name": "item_name"}).drop(columns="total")
    return run(
        f"""select item_id, max(item_name) as item_name, max(artist_name) as artist_name,
                   sum(plays) as plays, sum(streams) as streams, sum(skips) as skips,
                   sum(minutes_played) as minutes_played
            from curated.daily_item_listening
            where {PERIOD} and item_type = :item_type
            group by item_id
            order by sum(minutes_played) desc, item_id
            limit :limit""",
        {**f.params(), "item_type": item_type, "limit": limit},
    )


@cached
def content_split(f: Filters) -> pd.DataFrame:
    """Minutes per content type in the period (ignores the content filter: it is the split)."""
    return run(
        """select content_type, sum(plays) as plays, sum(minutes_played) as minutes_played
           from curated.daily_listening
           where user_id = :user_id and local_date between :start_date and :end_date
           group by content_type having sum(plays) > 0
           order by sum(minutes_played) desc, content_type""",
        f.params(),
    )
