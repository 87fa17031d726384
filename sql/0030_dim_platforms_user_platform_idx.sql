-- curated.dim_platforms_user_platform_idx: platform joins from the facts.
-- Grain: one entry per row of curated.dim_platforms.
-- engine: postgres  (DuckDB prunes by zone maps; an ART index there would only slow loads)
create index if not exists dim_platforms_user_platform_idx on curated.dim_platforms (user_id, platform_id);
