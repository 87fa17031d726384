-- curated.daily_item_listening
-- Grain: one row per user, local day and item (artist | track | album | show) that has plays.
create table if not exists curated.daily_item_listening (
    user_id        text,
    local_date     date,
    item_type      text,
    item_id        text,
    item_name      text,
    artist_name    text,
    content_type   text,
    plays          bigint,
    streams        bigint,
    skips          bigint,
    ms_played      bigint,
    minutes_played double precision
);
