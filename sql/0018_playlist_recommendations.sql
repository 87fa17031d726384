-- curated.playlist_recommendations
-- Grain: one row per user and removal candidate (a playlist position), with the reason
-- in a sentence.
create table if not exists curated.playlist_recommendations (
    user_id          text,
    playlist_id      text,
    playlist_name    text,
    position         integer,
    track_id         text,
    track_name       text,
    artist_name      text,
    action           text,
    reason           text,
    play_rate_30d    double precision,
    skip_rate        double precision,
    days_in_playlist bigint,
    last_played_at   timestamptz
);
