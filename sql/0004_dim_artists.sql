-- curated.dim_artists
-- Grain: one row per user and artist.
create table if not exists curated.dim_artists (
    user_id         text,
    artist_id       text,
    artist_name     text,
    first_played_at timestamptz,
    last_played_at  timestamptz,
    plays           bigint,
    streams         bigint,
    skips           bigint,
    ms_played       bigint,
    minutes_played  double precision,
    track_count     bigint
);
