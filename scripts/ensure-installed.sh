#!/usr/bin/env bash
# Installs the project's npm dependencies (and builds dist/) on a fresh clone; a no-op afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    npm ci --no-audit --no-fund
fi
