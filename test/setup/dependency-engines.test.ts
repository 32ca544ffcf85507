/**
 * The README's set-up runs `npm ci` on the oldest Node the project declares (package.json
 * `engines.node`). npm prints an EBADENGINE warning for every installed package whose own
 * `engines.node` that Node does not satisfy, so the locked tree must agree with the declaration.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import semver from 'semver';

interface PackageLock { packages: Record<string, { engines?: { node?: string } | string[] }> }

const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as { engines: { node: string } };
const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as PackageLock;

/**
 * The one known exception, and why it stays: Langium 4.2 and later parse with chevrotain 12/13,
 * which declare Node 22 while using a single newer API (Object.groupBy, polyfilled in
 * scripts/node20-polyfills.cjs). Langium 4.1, the last line on chevrotain 11, predicts
 * alternatives at the cursor wrongly (no incomplete-input mode in chevrotain-allstar 0.3), which
 * breaks completion after `name:` in projections. Moving to Node 22 removes this entry.
 */
const KNOWN_NODE_22_ONLY = new Set(['node_modules/chevrotain']);

test('every locked dependency supports the oldest Node that package.json declares, but the one documented exception', () => {
    const oldest = semver.minVersion(manifest.engines.node);
    assert.ok(oldest, `engines.node ${manifest.engines.node} names no version`);
    const refusing = Object.entries(lock.packages)
        .filter(([path]) => path !== '' && !KNOWN_NODE_22_ONLY.has(path))
        .flatMap(([path, locked]) => {
            const wanted = Array.isArray(locked.engines) ? undefined : locked.engines?.node;
            return wanted && !semver.satisfies(oldest, wanted) ? [`${path} wants node ${wanted}`] : [];
        });
    assert.deepEqual(refusing, [], `Node ${oldest.version} is declared but these packages refuse it`);
});

test('the running Node is one the project declares', () => {
    assert.ok(semver.satisfies(process.versions.node, manifest.engines.node),
        `Node ${process.versions.node} is outside engines.node ${manifest.engines.node}`);
});
