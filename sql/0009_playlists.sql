-- curated.playlists
-- Grain: one row per user and playlist in the latest export that has playlists.
create table if not exists curated.playlists (
    user_id            text,
    playlist_id        text,
    playlist_name      text,
    description        text,
    last_modified_date date,
    follower_count     bigint,
    item_count         bigint,
    track_count        bigint,
    export_id          text
);
