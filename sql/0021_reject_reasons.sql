-- curated.reject_reasons
-- Grain: one row per user, export, member and reject reason (data health).
create table if not exists curated.reject_reasons (
    user_id      text,
    export_id    text,
    member       text,
    reason       text,
    record_count bigint
);
