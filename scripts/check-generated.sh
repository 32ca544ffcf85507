#!/usr/bin/env bash
# Regenerates the Langium parser and TextMate grammar and fails when they differ from what is
# committed: the generated code is committed, so a grammar change must come with it.
set -euo pipefail
cd "$(dirname "$0")/.."
node -r ./scripts/node20-polyfills.cjs node_modules/langium-cli/bin/langium.js generate >/dev/null
if ! git diff --quiet -- language/src/generated language/syntaxes; then
    echo "Generated Langium files differ from the committed ones; run 'npm run langium:generate' and commit:" >&2
    git --no-pager diff --stat -- language/src/generated language/syntaxes >&2
    exit 1
fi
echo "generated code is up to date"
