-- curated.artist_monthly_user_month_idx: top artists per month in a period (Trends).
-- Grain: one entry per row of curated.artist_monthly.
-- engine: postgres  (DuckDB prunes by zone maps; an ART index there would only slow loads)
create index if not exists artist_monthly_user_month_idx on curated.artist_monthly (user_id, month);
