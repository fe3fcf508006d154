#!/usr/bin/env bash
# Installs the project's npm dependencies when they are missing or older than package-lock.json,
# so that `npm test` and `npm run sim` work on a fresh clone with nothing else typed first.
set -euo pipefail
cd "$(dirname "$0")/.."
marker=node_modules/.package-lock.json
if [ ! -f "$marker" ] || [ package-lock.json -nt "$marker" ]; then
  echo "podmesh: installing dependencies (npm install)..." >&2
  # Not `npm ci`: npm 11 leaves the other platforms' optional msgpackr-extract builds out of the lock file
  # and then refuses it as out of sync. `npm install` installs exactly what the lock file pins.
  npm install --no-audit --no-fund >&2
fi
