#!/usr/bin/env bash
# The whole test suite: generated code check, type check, lint, bundle; then every test file
# through node's test runner (unit, CLI, LSP and runtime tests two at a time), then the
# end-to-end suite in a real VS Code (code-server + Chromium, installed on first use by
# scripts/setup-code-server.sh) one at a time. Ends with the line `N passed, N failed`.
# FLOWLINE_SKIP_E2E=1 leaves the end-to-end suite out (for a quick local run).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-installed.sh
bash scripts/check-generated.sh
npx tsc --noEmit -p tsconfig.json
npx eslint --max-warnings=0 .
node scripts/build.mjs

reports=$(mktemp -d)
status=0

# One real Flink session cluster for every test that needs Flink (test/support/flink-cluster.ts),
# on free ports with its state in a temporary folder, stopped on exit even when a test fails.
# Its jars come from the user's cache ($FLOWLINE_CACHE_DIR, else ~/.cache/flowline), which
# `flowline flink start` verifies against flink/artifacts.lock.json and rebuilds when needed.
FLOWLINE_FLINK_STATE_DIR=$(mktemp -d -t flowline-test-flink-XXXXXX)
export FLOWLINE_FLINK_STATE_DIR
stop_flink() {
    node bin/flowline.js flink stop --state-dir "$FLOWLINE_FLINK_STATE_DIR" || true
    rm -rf "$FLOWLINE_FLINK_STATE_DIR"
}
trap stop_flink EXIT
read -r flink_rest_port flink_gateway_port < <(node -e "
const net = require('node:net');
const free = () => new Promise((ok) => { const s = net.createServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => ok(p)); }); });
(async () => console.log(await free(), await free()))();")
node bin/flowline.js flink start --state-dir "$FLOWLINE_FLINK_STATE_DIR" \
    --rest-port "$flink_rest_port" --sql-gateway-port "$flink_gateway_port" >/dev/null
export FLOWLINE_FLINK_REST_URL="http://127.0.0.1:$flink_rest_port"
export FLOWLINE_FLINK_SQL_GATEWAY_URL="http://127.0.0.1:$flink_gateway_port"
mapfile -t files < <(find test -name '*.test.ts' -not -path '*/e2e/*' | sort)
node --import tsx --test --test-concurrency=2 --test-reporter=spec --test-reporter-destination=stdout \
    --test-reporter=tap --test-reporter-destination="$reports/unit.tap" "${files[@]}" || status=1

if [ "${FLOWLINE_SKIP_E2E:-0}" != "1" ]; then
    bash scripts/setup-code-server.sh >/dev/null
    npm run --silent package >/dev/null
    node --import tsx --test --test-concurrency=1 --test-reporter=spec --test-reporter-destination=stdout \
        --test-reporter=tap --test-reporter-destination="$reports/e2e.tap" test/e2e/*.e2e.ts || status=1
    # npm run package builds dist/ minified without source maps; restore the development build.
    node scripts/build.mjs
fi

node scripts/test-summary.mjs "$reports"/*.tap || status=1
exit $status
