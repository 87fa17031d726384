-- curated.playlist_recommendations_user_playlist_idx: one playlist's removal candidates.
-- Grain: one entry per row of curated.playlist_recommendations.
-- engine: postgres  (DuckDB prunes by zone maps; an ART index there would only slow loads)
create index if not exists playlist_recommendations_user_playlist_idx on curated.playlist_recommendations (user_id, playlist_id);
