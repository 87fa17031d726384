-- curated.hourly_listening
-- Grain: one row per user, local day, local hour and content type that has plays.
create table if not exists curated.hourly_listening (
    user_id        text,
    local_date     date,
    local_hour     integer,
    weekday        integer,
    content_type   text,
    plays          bigint,
    streams        bigint,
    skips          bigint,
    ms_played      bigint,
    minutes_played double precision
);
