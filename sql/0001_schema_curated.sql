-- The warehouse schema read by the dashboard and GoodData.
create schema if not exists curated;
