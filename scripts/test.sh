#!/usr/bin/env bash
# The whole test suite: generated code check, type check, lint, bundle, then every test file
# through node's test runner (its summary is the last thing printed).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-installed.sh
bash scripts/check-generated.sh
npx tsc --noEmit -p tsconfig.json
npx eslint --max-warnings=0 .
node scripts/build.mjs
mapfile -t files < <(find test -name '*.test.ts' -not -path '*/e2e/*' | sort)
exec node --import tsx --test --test-concurrency=2 --test-reporter=spec "${files[@]}" "$@"
