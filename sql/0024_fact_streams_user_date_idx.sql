-- curated.fact_streams_user_date_idx: a user's plays in a period (Habits, KPIs); the per-user delete of a load.
-- Grain: one entry per row of curated.fact_streams.
-- engine: postgres  (DuckDB prunes by zone maps; an ART index there would only slow loads)
create index if not exists fact_streams_user_date_idx on curated.fact_streams (user_id, local_date);
