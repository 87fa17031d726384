-- curated.dim_artists_user_artist_idx: artist lookups (Explore drill-down).
-- Grain: one entry per row of curated.dim_artists.
-- engine: postgres  (DuckDB prunes by zone maps; an ART index there would only slow loads)
create index if not exists dim_artists_user_artist_idx on curated.dim_artists (user_id, artist_id);
