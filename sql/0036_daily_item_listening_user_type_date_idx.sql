-- curated.daily_item_listening_user_type_date_idx: top artists/tracks/albums/shows in a period.
-- Grain: one entry per row of curated.daily_item_listening.
-- engine: postgres  (DuckDB prunes by zone maps; an ART index there would only slow loads)
create index if not exists daily_item_listening_user_type_date_idx on curated.daily_item_listening (user_id, item_type, local_date);
