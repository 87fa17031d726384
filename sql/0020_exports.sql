-- curated.exports
-- Grain: one row per user and export in raw (data health).
create table if not exists curated.exports (
    user_id      text,
    export_id    text,
    source_name  text,
    received_at  timestamptz,
    size_bytes   bigint,
    member_count bigint,
    families     text,
    records_read bigint,
    rows_clean   bigint,
    duplicates   bigint,
    rejects      bigint
);
