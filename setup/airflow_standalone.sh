#!/usr/bin/env bash
# `make airflow`: Airflow 3 standalone on this machine (api-server, scheduler, dag-processor,
# triggerer in one process tree) with the DAGs of dags/, the local lake and warehouse.
#
# SQLite metadata DB + LocalExecutor (parallelism 4): fine for one person's lake, not production.
# Stop it with Ctrl-C (SIGINT); SIGTERM does not stop standalone cleanly.
#
# Environment (all optional):
#   SPOTIFY_LAKE_ROOT  the lake                       (default: <repo>/data_lake)
#   DATABASE_URL       PostgreSQL warehouse           (default: embedded DuckDB in the lake)
#   AIRFLOW_HOME       Airflow's config, DB and logs  (default: $SPOTIFY_LAKE_ROOT/.airflow)
#   AIRFLOW_PORT       UI/API port                    (default: 8080)
#   AIRFLOW_HOST       address to bind                (default: 127.0.0.1, this machine only)
#   VENV               the Python environment         (default: <repo>/.venv)
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${VENV:-$REPO/.venv}"
if [[ ! -x "$VENV/bin/airflow" ]]; then
  echo "error: $VENV/bin/airflow not found; run 'make install' first (it installs the airflow extra)" >&2
  exit 1
fi
# standalone starts its components as `airflow …` from PATH.
export PATH="$VENV/bin:$PATH"

export SPOTIFY_LAKE_ROOT="$(realpath -m "${SPOTIFY_LAKE_ROOT:-$REPO/data_lake}")"
export AIRFLOW_HOME="$(realpath -m "${AIRFLOW_HOME:-$SPOTIFY_LAKE_ROOT/.airflow}")"
PORT="${AIRFLOW_PORT:-8080}"
HOST="${AIRFLOW_HOST:-127.0.0.1}"
URL="http://127.0.0.1:$PORT"

export AIRFLOW__CORE__DAGS_FOLDER="$REPO/dags"
export AIRFLOW__CORE__EXECUTOR=LocalExecutor
export AIRFLOW__CORE__PARALLELISM="${AIRFLOW__CORE__PARALLELISM:-4}"
export AIRFLOW__CORE__LOAD_EXAMPLES=False
export AIRFLOW__DATABASE__SQL_ALCHEMY_CONN="sqlite:///$AIRFLOW_HOME/airflow.db"
export AIRFLOW__API__HOST="$HOST"
export AIRFLOW__API__PORT="$PORT"
# Task workers reach the execution API through the base URL, so it must carry the port.
export AIRFLOW__API__BASE_URL="$URL"
# New DAGs start unpaused: dropping an export is all a user should have to do.
export AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION="${AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION:-False}"
# Pick up DAG edits and new landing files quickly on a laptop.
export AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL="${AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL:-30}"

mkdir -p "$AIRFLOW_HOME" "$SPOTIFY_LAKE_ROOT/landing"
airflow db migrate >"$AIRFLOW_HOME/db-migrate.log" 2>&1 || {
  echo "error: 'airflow db migrate' failed; see $AIRFLOW_HOME/db-migrate.log" >&2
  exit 1
}
airflow pools set spotify_warehouse 1 "Warehouse loads run one at a time" >/dev/null 2>&1

# Never print a password that DATABASE_URL may carry.
WAREHOUSE="$(sed -E 's#//[^@/]*@#//***@#' <<<"${DATABASE_URL:-}")"
cat <<EOF
Spotify Lake on Airflow $(airflow version 2>/dev/null)
  UI and API:     $URL  (user: admin)
  admin password: $AIRFLOW_HOME/simple_auth_manager_passwords.json.generated
  drop exports in: $SPOTIFY_LAKE_ROOT/landing/
  warehouse:      ${WAREHOUSE:-embedded DuckDB in $SPOTIFY_LAKE_ROOT}
Stop with Ctrl-C.
EOF
# A shell started in the background ignores SIGINT and its children inherit that, but standalone
# stops cleanly only on SIGINT: restore the default disposition before exec.
exec "$VENV/bin/python" -c \
  'import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execvp(sys.argv[1], sys.argv[1:])' \
  airflow standalone
