/**
 * A file source restored from a checkpoint seeks to the byte offset of the next record it had not
 * read (protocol/checkpoints.ts, FileReadPosition): from a checkpoint taken anywhere in a big file
 * (where the barrier goes: a source's wait for capacity after a batch), the restored source emits
 * exactly what the uninterrupted run emitted after that point, bad rows included with the same
 * file lines, and reads none of the bytes before the position (counted at the file reads).
 * csv, jsonl and text, at p=1 and p=2 (a split that starts mid-file), over generated files with
 * multi-byte characters, CRLF line ends (mixed with LF in jsonl and text), quoted csv fields,
 * blank lines and bad rows.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import type { SourceReadPosition } from '../../../protocol/checkpoints.js';
import type { LogicalGraph, LogicalNode } from '../../../protocol/logical-graph.js';
import { createSource } from '../../../runtime/src/operators/operator-factory.js';
import type { Row, SourceContext } from '../../../runtime/src/operators/operator.js';
import { runCli } from '../../support/run-cli.js';

const temp = mkdtempSync(path.join(tmpdir(), 'flowline-file-seek-'));
after(() => rmSync(temp, { recursive: true, force: true }));

/** Bytes the process read from files while `counting` (createReadStream chunks, read and readSync). */
const reads = { counting: false, bytes: 0 };
// The builtin module object (what `syncBuiltinESMExports` copies into the ESM named exports).
const fs = createRequire(import.meta.url)('node:fs') as typeof import('node:fs');
before(() => {
    const { createReadStream, read, readSync } = fs;
    (fs as { createReadStream: typeof createReadStream }).createReadStream = ((...args: Parameters<typeof createReadStream>) => {
        const stream = createReadStream(...args);
        stream.on('data', (chunk) => { if (reads.counting) reads.bytes += chunk.length; });
        return stream;
    }) as typeof createReadStream;
    // The csv source reads its splits with read(fd, buffer, offset, length, position, callback).
    (fs as { read: typeof read }).read = ((fd: number, buffer: Buffer, offset: number, length: number, position: number, callback: (error: Error | null, bytesRead: number, buffer: Buffer) => void) => {
        read(fd, buffer, offset, length, position, (error, n, b) => {
            if (reads.counting && !error) reads.bytes += n;
            callback(error, n, b);
        });
    }) as typeof read;
    (fs as { readSync: typeof readSync }).readSync = ((...args: Parameters<typeof readSync>) => {
        const n = readSync(...args);
        if (reads.counting) reads.bytes += n;
        return n;
    }) as typeof readSync;
    syncBuiltinESMExports();
});

