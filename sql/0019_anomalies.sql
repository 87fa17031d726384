-- curated.anomalies
-- Grain: one row per user and anomaly: a high or low day, or a new obsession (artist or
-- track).
create table if not exists curated.anomalies (
    user_id          text,
    anomaly_id       text,
    local_date       date,
    kind             text,
    subject_type     text,
    subject_id       text,
    subject_name     text,
    minutes_played   double precision,
    baseline_minutes double precision,
    robust_z         double precision,
    plays_7d         bigint,
    rate_ratio       double precision,
    explanation      text
);
