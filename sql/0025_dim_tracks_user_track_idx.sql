-- curated.dim_tracks_user_track_idx: track lookups and joins from the facts.
-- Grain: one entry per row of curated.dim_tracks.
-- engine: postgres  (DuckDB prunes by zone maps; an ART index there would only slow loads)
create index if not exists dim_tracks_user_track_idx on curated.dim_tracks (user_id, track_id);
