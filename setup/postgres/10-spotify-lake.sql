-- Spotify Lake: the two databases of the Compose stack, each owned by its own login role.
-- Runs once, when the postgres volume is first initialised (/docker-entrypoint-initdb.d), as the
-- superuser. Names and passwords come from the container's environment (docker-compose.yml passes
-- them from .env); psql's \getenv keeps them out of this file. Changing them later in .env does
-- not touch an existing volume: see docs/stack.md "Changing a database password".
\set ON_ERROR_STOP on

\getenv airflow_db AIRFLOW_DB_NAME
\getenv airflow_user AIRFLOW_DB_USER
\getenv airflow_password AIRFLOW_DB_PASSWORD
\getenv spotify_db SPOTIFY_DB_NAME
\getenv spotify_user SPOTIFY_DB_USER
\getenv spotify_password SPOTIFY_DB_PASSWORD

-- An unset variable stays undefined in psql; treat it like an empty one so one check covers both.
\if :{?airflow_db}
\else
  \set airflow_db ''
\endif
\if :{?airflow_user}
\else
  \set airflow_user ''
\endif
\if :{?airflow_password}
\else
  \set airflow_password ''
\endif
\if :{?spotify_db}
\else
  \set spotify_db ''
\endif
\if :{?spotify_user}
\else
  \set spotify_user ''
\endif
\if :{?spotify_password}
\else
  \set spotify_password ''
\endif

select :'airflow_db' = '' or :'airflow_user' = '' or :'airflow_password' = '' as airflow_missing,
       :'spotify_db' = '' or :'spotify_user' = '' or :'spotify_password' = '' as spotify_missing
\gset

-- Fail before creating anything, so a fixed .env and a fresh volume start clean.
\if :airflow_missing
  do $$ begin raise exception
    'AIRFLOW_DB_NAME, AIRFLOW_DB_USER and AIRFLOW_DB_PASSWORD must all be set: fill them in .env, '
    'then remove the half-initialised volume (docker compose down -v) and start again';
  end $$;
\endif
\if :spotify_missing
  do $$ begin raise exception
    'SPOTIFY_DB_NAME, SPOTIFY_DB_USER and SPOTIFY_DB_PASSWORD must all be set: fill them in .env, '
    'then remove the half-initialised volume (docker compose down -v) and start again';
  end $$;
\endif

-- Airflow's metadata database: Airflow's own tables only.
create role :"airflow_user" login password :'airflow_password';
create database :"airflow_db" owner :"airflow_user";
revoke all on database :"airflow_db" from public;

-- The warehouse: `spotify-lake db upgrade` creates its schemas (curated, spotify_lake_meta) as
-- this role, so the role owns everything in it and nobody else can connect by default.
create role :"spotify_user" login password :'spotify_password';
create database :"spotify_db" owner :"spotify_user";
revoke all on database :"spotify_db" from public;
