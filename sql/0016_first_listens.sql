-- curated.first_listens
-- Grain: one row per user and artist or track: its first play.
create table if not exists curated.first_listens (
    user_id          text,
    subject_type     text,
    subject_id       text,
    subject_name     text,
    artist_name      text,
    first_played_at  timestamptz,
    first_local_date date,
    play_id          text
);
