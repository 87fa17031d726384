"""Questions of the Trends page: minutes over time, top artists, discoveries, where and how."""

from __future__ import annotations

import pandas as pd

from dashboard.filters import Filters
from dashboard.queries._base import PERIOD, cached, run

TOP_ARTISTS = 8


@cached
def daily_minutes(f: Filters) -> pd.DataFrame:
    """One row per local date in the period (zero days included): minutes, plays, streams."""
    return run(
        f"""select local_date, sum(minutes_played) as minutes_played, sum(plays) as plays,
                   sum(streams) as streams, sum(skips) as skips
            from curated.daily_listening
            where {PERIOD}
            group by local_date order by local_date""",
        f.params(),
    )


@cached
def artist_months(f: Filters) -> pd.DataFrame:
    """Monthly minutes of the period's top artists (months overlapping the period)."""
    params = {**f.params(), "first_month": f.start.replace(day=1), "top_n": TOP_ARTISTS}
    return run(
        """with top as (
               select artist_id from curated.artist_monthly
               where user_id = :user_id and month between :first_month and :end_date
               group by artist_id
               order by sum(ms_played) desc, artist_id
               limit :top_n)
           select m.month, m.artist_id, m.artist_name, m.minutes_played, m.plays
           from curated.artist_monthly m join top t on t.artist_id = m.artist_id
           where m.user_id = :user_id and m.month between :first_month and :end_date
             and :content in ('all', 'music')
           order by m.month, m.artist_name""",
        params,
    )


@cached
def discoveries(f: Filters) -> pd.DataFrame:
    """New artists and tracks (first play ever) per month of the period."""
    return run(
        """select cast(extract(year from first_local_date) as integer) as year,
                  cast(extract(month from first_local_date) as integer) as month,
                  subject_type, count(*) as new_count
           from curated.first_listens
           where user_id = :user_id and first_local_date between :start_date and :end_date
             and :content in ('all', 'music')
           group by 1, 2, 3 order by 1, 2, 3""",
        f.params(),
    )


@cached
def platforms(f: Filters) -> pd.DataFrame:
    """Plays and minutes per platform family (android, ios, web, ...)."""
    return run(
        """select coalesce(p.platform_family, 'unknown') as platform, count(*) as plays,
                  sum(s.ms_played) / 60000.0 as minutes_played
           from curated.fact_streams s
           left join curated.dim_platforms p
             on p.user_id = s.user_id and p.platform_id = s.platform_id
           where s.user_id = :user_id and s.local_date between :start_date and :end_date
             and (:content = 'all' or s.content_type = :content)
           group by 1 order by 3 desc, 1""",
        f.params(),
    )


@cached
def countries(f: Filters) -> pd.DataFrame:
    """Plays and minutes per connection country (unknown when the export has none)."""
    return run(
        f"""select coalesce(country_code, 'unknown') as country_code, count(*) as plays,
                   sum(ms_played) / 60000.0 as minutes_played
            from curated.fact_streams
            where {PERIOD}
            group by 1 order by 3 desc, 1""",
        f.params(),
    )
