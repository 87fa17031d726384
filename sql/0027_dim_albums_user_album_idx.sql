-- curated.dim_albums_user_album_idx: album lookups.
-- Grain: one entry per row of curated.dim_albums.
-- engine: postgres  (DuckDB prunes by zone maps; an ART index there would only slow loads)
create index if not exists dim_albums_user_album_idx on curated.dim_albums (user_id, album_id);
