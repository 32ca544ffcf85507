/**
 * docs/language.md stays in step with the language: the function tables are regenerated from
 * builtin-functions.ts, and every diagnostic code and connector the checker knows is documented.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from '../support/run-cli.js';
import { IssueCodes } from '../../language/src/validation/issue-codes.js';
import { CONNECTORS } from '../../language/src/validation/connector-specs.js';

const reference = readFileSync(path.join(REPO_ROOT, 'docs', 'language.md'), 'utf8');

test('the function tables of docs/language.md are what scripts/generate-function-docs.ts generates', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/generate-function-docs.ts', '--check'], { cwd: REPO_ROOT, encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
});

test('every diagnostic code has a row with an example in the Diagnostics section', () => {
    const section = reference.slice(reference.indexOf('## Diagnostics'), reference.indexOf('## Grammar summary'));
    const missing = Object.values(IssueCodes).filter((code) => !new RegExp(`^\\| \`${code}\`( \\(warning\\))? \\|`, 'm').test(section));
    assert.deepEqual(missing, [], `docs/language.md lacks these diagnostic codes: ${missing.join(', ')}`);
});

test('every .flow excerpt of the Tests section is verbatim in the example or fixture file it names (which the examples and fixtures tests check)', () => {
    const section = reference.slice(reference.indexOf('## Tests'), reference.indexOf('## Batch and streaming semantics'));
    const blocks = [...section.matchAll(/```flow\n\/\/ (\S+)\n([\s\S]*?)```/g)];
    assert.ok(blocks.length >= 3, `only ${blocks.length} excerpts`);
    for (const [, file, excerpt] of blocks) {
        assert.ok(readFileSync(path.join(REPO_ROOT, file), 'utf8').includes(excerpt), `the excerpt of ${file} in docs/language.md is not in that file`);
    }
});

test('every connector the checker accepts is described in the reference', () => {
    const missing = CONNECTORS.filter((c) => !reference.includes(`| \`${c.name}`)).map((c) => c.name);
    assert.deepEqual(missing, [], `docs/language.md lacks these connectors: ${missing.join(', ')}`);
});
