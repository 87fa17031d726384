-- curated.dim_albums
-- Grain: one row per user and album (artist + album name).
create table if not exists curated.dim_albums (
    user_id         text,
    album_id        text,
    album_name      text,
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
