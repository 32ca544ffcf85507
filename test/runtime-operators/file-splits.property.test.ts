/**
 * Splits read exactly what a single reader reads: over random files (quoted fields with commas,
 * quotes and newlines, CRLF or LF, a byte order mark, empty lines, a last line without a newline,
 * bad rows of every kind, quoting csv-parse cannot read) and random split counts, the subtasks'
 * records taken in subtask order equal the single reader's records in order (so the multiset
 * and each split's order), and so do the dead letters with their file:line:column, the skip
 * counts, and under the fail policy the error the first failing split reports.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import fc from 'fast-check';
import { createReadStream } from 'node:fs';
import type { ErrorPolicy, LogicalNode, SourceConfig } from '../../protocol/logical-graph.js';
import { boundaryScan } from '../../runtime/src/connectors/csv/csv-boundaries.js';
import { csvRecords, FILE_START } from '../../runtime/src/connectors/csv/csv-records.js';
import { node, schema } from './graph-nodes.js';
import { runSource, type Recorded } from './operator-harness.js';

const dir = mkdtempSync(join(tmpdir(), 'flowline-splits-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

function sourceOver(connector: SourceConfig['connector'], content: Buffer, onError: ErrorPolicy, s: ReturnType<typeof schema>, options: SourceConfig['options'] = {}): LogicalNode {
    const path = join(dir, `input-${files++}.${connector === 'text' ? 'txt' : connector}`);
    writeFileSync(path, content);
    const config: SourceConfig = { kind: 'source', connector, path, options, bounded: true, onError, sourceName: 'input' };
    return node(config, s, onError === 'deadLetter' ? { sideOutputs: ['deadLetter'] } : {});
}

type Outcome = { ok: true; rec: Recorded } | { ok: false; message: string };

async function outcome(run: Promise<Recorded>): Promise<Outcome> {
    try {
        return { ok: true, rec: await run };
    } catch (err) {
        return { ok: false, message: (err as Error).message };
    }
}

/** The single reader's outcome, and the outcome of `parallelism` subtasks reading their splits. */
async function compare(source: LogicalNode, parallelism: number): Promise<void> {
    const whole = await outcome(runSource(source, 'batch'));
    const parts: Outcome[] = [];
    for (let i = 0; i < parallelism; i++) parts.push(await outcome(runSource(source, 'batch', i, parallelism)));
    if (!whole.ok) {
        // The job fails with the error of a failing split; the first one in file order fails
        // exactly where the single reader does (later ones fail at later rows).
        const firstFailure = parts.find((p) => !p.ok);
        assert.ok(firstFailure !== undefined, `the single reader fails (${whole.message}) but no split does`);
        assert.equal(firstFailure.message, whole.message);
        return;
    }
    const failed = parts.find((p) => !p.ok);
    assert.equal(failed, undefined, failed && !failed.ok ? failed.message : '');
    const recs = parts.map((p) => (p as { rec: Recorded }).rec);
    assert.deepEqual(recs.flatMap((r) => r.rows), whole.rec.rows, 'records, in order');
    assert.deepEqual(recs.flatMap((r) => r.side.deadLetter ?? []), whole.rec.side.deadLetter ?? [], 'dead letters');
    assert.equal(recs.reduce((n, r) => n + (r.dropped.skipped ?? 0), 0), whole.rec.dropped.skipped ?? 0, 'skip count');
}

const word = fc.stringMatching(/^[a-zé€]{0,6}$/);
/** A csv cell: plain, or quoted around commas, escaped quotes and line breaks. */
const cell = fc.oneof(
    { weight: 4, arbitrary: word },
    { weight: 1, arbitrary: fc.tuple(word, fc.constantFrom(',', '""', '\n', '\r\n', '\n\n', ''), word).map(([a, s, b]) => `"${a}${s}${b}"`) }
);
const number = fc.oneof(fc.integer({ min: -999, max: 999 }).map(String), fc.double({ min: -1e6, max: 1e6, noNaN: true }).map((d) => d.toFixed(2)));
/** One csv line: a good row mostly, sometimes a bad one, an empty line, or quoting csv-parse rejects. */
const csvLine = fc.oneof(
    { weight: 12, arbitrary: fc.tuple(number, cell, number).map(([id, name, amount]) => `${id},${name},${amount}`) },
    { weight: 1, arbitrary: fc.constant('') },
    { weight: 1, arbitrary: fc.tuple(number, cell).map(([id, name]) => `${id},${name}`) },
    { weight: 1, arbitrary: fc.tuple(number, cell, number).map(([id, name, amount]) => `${id},${name},${amount},extra`) },
    { weight: 1, arbitrary: fc.tuple(number, cell).map(([id, name]) => `${id},${name},abc`) },
    { weight: 1, arbitrary: fc.tuple(number, word).map(([id, name]) => `${id},${name}\u00ff,1`) },
    { weight: 1, arbitrary: fc.constantFrom('1,ab"c,2', '2,"ab"c,3', '3,"unclosed,4') }
);
const csvFile = fc.record({
    lines: fc.array(csvLine, { minLength: 0, maxLength: 40 }),
    crlf: fc.boolean(),
    bom: fc.boolean(),
    finalNewline: fc.boolean(),
    /** Now and then a line ends differently from the others (csv-parse reads such a file its own way). */
    oddEnding: fc.option(fc.nat(), { freq: 8 })
});

