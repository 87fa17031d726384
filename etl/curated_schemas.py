"""Pinned Arrow schemas of the curated layer; the warehouse DDL in ``sql/`` mirrors them.

Every per-user table starts with ``user_id``; a load replaces one user's rows in every table.
``dim_date`` is the one shared table (a fixed calendar).
"""

from __future__ import annotations

import pyarrow as pa

from etl.schemas import F64, I32, I64, LOCAL_TS, TS, B, D, S, schema

STATS = (
    ("first_played_at", TS),
    ("last_played_at", TS),
    ("plays", I64),
    ("streams", I64),
    ("skips", I64),
    ("ms_played", I64),
    ("minutes_played", F64),
)

CURATED: dict[str, pa.Schema] = {
    # one row per play
    "fact_streams": schema(
        ("play_id", S), ("user_id", S), ("content_type", S), ("media_type", S),
        ("track_id", S), ("artist_id", S), ("album_id", S), ("episode_id", S), ("show_id", S),
        ("platform_id", S),
        ("ended_at", TS), ("started_at", TS), ("ended_at_local", LOCAL_TS),
        ("started_at_local", LOCAL_TS), ("local_date", D), ("local_hour", I32), ("weekday", I32),
        ("time_zone", S), ("country_code", S),
        ("ms_played", I64), ("minutes_played", F64), ("is_stream", B), ("is_skipped", B),
        ("skip_basis", S), ("reason_start", S), ("reason_end", S), ("is_shuffle", B),
        ("is_offline", B), ("is_incognito", B), ("precision", S), ("session_id", S),
        ("record_family", S), ("sources", S),
    ),
    # one row per track (music; identity = normalised artist + track name)
    "dim_tracks": schema(
        ("user_id", S), ("track_id", S), ("track_name", S), ("artist_id", S), ("artist_name", S),
        ("album_id", S), ("album_name", S), ("track_uri", S), *STATS,
    ),
    # one row per artist
    "dim_artists": schema(
        ("user_id", S), ("artist_id", S), ("artist_name", S), *STATS, ("track_count", I64),
    ),
    # one row per album (artist + album name)
    "dim_albums": schema(
        ("user_id", S), ("album_id", S), ("album_name", S), ("artist_id", S), ("artist_name", S),
        *STATS, ("track_count", I64),
    ),
    # one row per podcast episode or audiobook chapter; show = podcast show or audiobook
    "dim_episodes": schema(
        ("user_id", S), ("episode_id", S), ("episode_name", S), ("show_id", S), ("show_name", S),
        ("content_type", S), ("episode_uri", S), *STATS,
    ),
    # one row per calendar day 2008-01-01 .. 2040-12-31 (shared by all users)
    "dim_date": schema(
        ("local_date", D), ("year", I32), ("quarter", I32), ("month", I32), ("month_name", S),
        ("year_month", S), ("iso_year", I32), ("iso_week", I32), ("week_start", D),
        ("day_of_month", I32), ("day_of_year", I32), ("weekday", I32), ("weekday_name", S),
        ("is_weekend", B),
    ),
    # one row per distinct platform string
    "dim_platforms": schema(
        ("user_id", S), ("platform_id", S), ("platform", S), ("platform_family", S),
        ("plays", I64), ("ms_played", I64),
    ),
    # one row per playlist in the latest export that has playlists
    "playlists": schema(
        ("user_id", S), ("playlist_id", S), ("playlist_name", S), ("description", S),
        ("last_modified_date", D), ("follower_count", I64), ("item_count", I64),
        ("track_count", I64), ("export_id", S),
    ),
    # one row per playlist position
    "fact_playlist_items": schema(
        ("user_id", S), ("playlist_id", S), ("position", I32), ("item_type", S),
        ("track_id", S), ("episode_id", S), ("track_name", S), ("artist_name", S),
        ("album_name", S), ("track_uri", S), ("episode_name", S), ("show_name", S),
        ("local_uri", S), ("added_date", D),
    ),
    # one row per listening session (gap < 30 min between one play's end and the next start)
    "sessions": schema(
        ("user_id", S), ("session_id", S), ("started_at", TS), ("ended_at", TS),
        ("started_at_local", LOCAL_TS), ("local_date", D), ("plays", I64), ("streams", I64),
        ("skips", I64), ("ms_played", I64), ("minutes_played", F64), ("duration_minutes", F64),
        ("distinct_tracks", I64), ("top_artist_name", S),
    ),
    # one row per user, local day and content type; zero-filled between first and last play
    "daily_listening": schema(
        ("user_id", S), ("local_date", D), ("content_type", S), ("plays", I64), ("streams", I64),
        ("skips", I64), ("ms_played", I64), ("minutes_played", F64), ("distinct_tracks", I64),
        ("distinct_artists", I64),
    ),
    # one row per user, local day, local hour and content type that has plays
    "hourly_listening": schema(
        ("user_id", S), ("local_date", D), ("local_hour", I32), ("weekday", I32),
        ("content_type", S), ("plays", I64), ("streams", I64), ("skips", I64), ("ms_played", I64),
        ("minutes_played", F64),
    ),
    # one row per user, local day and item (artist | track | album | show) that has plays
    "daily_item_listening": schema(
        ("user_id", S), ("local_date", D), ("item_type", S), ("item_id", S), ("item_name", S),
        ("artist_name", S), ("content_type", S), ("plays", I64), ("streams", I64), ("skips", I64),
        ("ms_played", I64), ("minutes_played", F64),
    ),
    # one row per user, month and artist
    "artist_monthly": schema(
        ("user_id", S), ("month", D), ("artist_id", S), ("artist_name", S), ("plays", I64),
        ("streams", I64), ("ms_played", I64), ("minutes_played", F64), ("rank", I32),
        ("is_new", B),
    ),
    # one row per first play of an artist or a track
    "first_listens": schema(
        ("user_id", S), ("subject_type", S), ("subject_id", S), ("subject_name", S),
        ("artist_name", S), ("first_played_at", TS), ("first_local_date", D), ("play_id", S),
    ),
    # one row per track position in a playlist
    "playlist_track_stats": schema(
        ("user_id", S), ("playlist_id", S), ("playlist_name", S), ("position", I32),
        ("track_id", S), ("track_name", S), ("artist_name", S), ("added_date", D),
        ("as_of_date", D), ("days_in_playlist", I64), ("starts", I64), ("streams", I64),
        ("skips", I64), ("skip_rate", F64), ("play_rate_30d", F64), ("last_played_at", TS),
        ("days_since_last_play", I64), ("is_removal_candidate", B),
    ),
    # one row per removal candidate, with the reason in a sentence
    "playlist_recommendations": schema(
        ("user_id", S), ("playlist_id", S), ("playlist_name", S), ("position", I32),
        ("track_id", S), ("track_name", S), ("artist_name", S), ("action", S), ("reason", S),
        ("play_rate_30d", F64), ("skip_rate", F64), ("days_in_playlist", I64),
        ("last_played_at", TS),
    ),
    # one row per anomaly: a high or low day, or a new obsession (artist or track)
    "anomalies": schema(
        ("user_id", S), ("anomaly_id", S), ("local_date", D), ("kind", S), ("subject_type", S),
        ("subject_id", S), ("subject_name", S), ("minutes_played", F64),
        ("baseline_minutes", F64), ("robust_z", F64), ("plays_7d", I64), ("rate_ratio", F64),
        ("explanation", S),
    ),
    # one row per export in raw (data health)
    "exports": schema(
        ("user_id", S), ("export_id", S), ("source_name", S), ("received_at", TS),
        ("size_bytes", I64), ("member_count", I64), ("families", S), ("records_read", I64),
        ("rows_clean", I64), ("duplicates", I64), ("rejects", I64),
    ),
    # one row per user, export, member and reject reason (data health)
    "reject_reasons": schema(
        ("user_id", S), ("export_id", S), ("member", S), ("reason", S), ("record_count", I64),
    ),
}

#: Tables whose rows are replaced per user on load (all but the shared calendar).
PER_USER_TABLES = tuple(t for t in CURATED if t != "dim_date")
