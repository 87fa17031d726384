-- curated.dim_episodes_user_episode_idx: episode and show lookups.
-- Grain: one entry per row of curated.dim_episodes.
-- engine: postgres  (DuckDB prunes by zone maps; an ART index there would only slow loads)
create index if not exists dim_episodes_user_episode_idx on curated.dim_episodes (user_id, episode_id);
