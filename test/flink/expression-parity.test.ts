/**
 * Every translatable .flow expression means the same on Flink as on the local runtime: random
 * well-typed expressions (fast-check, fixed seed) over random rows, and a fixture of hand-picked
 * edge cases per function, evaluated by the runtime's expression compiler and by a real Flink
 * (exprToSql over a VALUES table, batch mode, one SQL Gateway session).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import fc from 'fast-check';
import { REPO_ROOT } from '../support/run-cli.js';
import { checkExpressions, compareOnFlink, describeDifferences, flinkBatchSessionForSuite, expressionsOfFile } from './support/expression-parity.js';
import { anyExpression, PARITY_SCHEMA, rowText } from './support/random-expressions.js';

const SEED = 20261127;
const EXPRESSIONS = 160;
const ROWS = 12;

describe('expressions on Flink equal the local runtime', { timeout: 600_000 }, () => {
    const session = flinkBatchSessionForSuite();

    it('random typed expressions over random rows give the same value on every row', async () => {
        const texts = fc.sample(anyExpression, { seed: SEED, numRuns: EXPRESSIONS });
        const rows = fc.sample(rowText, { seed: SEED + 1, numRuns: ROWS });
        const checked = await checkExpressions(PARITY_SCHEMA, rows, texts);
        assert.deepEqual(checked.rejected, [], 'the generator writes only well-typed expressions');
        const report = await compareOnFlink(session(), checked);
        assert.deepEqual(report.localErrors, []);
        assert.equal(report.differences.length, 0, describeDifferences(report));
        // Most expressions must really run on Flink, or the comparison proves little.
        assert.ok(report.compared >= EXPRESSIONS * 0.9, `only ${report.compared} of ${EXPRESSIONS} expressions were compared`);
    });

    it('every hand-picked edge case of function-edge-cases.flow gives the same value on every row', async () => {
        const checked = await expressionsOfFile(join(REPO_ROOT, 'test/flink/fixtures/function-edge-cases.flow'));
        const report = await compareOnFlink(session(), checked);
        assert.deepEqual(report.unsupported, [], 'every edge case is translatable');
        assert.deepEqual(report.localErrors, []);
        assert.equal(report.outOfRange, 0);
        assert.equal(report.differences.length, 0, describeDifferences(report));
        assert.equal(report.compared, checked.expressions.length);
    });

    it('every decimal case of decimal-edge-cases.flow gives the same exact text on every row', async () => {
        const checked = await expressionsOfFile(join(REPO_ROOT, 'test/flink/fixtures/decimal-edge-cases.flow'));
        const report = await compareOnFlink(session(), checked);
        assert.deepEqual(report.unsupported, [], 'every decimal case is translatable');
        assert.deepEqual(report.localErrors, []);
        assert.equal(report.differences.length, 0, describeDifferences(report));
        assert.equal(report.compared, checked.expressions.length);
    });
});
