/**
 * Nexmark on the local runtime equals the official Nexmark Flink SQL on a real Flink, over the
 * same generated event files (scripts/nexmark/nexmark-parity.ts): one query of each stateful
 * shape: a regular join, a window joined back, sessions, an updating per-key aggregate, an
 * aggregate over updating rows (q4, retractions), a partitioned file sink read back (q10). q12
 * (processing-time windows) cannot equal Flink on bounded files: it is checked on what both define.
 * `node --import tsx scripts/nexmark/nexmark-parity.ts` runs every written query.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runNexmarkParity } from '../../scripts/nexmark/nexmark-parity.js';
import { flinkClusterForTests } from '../support/flink-cluster.js';

const work = mkdtempSync(join(tmpdir(), 'flowline-nexmark-parity-'));
after(() => rmSync(work, { recursive: true, force: true }));

test('q3, q4, q7, q10, q11 and q17 give the rows of the official Nexmark Flink SQL on Flink over 10,000 generated events; q12 counts every bid once locally and Flink fires no window beyond the file', { timeout: 600_000 }, async () => {
    const cluster = await flinkClusterForTests();
    const results = await runNexmarkParity(cluster.sqlGatewayUrl, ['q3', 'q4', 'q7', 'q10', 'q11', 'q12', 'q17'], { events: 10_000, seed: 5, rate: 500 }, work);
    for (const r of results) {
        if (r.query === 'q12') {
            // Flink's processing-time windows do not fire at the end of bounded input (docs/nexmark.md): the
            // local totals per bidder equal the bid file's counts, Flink's fired windows stay within them.
            assert.ok(r.matches, `q12: ${r.note ?? ''}`);
            assert.match(r.note ?? '', /not comparable row by row: Flink fired \d+ window rows/);
            continue;
        }
        assert.ok(r.matches, `${r.query}: ${r.note ?? ''}`);
        assert.ok(r.localRows > 0, `${r.query} has rows to compare`);
    }
});
