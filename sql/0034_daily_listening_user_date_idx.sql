-- curated.daily_listening_user_date_idx: daily series in a period (Overview, Trends).
-- Grain: one entry per row of curated.daily_listening.
-- engine: postgres  (DuckDB prunes by zone maps; an ART index there would only slow loads)
create index if not exists daily_listening_user_date_idx on curated.daily_listening (user_id, local_date);
