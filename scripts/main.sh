#!/usr/bin/env bash
# The main job: checks every example pipeline (the runtime issue turns this into running one).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-installed.sh
node scripts/build.mjs
node bin/flowline.js check $(find examples -name '*.flow' | sort)
