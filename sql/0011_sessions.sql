-- curated.sessions
-- Grain: one row per user and listening session (gap < 30 min between one play's end and
-- the next start).
create table if not exists curated.sessions (
    user_id          text,
    session_id       text,
    started_at       timestamptz,
    ended_at         timestamptz,
    started_at_local timestamp,
    local_date       date,
    plays            bigint,
    streams          bigint,
    skips            bigint,
    ms_played        bigint,
    minutes_played   double precision,
    duration_minutes double precision,
    distinct_tracks  bigint,
    top_artist_name  text
);
