/**
 * Memory of file sources, through `flowline run`: a job's memory is bounded by its state and the
 * batches in flight, not by the size of the file it reads. The run gets a V8 heap limit (every
 * thread's, through NODE_OPTIONS) well below the decoded size of its input: anything that keeps
 * memory per record read (a string value holding the piece of file it was cut from, batches
 * queued without bound) ends the run with "JS heap out of memory" instead of its results.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { runCli } from '../support/run-cli.js';

const dirs: string[] = [];
after(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

/** Rows per group key: every 64 KB piece the sources decode meets new keys. */
const ROWS_PER_KEY = 500;
const ROWS = 220_000;
/** The heap limit of every thread, MB: the input decodes to ~4x as much (two-byte strings). */
const HEAP_LIMIT_MB = 32;

/** A key of 13+ characters (V8 would cut it as a view of its piece) with a '€' (two-byte text). */
const key = (i: number): string => `customer ${Math.floor(i / ROWS_PER_KEY)} of the memory test in Köln – ${'x'.repeat(40)} €`;

test('a keyed aggregation over csv and text files larger than the heap keeps only its groups, not the pieces of file its keys were cut from', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'flowline-source-memory-'));
    dirs.push(dir);
    const csv = ['customer,amount'];
    const text: string[] = [];
    for (let i = 0; i < ROWS; i++) {
        csv.push(`${key(i)},${i % 7}`);
        text.push(key(i));
    }
    writeFileSync(path.join(dir, 'orders.csv'), csv.join('\n') + '\n');
    writeFileSync(path.join(dir, 'lines.txt'), text.join('\n') + '\n');
    writeFileSync(path.join(dir, 'p.flow'), [
        'pipeline LongKeys {',
        '    mode batch',
        '    parallelism 1',
        '    source orders: { customer: string, amount: int } = csv("orders.csv")',
        '    source lines = text("lines.txt")',
        '    stream totals = orders | keyBy customer | aggregate { customer, n: count(), total: sum(amount) }',
        '    stream perLine = lines | keyBy line | aggregate { line, n: count() }',
        '    sink totals -> print',
        '    sink perLine -> print',
        '}',
        ''
    ].join('\n'));

    const result = await runCli(['run', 'p.flow'], { cwd: dir, env: { NODE_OPTIONS: `--max-old-space-size=${HEAP_LIMIT_MB}` } });
    assert.equal(result.code, 0, result.stderr.slice(-2000));

    // The results are whole: every group, with its count and sum.
    const groups = ROWS / ROWS_PER_KEY;
    const printed = result.stdout.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>);
    const totals = printed.filter((r) => 'customer' in r);
    const perLine = printed.filter((r) => 'line' in r);
    assert.equal(totals.length, groups);
    assert.equal(perLine.length, groups);
    for (let g = 0; g < groups; g++) {
        const first = g * ROWS_PER_KEY;
        let total = 0;
        for (let i = first; i < first + ROWS_PER_KEY; i++) total += i % 7;
        assert.deepEqual(totals.find((r) => r.customer === key(first)), { customer: key(first), n: ROWS_PER_KEY, total });
        assert.deepEqual(perLine.find((r) => r.line === key(first)), { line: key(first), n: ROWS_PER_KEY });
    }
});
