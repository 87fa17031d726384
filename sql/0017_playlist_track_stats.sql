-- curated.playlist_track_stats
-- Grain: one row per user, playlist and track position.
create table if not exists curated.playlist_track_stats (
    user_id              text,
    playlist_id          text,
    playlist_name        text,
    position             integer,
    track_id             text,
    track_name           text,
    artist_name          text,
    added_date           date,
    as_of_date           date,
    days_in_playlist     bigint,
    starts               bigint,
    streams              bigint,
    skips                bigint,
    skip_rate            double precision,
    play_rate_30d        double precision,
    last_played_at       timestamptz,
    days_since_last_play bigint,
    is_removal_candidate boolean
);
