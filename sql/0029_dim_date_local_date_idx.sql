-- curated.dim_date_local_date_idx: calendar joins; unique: one row per day.
-- Grain: one entry per calendar day.
-- engine: postgres  (DuckDB prunes by zone maps; an ART index there would only slow loads)
create unique index if not exists dim_date_local_date_idx on curated.dim_date (local_date);