function csvBytes(f: { lines: string[]; crlf: boolean; bom: boolean; finalNewline: boolean; oddEnding: number | null }): Buffer {
    const eol = f.crlf ? '\r\n' : '\n';
    const lines = ['id,name,amount', ...f.lines];
    let text = '';
    lines.forEach((line, i) => {
        const last = i === lines.length - 1;
        const ending = f.oddEnding !== null && f.oddEnding % lines.length === i ? (f.crlf ? '\n' : '\r\n') : eol;
        text += line + (last && !f.finalNewline ? '' : ending);
    });
    // \u00ff stands for a byte that is not UTF-8.
    const parts = text.split('\u00ff').map((p) => Buffer.from(p, 'utf8'));
    const body = Buffer.concat(parts.flatMap((p, i) => (i === 0 ? [p] : [Buffer.from([0xff]), p])));
    return f.bom ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body]) : body;
}

const csvSchema = schema({ id: 'int', name: 'string', amount: 'double' });
const policy = fc.constantFrom<ErrorPolicy>('skip', 'deadLetter', 'fail');
const parallelism = fc.integer({ min: 2, max: 6 });

test('csv splits read exactly the records, dead letters, skip counts and errors of a single reader', async () => {
    await fc.assert(fc.asyncProperty(csvFile, policy, parallelism, async (f, onError, p) => {
        await compare(sourceOver('csv', csvBytes(f), onError, csvSchema), p);
    }), { seed: 20261128, numRuns: 150 });
});

test('csv splits read what a single reader reads wherever the boundary scan\'s windows of the file end', async () => {
    const windowBytes = boundaryScan.windowBytes;
    try {
        await fc.assert(fc.asyncProperty(csvFile, parallelism, fc.integer({ min: 2, max: 12 }), async (f, p, window) => {
            boundaryScan.windowBytes = window;
            await compare(sourceOver('csv', csvBytes(f), 'deadLetter', csvSchema), p);
        }), { seed: 20261129, numRuns: 150 });
    } finally {
        boundaryScan.windowBytes = windowBytes;
    }
});

test('csv splits without a header and with another delimiter read what a single reader reads', async () => {
    await fc.assert(fc.asyncProperty(csvFile, parallelism, async (f, p) => {
        const bytes = csvBytes({ ...f, lines: f.lines.map((l) => l.replaceAll(',', ';')) });
        await compare(sourceOver('csv', bytes, 'deadLetter', csvSchema, { header: false, delimiter: ';' }), p);
    }), { seed: 7, numRuns: 60 });
});

const jsonLine = fc.oneof(
    { weight: 10, arbitrary: fc.record({ id: fc.integer(), name: fc.string({ maxLength: 8 }) }).map((r) => JSON.stringify(r)) },
    { weight: 1, arbitrary: fc.constantFrom('', '  ', '{"id": 1, "name": ', '{"id": "x", "name": "a"}', 'not json', '{"id": 2, "name": "\u00ff"}') }
);
const lineFile = fc.record({ lines: fc.array(jsonLine, { maxLength: 40 }), crlf: fc.boolean(), bom: fc.boolean(), finalNewline: fc.boolean(), oddEnding: fc.constant(null) });

function lineBytes(f: { lines: string[]; crlf: boolean; bom: boolean; finalNewline: boolean }): Buffer {
    const eol = f.crlf ? '\r\n' : '\n';
    const text = f.lines.join(eol) + (f.finalNewline && f.lines.length > 0 ? eol : '');
    const parts = text.split('\u00ff').map((p) => Buffer.from(p, 'utf8'));
    const body = Buffer.concat(parts.flatMap((p, i) => (i === 0 ? [p] : [Buffer.from([0xff]), p])));
    return f.bom ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body]) : body;
}

test('jsonl and text splits read exactly the records and bad rows of a single reader', async () => {
    await fc.assert(fc.asyncProperty(lineFile, policy, parallelism, async (f, onError, p) => {
        const bytes = lineBytes(f);
        await compare(sourceOver('jsonl', bytes, onError, schema({ id: 'int', name: 'string' })), p);
        await compare(sourceOver('text', bytes, onError, schema({ line: 'string' })), p);
    }), { seed: 11, numRuns: 80 });
});

test('the fast csv reader gives exactly the records, raw text, lines, bad bytes and unreadable rows csv-parse gives', async () => {
    const read = async (path: string, fast: boolean, encoding: 'utf-8' | 'latin1') => {
        const rows = [];
        for await (const batch of csvRecords((at) => createReadStream(path, { start: at, highWaterMark: 64 }), FILE_START, { header: true, delimiter: ',', encoding }, { fast })) rows.push(...batch);
        return rows;
    };
    await fc.assert(fc.asyncProperty(csvFile, fc.constantFrom<'utf-8' | 'latin1'>('utf-8', 'latin1'), async (f, encoding) => {
        const path = join(dir, `reader-${files++}.csv`);
        writeFileSync(path, csvBytes(f));
        assert.deepEqual(await read(path, true, encoding), await read(path, false, encoding));
    }), { seed: 3, numRuns: 200 });
});
