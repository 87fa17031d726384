"""Questions of the Habits page: when you listen, how long you stay, what you skip."""

from __future__ import annotations

import pandas as pd

from dashboard.filters import Filters
from dashboard.queries._base import PERIOD, cached, run

#: Session length buckets: (label, lower bound in minutes); each runs up to the next bound.
SESSION_BUCKETS = (
    ("< 15 min", 0), ("15–30 min", 15), ("30–60 min", 30), ("1–2 h", 60), ("2–4 h", 120),
    ("4 h +", 240),
)  # fmt: skip
_BUCKET_SQL = "case " + " ".join(
    f"when duration_minutes < {SESSION_BUCKETS[i + 1][1]} then {i}"
    for i in range(len(SESSION_BUCKETS) - 1)
) + f" else {len(SESSION_BUCKETS) - 1} end"

_SESSIONS = "user_id = :user_id and local_date between :start_date and :end_date"


@cached
def hour_weekday(f: Filters) -> pd.DataFrame:
    """Minutes per ISO weekday (1 = Monday) and local hour."""
    return run(
        f"""select cast(extract(isodow from local_date) as integer) as weekday, local_hour,
                   sum(minutes_played) as minutes_played, sum(plays) as plays
            from curated.hourly_listening
            where {PERIOD}
            group by 1, 2 order by 1, 2""",
        f.params(),
    )


@cached
def skip_by_hour(f: Filters) -> pd.DataFrame:
    """Plays and skips per local hour."""
    return run(
        f"""select local_hour, sum(plays) as plays, sum(skips) as skips
            from curated.hourly_listening
            where {PERIOD}
            group by 1 order by 1""",
        f.params(),
    )


@cached
def skip_by(f: Filters) -> pd.DataFrame:
    """Plays and skips per platform family, shuffle state and how the play was started."""
    return run(
        """select 'platform' as dimension, coalesce(p.platform_family, 'unknown') as value,
                  count(*) as plays, sum(case when s.is_skipped then 1 else 0 end) as skips
           from curated.fact_streams s
           left join curated.dim_platforms p
             on p.user_id = s.user_id and p.platform_id = s.platform_id
           where s.user_id = :user_id and s.local_date between :start_date and :end_date
             and (:content = 'all' or s.content_type = :content)
           group by 1, 2
           union all
           select 'shuffle', case when is_shuffle then 'shuffle on'
                                  when not is_shuffle then 'shuffle off' else 'unknown' end,
                  count(*), sum(case when is_skipped then 1 else 0 end)
           from curated.fact_streams
           where user_id = :user_id and local_date between :start_date and :end_date
             and (:content = 'all' or content_type = :content)
           group by 1, 2
           union all
           select 'reason_start', coalesce(nullif(reason_start, ''), 'unknown'),
                  count(*), sum(case when is_skipped then 1 else 0 end)
           from curated.fact_streams
           where user_id = :user_id and local_date between :start_date and :end_date
             and (:content = 'all' or content_type = :content)
           group by 1, 2
           order by 1, 3 desc, 2""",
        f.params(),
    )


@cached
def session_summary(f: Filters) -> dict[str, float]:
    """Count, mean and longest session length (minutes). Sessions mix content types."""
    df = run(
        f"""select count(*) as sessions, avg(duration_minutes) as avg_minutes,
                   max(duration_minutes) as max_minutes, sum(plays) as plays
            from curated.sessions where {_SESSIONS}""",
        f.params(),
    )
    row = df.iloc[0]
    return {k: float(row[k]) if pd.notna(row[k]) else 0.0 for k in df.columns}


@cached
def session_lengths(f: Filters) -> pd.DataFrame:
    """Sessions per length bucket (every bucket present, zeros included)."""
    df = run(
        f"""select {_BUCKET_SQL} as bucket, count(*) as sessions
            from curated.sessions where {_SESSIONS} group by 1""",
        f.params(),
    )
    counts = dict(zip(df["bucket"].astype(int), df["sessions"].astype(int), strict=True))
    return pd.DataFrame({
        "bucket": [label for label, _ in SESSION_BUCKETS],
        "sessions": [counts.get(i, 0) for i in range(len(SESSION_BUCKETS))],
    })  # fmt: skip


@cached
def longest_sessions(f: Filters, limit: int = 5) -> pd.DataFrame:
    """The longest sessions of the period."""
    return run(
        f"""select started_at_local, duration_minutes, plays, distinct_tracks, top_artist_name
            from curated.sessions where {_SESSIONS}
            order by duration_minutes desc, started_at_local limit :limit""",
        {**f.params(), "limit": limit},
    )
