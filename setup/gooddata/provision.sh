#!/usr/bin/env bash
# Command of the one-shot gooddata-provisioner container (profile `gooddata`): pushes the
# declarative workspace from the repo into GoodData CE once GoodData reports healthy.
set -euo pipefail
: "${GOODDATA_HOST:?GOODDATA_HOST is not set: docker-compose.yml sets it for the provisioner}"
: "${GOODDATA_TOKEN:?GOODDATA_TOKEN is empty: put the GoodData API token in .env (see docs/stack.md, GoodData)}"
: "${DATABASE_URL:?DATABASE_URL is not set: the GoodData data source is built from it}"

echo "gooddata-provisioner: deploying the workspace to ${GOODDATA_HOST}"
exec spotify-lake gooddata deploy
