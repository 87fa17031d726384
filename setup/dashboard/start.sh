#!/bin/sh
# Command of the dashboard container; tests/setup/test_stack_standin.py runs this same file on
# the host. Brings the warehouse schema up to date, then serves the Dash app under gunicorn.
set -eu
: "${DATABASE_URL:?DATABASE_URL is not set: the dashboard reads the PostgreSQL warehouse from it}"

spotify-lake db upgrade

# Inside the container 0.0.0.0 is private to it; docker-compose.yml publishes it on 127.0.0.1.
exec gunicorn \
  --bind "${DASHBOARD_BIND:-0.0.0.0:8050}" \
  --workers "${DASHBOARD_WORKERS:-2}" \
  --timeout 120 \
  --access-logfile - \
  --error-logfile - \
  dashboard.wsgi:server
