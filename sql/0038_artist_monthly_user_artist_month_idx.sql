-- curated.artist_monthly_user_artist_month_idx: one artist's months (Explore drill-down).
-- Grain: one entry per row of curated.artist_monthly.
-- engine: postgres  (DuckDB prunes by zone maps; an ART index there would only slow loads)
create index if not exists artist_monthly_user_artist_month_idx on curated.artist_monthly (user_id, artist_id, month);
