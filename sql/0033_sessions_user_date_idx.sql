-- curated.sessions_user_date_idx: a user's sessions in a period.
-- Grain: one entry per row of curated.sessions.
-- engine: postgres  (DuckDB prunes by zone maps; an ART index there would only slow loads)
create index if not exists sessions_user_date_idx on curated.sessions (user_id, local_date);
