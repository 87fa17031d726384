-- curated.dim_date
-- Grain: one row per calendar day 2008-01-01 .. 2040-12-31 (shared by all users).
create table if not exists curated.dim_date (
    local_date   date,
    year         integer,
    quarter      integer,
    month        integer,
    month_name   text,
    year_month   text,
    iso_year     integer,
    iso_week     integer,
    week_start   date,
    day_of_month integer,
    day_of_year  integer,
    weekday      integer,
    weekday_name text,
    is_weekend   boolean
);
