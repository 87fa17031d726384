-- curated.fact_playlist_items
-- Grain: one row per user, playlist and position.
create table if not exists curated.fact_playlist_items (
    user_id      text,
    playlist_id  text,
    position     integer,
    item_type    text,
    track_id     text,
    episode_id   text,
    track_name   text,
    artist_name  text,
    album_name   text,
    track_uri    text,
    episode_name text,
    show_name    text,
    local_uri    text,
    added_date   date
);
