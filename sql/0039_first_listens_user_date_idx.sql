-- curated.first_listens_user_date_idx: discoveries in a period.
-- Grain: one entry per row of curated.first_listens.
-- engine: postgres  (DuckDB prunes by zone maps; an ART index there would only slow loads)
create index if not exists first_listens_user_date_idx on curated.first_listens (user_id, first_local_date);
