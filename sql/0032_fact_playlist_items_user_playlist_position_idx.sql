-- curated.fact_playlist_items_user_playlist_position_idx: one playlist's items in order.
-- Grain: one entry per row of curated.fact_playlist_items.
-- engine: postgres  (DuckDB prunes by zone maps; an ART index there would only slow loads)
create index if not exists fact_playlist_items_user_playlist_position_idx on curated.fact_playlist_items (user_id, playlist_id, position);
