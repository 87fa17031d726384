-- spotify_lake_meta: the warehouse's own bookkeeping (schema_migrations, loads), apart from the
-- curated tables that front ends read. The migration runner creates it before the first file
-- too (it records migrations in it); this file makes the DDL complete when run on its own.
create schema if not exists spotify_lake_meta;
