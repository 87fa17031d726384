-- curated.hourly_listening_user_date_idx: hour x weekday heatmaps in a period (Habits).
-- Grain: one entry per row of curated.hourly_listening.
-- engine: postgres  (DuckDB prunes by zone maps; an ART index there would only slow loads)
create index if not exists hourly_listening_user_date_idx on curated.hourly_listening (user_id, local_date);
