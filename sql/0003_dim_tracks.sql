-- curated.dim_tracks
-- Grain: one row per user and track (music; identity = normalised artist + track name).
create table if not exists curated.dim_tracks (
    user_id         text,
    track_id        text,
    track_name      text,
    artist_id       text,
    artist_name     text,
    album_id        text,
    album_name      text,
    track_uri       text,
    first_played_at timestamptz,
    last_played_at  timestamptz,
    plays           bigint,
    streams         bigint,
    skips           bigint,
    ms_played       bigint,
    minutes_played  double precision
);
