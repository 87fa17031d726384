-- curated.dim_platforms
-- Grain: one row per user and distinct platform string.
create table if not exists curated.dim_platforms (
    user_id         text,
    platform_id     text,
    platform        text,
    platform_family text,
    plays           bigint,
    ms_played       bigint
);
