#!/usr/bin/env bash
# Command of the airflow-apiserver container (run through the image's entrypoint, which first
# waits for the metadata database). Sets the UI login from .env, then becomes the API server.
set -euo pipefail
python "$(dirname "$0")/simple_auth_passwords.py"
exec airflow api-server --port 8080