/** A seeded generator (mulberry32): the same files every run. */
function random(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

const LINES = 20_000;
/** Names: multi-byte ones, one a csv field must quote, one holding a line break (quoted in csv). */
const WORDS = ['plain', 'ünïcödé', '日本語', 'emoji 🚀', 'a,b', 'x', 'two\nlines'];

/** The three files: records of varied byte lengths, CRLF on some lines, blank lines and bad rows. */
function writeFiles(): { csv: string; jsonl: string; text: string } {
    const next = random(12);
    const csv: Buffer[] = [Buffer.from('id,name,amount\r\n')];
    const jsonl: Buffer[] = [];
    const text: Buffer[] = [];
    for (let i = 1; i <= LINES; i++) {
        const word = WORDS[Math.floor(next() * WORDS.length)];
        const end = next() < 0.2 ? '\r\n' : '\n';
        const roll = next();
        // csv: a value that is no number now and then (a bad row), a quoted name with a comma.
        const amount = roll < 0.002 ? 'n/a' : (next() * 1000).toFixed(2);
        // (All CRLF: csv-parse would read a file of mixed line ends, and such a file is read again on a restore.)
        csv.push(Buffer.from(`${i},${/[,\n]/.test(word) ? `"${word}"` : word},${amount}\r\n`));
        // jsonl: blank lines and lines that are not JSON.
        jsonl.push(Buffer.from(roll < 0.002 ? `{"id": ${i}, oops${end}` : roll < 0.01 ? end : `${JSON.stringify({ id: i, name: word, amount: Math.round(next() * 1000) })}${end}`));
        // text: bytes that are not UTF-8 on a few lines.
        text.push(roll < 0.002 ? Buffer.concat([Buffer.from(`line ${i} `), Buffer.from([0xff, 0xfe]), Buffer.from(end)]) : Buffer.from(`line ${i} ${word}${end}`));
    }
    const files = { csv: path.join(temp, 'data.csv'), jsonl: path.join(temp, 'data.jsonl'), text: path.join(temp, 'data.txt') };
    writeFileSync(files.csv, Buffer.concat(csv));
    writeFileSync(files.jsonl, Buffer.concat(jsonl));
    writeFileSync(files.text, Buffer.concat(text));
    return files;
}

type Format = 'csv' | 'jsonl' | 'text';
let nodes: Record<Format, LogicalNode>;

before(async () => {
    const files = writeFiles();
    const flow = path.join(temp, 'seek.flow');
    writeFileSync(flow, `schema Item { id: long, name: string, amount: double }
pipeline Seek {
    mode streaming
    source fromCsv: Item = csv(${JSON.stringify(files.csv)}) { onError deadLetter }
    source fromJsonl: Item = jsonl(${JSON.stringify(files.jsonl)}) { onError deadLetter }
    source fromText = text(${JSON.stringify(files.text)}) { onError deadLetter }
    stream all = fromCsv
    sink all -> blackhole
    sink fromJsonl -> blackhole
    sink fromText -> blackhole
    sink fromCsv.deadLetter -> blackhole
    sink fromJsonl.deadLetter -> blackhole
    sink fromText.deadLetter -> blackhole
}
`);
    const printed = await runCli(['graph', flow]);
    assert.equal(printed.code, 0, printed.stderr + printed.stdout);
    const graph = JSON.parse(printed.stdout) as LogicalGraph;
    const source = (connector: string): LogicalNode => graph.nodes.find((n) => n.config.kind === 'source' && n.config.connector === connector)!;
    nodes = { csv: source('csv'), jsonl: source('jsonl'), text: source('text') };
});

interface Run { rows: Row[]; dead: Row[]; positions: { position: SourceReadPosition; rows: number; dead: number }[]; bytes: number }

/** Runs one source subtask to its end; records the position at every wait for capacity (where a barrier may go). */
async function runSubtask(node: LogicalNode, subtask: number, parallelism: number, restoredPosition?: SourceReadPosition): Promise<Run> {
    const run: Run = { rows: [], dead: [], positions: [], bytes: 0 };
    let position: (() => SourceReadPosition) | undefined;
    const ctx: SourceContext = {
        node, subtaskIndex: subtask, parallelism, mode: 'streaming',
        emit: (rows) => { run.rows.push(...rows); },
        emitSide: (tag, rows) => { if (tag === 'deadLetter') run.dead.push(...rows); },
        processingTime: () => 0,
        countDropped: () => {},
        output: () => {},
        collect: () => {},
        emitWatermark: () => {},
        markIdle: () => {},
        waitForCapacity: async () => {
            if (position) run.positions.push({ position: structuredClone(position()), rows: run.rows.length, dead: run.dead.length });
        },
        cancelled: false,
        reportProgress: () => {},
        restoredPosition,
        trackPosition: (p) => { position = p; }
    };
    reads.bytes = 0;
    reads.counting = true;
    try {
        await createSource(node, 'streaming').run(ctx);
    } finally {
        reads.counting = false;
    }
    run.bytes = reads.bytes;
    return run;
}

for (const format of ['csv', 'jsonl', 'text'] as const) {
    test(`${format}: a source restored from a checkpoint anywhere in a big file seeks there, emits what the uninterrupted run did after it, and reads none of the bytes before it`, async () => {
        for (const parallelism of [1, 2]) {
            for (let subtask = 0; subtask < parallelism; subtask++) {
                const whole = await runSubtask(nodes[format], subtask, parallelism);
                assert.ok(whole.rows.length > 5000 && whole.dead.length > 0, `${format} p=${parallelism}/${subtask}: ${whole.rows.length} rows, ${whole.dead.length} bad`);
                assert.ok(whole.positions.length > 5);
                // The first, a middle and the last barrier place, and the end of input.
                const at = [0, Math.floor(whole.positions.length / 2), whole.positions.length - 2, whole.positions.length - 1];
                for (const k of at) {
                    const { position, rows, dead } = whole.positions[k];
                    const where = `${format} p=${parallelism} subtask ${subtask}, checkpoint at wait ${k} (${rows} rows emitted)`;
                    assert.ok(position.file, `${where}: the position has a byte offset`);
                    const resumed = await runSubtask(nodes[format], subtask, parallelism, position);
                    assert.deepEqual(resumed.rows, whole.rows.slice(rows), where);
                    assert.deepEqual(resumed.dead, whole.dead.slice(dead), `${where}: bad rows, with their file lines`);
                    const size = statSync(position.file!.path).size;
                    // What the restored run reads: from the position to its split's end (and the
                    // next split's first record); never the bytes before the position.
                    assert.ok(resumed.bytes <= whole.bytes - (position.file!.offset - (subtask === 0 ? 0 : Math.floor(size / parallelism))) + 64 * 1024,
                        `${where}: read ${resumed.bytes} bytes, the whole split ${whole.bytes}, position ${position.file!.offset}`);
                    assert.ok(resumed.bytes < size - position.file!.offset + 1024 * 1024, `${where}: read ${resumed.bytes} bytes after offset ${position.file!.offset} of ${size}`);
                }
            }
        }
    });
}
