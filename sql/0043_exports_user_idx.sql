-- curated.exports_user_idx: data health: a user's exports.
-- Grain: one entry per row of curated.exports.
-- engine: postgres  (DuckDB prunes by zone maps; an ART index there would only slow loads)
create index if not exists exports_user_idx on curated.exports (user_id);
