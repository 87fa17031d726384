"""Every question the dashboard asks the warehouse: one cached function per question.

Parameterised SQL only, the same text on PostgreSQL and DuckDB, reading the aggregate tables
(daily_listening, hourly_listening, daily_item_listening, artist_monthly, sessions, ...) and
scanning ``fact_streams`` only for breakdowns no aggregate holds.
"""

from dashboard.queries._base import clear_caches
from dashboard.queries.anomalies import day_anomalies, obsessions
from dashboard.queries.explore import (
    ITEM_TYPES,
    PAGE_SIZE,
    applies,
    artist,
    artist_history,
    artist_top_tracks,
    item_table,
)
from dashboard.queries.habits import (
    hour_weekday,
    longest_sessions,
    session_lengths,
    session_summary,
    skip_by,
    skip_by_hour,
)
from dashboard.queries.health import consistency, exports, last_load, rejects, table_rows
from dashboard.queries.overview import (
    KPI_IDS,
    active_days,
    content_split,
    date_bounds,
    kpis,
    longest_streak,
    top_items,
    users,
)
from dashboard.queries.playlists import playlist_tracks, playlists, removal_candidates
from dashboard.queries.trends import artist_months, countries, daily_minutes, discoveries, platforms

__all__ = [
    "ITEM_TYPES", "KPI_IDS", "PAGE_SIZE", "active_days", "applies", "artist", "artist_history",
    "artist_months", "artist_top_tracks", "clear_caches", "consistency", "content_split",
    "countries", "daily_minutes", "date_bounds", "day_anomalies", "discoveries", "exports",
    "hour_weekday", "item_table", "kpis", "last_load", "longest_sessions", "longest_streak",
    "obsessions", "platforms", "playlist_tracks", "playlists", "rejects", "removal_candidates",
    "session_lengths", "session_summary", "skip_by", "skip_by_hour", "table_rows", "top_items",
    "users",
]  # fmt: skip
