/**
 * Nexmark q6 (a seller's average selling price over their last 10 closed auctions) gives the same
 * rows in streaming mode as in batch mode, at parallelism 1 and 2, and both equal a plain evaluator
 * of the same event files (scripts/nexmark/q6-reference.ts). Streaming depends on `keep ... until
 * expires`: each auction's winning bid is emitted once the watermark passes its expiry, and the
 * OVER aggregate after it reads final rows (docs/nexmark.md).
 */
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { compareRows, localRows, type EventSet } from '../../scripts/nexmark/nexmark-parity.js';
import { q6Reference } from '../../scripts/nexmark/q6-reference.js';
import { writeNexmarkFiles } from '../../runtime/src/connectors/nexmark/nexmark-files.js';

const work = mkdtempSync(join(tmpdir(), 'flowline-q6-'));
after(() => rmSync(work, { recursive: true, force: true }));

// Two event sets: different seeds and rates (so auctions close at different points of the input);
// the second, to keep the test cheap, in streaming mode at p=2 only.
const EVENT_SETS: { events: EventSet; runs: ['batch' | 'streaming', number][] }[] = [
    { events: { events: 8_000, seed: 3, rate: 400 }, runs: [['batch', 1], ['batch', 2], ['streaming', 1], ['streaming', 2]] },
    { events: { events: 6_000, seed: 11, rate: 2_000 }, runs: [['streaming', 2]] }
];

for (const { events, runs } of EVENT_SETS) {
    test(`q6 gives the evaluator's rows in ${runs.map(([m, p]) => `${m} p=${p}`).join(', ')} (${events.events} events, seed ${events.seed}, rate ${events.rate})`, { timeout: 300_000 }, async () => {
        const dir = join(work, `seed-${events.seed}`);
        mkdirSync(join(dir, 'events'), { recursive: true });
        writeNexmarkFiles({ ...events, outOfOrder: 1 }, join(dir, 'events'));
        const expected = q6Reference(join(dir, 'events'));
        assert.ok(expected.length > 50, `the event set closes auctions (${expected.length} rows)`);
        for (const [mode, parallelism] of runs) {
            const runDir = join(dir, `${mode}-p${parallelism}`);
            mkdirSync(runDir);
            const { rows, keyFields } = await localRows(runDir, 'q6', events, parallelism, mode);
            assert.equal(keyFields, undefined, `q6 in ${mode} mode is an append stream`);
            // compareRows names its second side Flink: here it is the evaluator.
            const difference = compareRows(rows, expected);
            assert.equal(difference, undefined, `${mode} p=${parallelism} against the evaluator: ${difference}`);
        }
    });
}
