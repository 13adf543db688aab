#!/bin/sh
# The container entrypoint: start-up work (PRINT_ENV_ON_LOAD, WAIT_FOR_DB, MIGRATE_DB; see app/entrypoint.ts),
# then exec the command (default: the app), which replaces this shell and receives the signals.
set -e
if [ "$#" -eq 0 ]; then set -- node /app/dist/app/main.js; fi
if [ -n "${PRINT_ENV_ON_LOAD:-}${WAIT_FOR_DB:-}${MIGRATE_DB:-}" ]; then
  node "$(dirname "$0")/entrypoint.js"
fi
exec "$@"
