#!/usr/bin/env bash
# The main job: checks the example pipelines, then runs the batch word count on the local
# runtime (a JobManager and TaskManagers in this one process) and prints its top 20 words.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-installed.sh
node scripts/build.mjs
node bin/flowline.js check $(find examples -name '*.flow' | sort)
node bin/flowline.js run examples/word-count/word-count.flow --pipeline WordCount
