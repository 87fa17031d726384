-- spotify_lake_meta.loads
-- Grain: one row per load that changed the warehouse (per user, numbered from 1); a reload of
-- unchanged curated files adds no row. content_hash covers every curated file of the user.
create table if not exists spotify_lake_meta.loads (
    user_id      text not null,
    load_number  bigint not null,
    content_hash text not null,
    loaded_at    timestamptz not null,
    engine       text not null,
    fact_rows    bigint not null,
    ms_played    bigint not null,
    table_rows   text not null,
    seconds      double precision not null,
    primary key (user_id, load_number)
);
