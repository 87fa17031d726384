-- curated.playlists_user_playlist_idx: a user's playlists.
-- Grain: one entry per row of curated.playlists.
-- engine: postgres  (DuckDB prunes by zone maps; an ART index there would only slow loads)
create index if not exists playlists_user_playlist_idx on curated.playlists (user_id, playlist_id);
