-- curated.daily_listening
-- Grain: one row per user, local day and content type; zero-filled between first and last play.
create table if not exists curated.daily_listening (
    user_id          text,
    local_date       date,
    content_type     text,
    plays            bigint,
    streams          bigint,
    skips            bigint,
    ms_played        bigint,
    minutes_played   double precision,
    distinct_tracks  bigint,
    distinct_artists bigint
);
