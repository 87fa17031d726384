-- curated.playlist_track_stats_user_playlist_position_idx: one playlist's track stats in order.
-- Grain: one entry per row of curated.playlist_track_stats.
-- engine: postgres  (DuckDB prunes by zone maps; an ART index there would only slow loads)
create index if not exists playlist_track_stats_user_playlist_position_idx on curated.playlist_track_stats (user_id, playlist_id, position);
