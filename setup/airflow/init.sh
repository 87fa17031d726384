#!/usr/bin/env bash
# Command of the one-shot airflow-init container (run through the image's entrypoint, which first
# waits for the metadata database). Everything here is idempotent: it runs on every `up`.
set -euo pipefail

lake="${SPOTIFY_LAKE_ROOT:?SPOTIFY_LAKE_ROOT is not set: docker-compose.yml sets it}"
uid="$(id -u)"

# The lake is a bind mount of ./data_lake: the containers write as AIRFLOW_UID, so that user
# must own it on the host, or every ingest would fail later with a less helpful error.
if ! mkdir -p "${lake}/landing" 2>/dev/null || [ ! -w "${lake}/landing" ]; then
  owner="$(stat -c %u "${lake}" 2>/dev/null || echo '?')"
  echo "airflow-init: ${lake}/landing (data_lake/landing on the host) is not writable by" \
       "uid ${uid}. Set AIRFLOW_UID=${owner} in .env (the owner of data_lake/, usually" \
       "the output of \`id -u\`) and run \`docker compose up -d\` again." >&2
  exit 1
fi

echo "airflow-init: migrating the Airflow metadata database"
airflow db migrate

# Warehouse loads must never overlap: the publish DAG runs its load task in this one-slot pool
# (etl/airflow_support.py WAREHOUSE_POOL).
airflow pools set spotify_warehouse 1 "Spotify Lake warehouse loads (one at a time)"

echo "airflow-init: done (Airflow UI login: ${AIRFLOW_ADMIN_USER:-?}, password from .env)"
