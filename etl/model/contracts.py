"""What the curated tables promise (docs/model.md), as data the checks in ``etl.checks`` test.

Keys are unique and not null; every non-null foreign key resolves to its parent; coded columns
take only the listed values (nulls are judged by the not-null lists, not here).
"""

from __future__ import annotations

from etl import schemas
from etl.model.dims import PLATFORM_FAMILIES

#: table → its key (unique, not null)
KEYS: dict[str, tuple[str, ...]] = {
    "fact_streams": ("play_id",),
    "dim_tracks": ("track_id",),
    "dim_artists": ("artist_id",),
    "dim_albums": ("album_id",),
    "dim_episodes": ("episode_id",),
    "dim_date": ("local_date",),
    "dim_platforms": ("platform_id",),
    "playlists": ("playlist_id",),
    "fact_playlist_items": ("playlist_id", "position"),
    "sessions": ("session_id",),
    "daily_listening": ("local_date", "content_type"),
    "hourly_listening": ("local_date", "local_hour", "content_type"),
    "daily_item_listening": ("local_date", "item_type", "item_id", "content_type"),
    "artist_monthly": ("month", "artist_id"),
    "first_listens": ("subject_type", "subject_id"),
    "playlist_track_stats": ("playlist_id", "position"),
    "playlist_recommendations": ("playlist_id", "position"),
    "anomalies": ("anomaly_id",),
    "exports": ("export_id",),
    "reject_reasons": ("export_id", "member", "reason"),
}

#: table → columns that must never be null besides the key
NOT_NULL: dict[str, tuple[str, ...]] = {
    "fact_streams": (
        "user_id", "content_type", "media_type", "ended_at", "started_at", "ended_at_local",
        "started_at_local", "local_date", "local_hour", "weekday", "time_zone", "ms_played",
        "is_stream", "is_skipped", "session_id", "precision", "record_family",
    ),
    "dim_tracks": ("track_name", "plays", "ms_played"),
    "dim_artists": ("artist_name", "plays", "ms_played"),
    "dim_albums": ("album_name", "plays", "ms_played"),
    "dim_episodes": ("content_type", "plays", "ms_played"),
    "sessions": ("started_at", "ended_at", "local_date", "plays", "ms_played"),
    "daily_listening": ("plays", "ms_played", "minutes_played"),
    "playlist_track_stats": ("as_of_date", "days_in_playlist", "play_rate_30d"),
    "playlist_recommendations": ("reason", "action"),
    "anomalies": ("local_date", "kind", "explanation"),
    "first_listens": ("first_played_at", "play_id"),
}  # fmt: skip

#: (child table, child columns, parent table, parent columns, SQL filter on the child)
RELATIONSHIPS: tuple[tuple[str, tuple[str, ...], str, tuple[str, ...], str], ...] = (
    ("fact_streams", ("track_id",), "dim_tracks", ("track_id",), ""),
    ("fact_streams", ("artist_id",), "dim_artists", ("artist_id",), ""),
    ("fact_streams", ("album_id",), "dim_albums", ("album_id",), ""),
    ("fact_streams", ("episode_id",), "dim_episodes", ("episode_id",), ""),
    ("fact_streams", ("episode_id", "show_id"), "dim_episodes", ("episode_id", "show_id"), ""),
    ("fact_streams", ("platform_id",), "dim_platforms", ("platform_id",), ""),
    ("fact_streams", ("session_id",), "sessions", ("session_id",), ""),
    ("fact_streams", ("local_date",), "dim_date", ("local_date",), ""),
    ("dim_tracks", ("artist_id",), "dim_artists", ("artist_id",), ""),
    ("dim_tracks", ("album_id",), "dim_albums", ("album_id",), ""),
    ("dim_albums", ("artist_id",), "dim_artists", ("artist_id",), ""),
    ("fact_playlist_items", ("playlist_id",), "playlists", ("playlist_id",), ""),
    ("fact_playlist_items", ("track_id",), "dim_tracks", ("track_id",), ""),
    ("fact_playlist_items", ("episode_id",), "dim_episodes", ("episode_id",), ""),
    ("playlist_track_stats", ("playlist_id", "position"), "fact_playlist_items",
     ("playlist_id", "position"), ""),
    ("playlist_track_stats", ("track_id",), "dim_tracks", ("track_id",), ""),
    ("playlist_recommendations", ("playlist_id", "position"), "playlist_track_stats",
     ("playlist_id", "position"), ""),
    ("sessions", ("local_date",), "dim_date", ("local_date",), ""),
    ("daily_listening", ("local_date",), "dim_date", ("local_date",), ""),
    ("artist_monthly", ("artist_id",), "dim_artists", ("artist_id",), ""),
    ("first_listens", ("play_id",), "fact_streams", ("play_id",), ""),
    ("daily_item_listening", ("item_id",), "dim_artists", ("artist_id",), "item_type = 'artist'"),
    ("daily_item_listening", ("item_id",), "dim_tracks", ("track_id",), "item_type = 'track'"),
    ("daily_item_listening", ("item_id",), "dim_albums", ("album_id",), "item_type = 'album'"),
    ("daily_item_listening", ("item_id",), "dim_episodes", ("show_id",), "item_type = 'show'"),
    ("anomalies", ("subject_id",), "dim_artists", ("artist_id",), "subject_type = 'artist'"),
    ("anomalies", ("subject_id",), "dim_tracks", ("track_id",), "subject_type = 'track'"),
)  # fmt: skip

ANOMALY_KINDS = ("high_day", "low_day", "new_obsession")

#: (table, column) → the values it may take
ACCEPTED: dict[tuple[str, str], tuple] = {
    ("fact_streams", "content_type"): schemas.CONTENT_TYPES,
    ("fact_streams", "media_type"): schemas.MEDIA_TYPES,
    ("fact_streams", "skip_basis"): schemas.SKIP_BASES,
    ("fact_streams", "precision"): schemas.PRECISIONS,
    ("fact_streams", "record_family"): schemas.RECORD_FAMILIES,
    ("fact_streams", "local_hour"): tuple(range(24)),
    ("fact_streams", "weekday"): tuple(range(7)),
    ("dim_date", "weekday"): tuple(range(7)),
    ("dim_episodes", "content_type"): ("podcast", "audiobook"),
    ("dim_platforms", "platform_family"): (*(f for f, _ in PLATFORM_FAMILIES), "other"),
    ("fact_playlist_items", "item_type"): ("track", "episode", "audiobook", "local"),
    ("daily_listening", "content_type"): schemas.CONTENT_TYPES,
    ("hourly_listening", "content_type"): schemas.CONTENT_TYPES,
    ("hourly_listening", "local_hour"): tuple(range(24)),
    ("daily_item_listening", "item_type"): ("artist", "track", "album", "show"),
    ("first_listens", "subject_type"): ("artist", "track"),
    ("playlist_recommendations", "action"): ("remove",),
    ("anomalies", "kind"): ANOMALY_KINDS,
    ("anomalies", "subject_type"): ("day", "artist", "track"),
}
