/**
 * The examples' data files are committed, and reproducible: the seeded generators must produce
 * them byte for byte, so a changed generator cannot silently diverge from the committed data.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { REPO_ROOT } from '../support/run-cli.js';

test('scripts/generate-example-data.ts reproduces every committed example data file', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/generate-example-data.ts', '--check'], { cwd: REPO_ROOT, encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
});
