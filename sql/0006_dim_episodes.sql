-- curated.dim_episodes
-- Grain: one row per user and podcast episode or audiobook chapter; show = podcast show or
-- audiobook.
create table if not exists curated.dim_episodes (
    user_id         text,
    episode_id      text,
    episode_name    text,
    show_id         text,
    show_name       text,
    content_type    text,
    episode_uri     text,
    first_played_at timestamptz,
    last_played_at  timestamptz,
    plays           bigint,
    streams         bigint,
    skips           bigint,
    ms_played       bigint,
    minutes_played  double precision
);
