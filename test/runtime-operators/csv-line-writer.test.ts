/**
 * The csv sink writes its lines with a generated writer (connectors/csv/csv-line-writer.ts): for
 * generated records of every field kind and the delimiters users pick, the file holds exactly what
 * csv-stringify writes for the same records (the sink's earlier path), header included.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { stringify } from 'csv-stringify/sync';
import fc from 'fast-check';
import type { LogicalNode } from '../../protocol/logical-graph.js';
import { node, schema } from './graph-nodes.js';
import { runSink } from './operator-harness.js';

const dir = mkdtempSync(join(tmpdir(), 'flowline-csv-lines-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const fields = schema({ name: 'string?', n: 'long?', x: 'double?', ok: 'boolean?', at: 'timestamp?', tags: 'string?' });
/** Text with the characters that decide quoting: delimiters, quotes, CR, LF, spaces, non-ASCII. */
const tricky = fc.string({ unit: fc.constantFrom('a', 'Z', ' ', ',', ';', '|', '\t', '"', '\n', '\r', 'é', '𝄞', '0', '-', '='), maxLength: 8 });
const record = fc.record({
    name: fc.option(tricky),
    n: fc.option(fc.integer({ min: -1e9, max: 1e9 })),
    x: fc.option(fc.oneof(fc.double({ noNaN: false }), fc.constant(-0))),
    ok: fc.option(fc.boolean()),
    at: fc.option(fc.integer({ min: 0, max: 4e12 })),
    // A field holding a list or record is written as JSON (a string typed field here, as the sink sees any value).
    tags: fc.option(fc.oneof(tricky, fc.array(tricky, { maxLength: 3 }), fc.constant(undefined)))
}, { requiredKeys: [] });

/** What csv-stringify writes for these records: timestamps as ISO text, objects as JSON, booleans as true/false. */
function expected(rows: Record<string, unknown>[], delimiter: string, header: boolean): string {
    const columns = fields.map((f) => f.name);
    const records = rows.map((r) => columns.map((c) => {
        const v = c === 'at' && typeof r[c] === 'number' ? new Date(r[c]).toISOString() : r[c];
        return v !== null && typeof v === 'object' ? JSON.stringify(v) : v;
    }));
    return (header ? stringify([columns], { delimiter }) : '') + stringify(records, { delimiter, cast: { boolean: (b) => String(b) } });
}

test('the csv sink writes exactly what csv-stringify writes, for generated records with quotes, delimiters and line breaks in their fields', async () => {
    let run = 0;
    await fc.assert(fc.asyncProperty(fc.array(fc.array(record, { maxLength: 6 }), { maxLength: 3 }), fc.constantFrom(',', ';', '\t', '|', ' ', '::'), fc.boolean(), async (batches, delimiter, header) => {
        const path = join(dir, `out-${run++}.csv`);
        const sink: LogicalNode = node({ kind: 'sink', connector: 'csv', options: { delimiter, header }, path }, fields);
        await runSink(sink, batches);
        assert.equal(readFileSync(path, 'utf8'), expected(batches.flat(), delimiter, header));
    }), { seed: 20261128, numRuns: 300 });
});
