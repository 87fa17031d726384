-- curated.reject_reasons_user_idx: data health: a user's reject reasons.
-- Grain: one entry per row of curated.reject_reasons.
-- engine: postgres  (DuckDB prunes by zone maps; an ART index there would only slow loads)
create index if not exists reject_reasons_user_idx on curated.reject_reasons (user_id);
