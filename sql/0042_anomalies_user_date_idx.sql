-- curated.anomalies_user_date_idx: anomalies in a period.
-- Grain: one entry per row of curated.anomalies.
-- engine: postgres  (DuckDB prunes by zone maps; an ART index there would only slow loads)
create index if not exists anomalies_user_date_idx on curated.anomalies (user_id, local_date);
