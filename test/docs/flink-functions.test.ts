/**
 * docs/flink.md's table of built-in functions in Flink SQL is what the translator does: generated
 * from the function registry and flink/src/sql/builtin-function-sql.ts, which has one entry for
 * every function of the language (and none for a function the language lacks).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { REPO_ROOT } from '../support/run-cli.js';
import { BUILTIN_FUNCTIONS } from '../../language/src/typing/builtin-functions.js';
import { BUILTIN_FUNCTION_SQL } from '../../flink/src/sql/builtin-function-sql.js';

test('the table of built-in functions in docs/flink.md is what scripts/generate-flink-function-docs.ts generates', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/generate-flink-function-docs.ts', '--check'], { cwd: REPO_ROOT, encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
});

test('every built-in function has a Flink SQL translation or a reason it has none, and only those', () => {
    const language = BUILTIN_FUNCTIONS.map((f) => f.name).sort();
    assert.deepEqual(Object.keys(BUILTIN_FUNCTION_SQL).sort(), language);
    for (const [name, mapping] of Object.entries(BUILTIN_FUNCTION_SQL)) {
        if (!mapping.sql) assert.ok(mapping.note.length > 20, `${name} is refused without a reason`);
    }
});
