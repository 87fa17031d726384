-- curated.artist_monthly
-- Grain: one row per user, month and artist.
create table if not exists curated.artist_monthly (
    user_id        text,
    month          date,
    artist_id      text,
    artist_name    text,
    plays          bigint,
    streams        bigint,
    ms_played      bigint,
    minutes_played double precision,
    rank           integer,
    is_new         boolean
);
