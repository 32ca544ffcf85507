/**
 * The csv source's typed decoding (rows straight from the text, csv-row-decoder.ts) gives exactly
 * what the general path gives: the same numbers as Number() for every number text it accepts,
 * and, over random files of every field type with good and bad values, the same rows, dead
 * letters (file:line:column) and skip counts, and under `fail` the same error, read in small
 * chunks so records fall on chunk ends.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import type { ErrorPolicy, SourceConfig } from '../../protocol/logical-graph.js';
import { splitReads } from '../../runtime/src/connectors/common/file-progress.js';
import { convertText } from '../../runtime/src/connectors/common/row-converter.js';
import { CsvSource } from '../../runtime/src/connectors/csv/csv-source.js';
import { plainDecimal, plainInteger } from '../../runtime/src/connectors/csv/csv-row-decoder.js';
import { node, schema } from './graph-nodes.js';
import { runSource, type Recorded } from './operator-harness.js';

const dir = mkdtempSync(join(tmpdir(), 'flowline-csv-decoder-'));
const readBytes = splitReads.bytes;
before(() => { splitReads.bytes = 97; });
after(() => {
    splitReads.bytes = readBytes;
    CsvSource.typedDecoding = true;
    rmSync(dir, { recursive: true, force: true });
});

/** Number texts: plain decimals mostly, and what Number() reads its own way or rejects. */
const digits = fc.stringMatching(/^[0-9]{0,20}$/);
const numberText = fc.oneof(
    { weight: 6, arbitrary: fc.tuple(fc.constantFrom('', '-', '+'), digits, fc.constantFrom('', '.'), digits).map(([s, a, p, b]) => s + a + p + b) },
    { weight: 2, arbitrary: fc.double({ noNaN: true }).map(String) },
    { weight: 1, arbitrary: fc.constantFrom(' 1', '1 ', '1e5', '1E-3', '0x1f', 'Infinity', '-Infinity', 'NaN', '.', '-.', '1..2', '--1', '1,5', '٣', '') }
);

test('plain decimals and integers read exactly as Number() reads them, and nothing else', () => {
    fc.assert(fc.property(numberText, (text) => {
        const padded = `#${text}#`;
        const decimal = plainDecimal(padded, 1, 1 + text.length);
        if (!Number.isNaN(decimal)) assert.ok(Object.is(decimal, Number(text)), `${text}: ${decimal} vs ${Number(text)}`);
        const integer = plainInteger(padded, 1, 1 + text.length);
        if (!Number.isNaN(integer)) {
            assert.ok(Object.is(integer, convertText({ name: 'n', type: { kind: 'long' } }, text)), `${text}: ${integer}`);
        }
    }), { seed: 41, numRuns: 3000 });
});

const word = fc.stringMatching(/^[a-zé ]{0,5}$/);
const cellText = fc.oneof(
    { weight: 3, arbitrary: numberText },
    { weight: 2, arbitrary: word },
    { weight: 1, arbitrary: fc.constantFrom('true', 'False', ' true', 'yes', '2024-02-29', '2023-02-29', '2024-01-01T10:00:00Z', '') },
    { weight: 1, arbitrary: word.map((w) => `"${w},""${w}"""`) }
);
/** A value for each field, mostly one that fits its type, now and then any cell text. */
const typed = (fits: fc.Arbitrary<string>): fc.Arbitrary<string> => fc.oneof({ weight: 6, arbitrary: fits }, { weight: 1, arbitrary: cellText });
const decimal = fc.tuple(fc.integer({ min: -99999, max: 99999 }), fc.nat(999)).map(([a, b]) => `${a}.${b}`);
const values = fc.record({
    i: typed(fc.integer({ min: -9999, max: 9999 }).map(String)),
    l: typed(fc.oneof(fc.maxSafeInteger().map(String), fc.integer().map(String))),
    d: typed(fc.oneof(decimal, fc.double({ noNaN: true, noDefaultInfinity: true }).map(String))),
    s: typed(fc.oneof(word, word.map((w) => `"${w},""${w}"""`), word.map((w) => `"${w}\n${w}"`))),
    n: typed(fc.oneof(word, fc.constant(''))),
    b: typed(fc.constantFrom('true', 'false', 'TRUE')),
    t: typed(fc.constantFrom('2024-01-01T10:00:00Z', '1700000000000', '2024-02-29 23:59:59'))
});
type Line = { v?: Record<'i' | 'l' | 'd' | 's' | 'n' | 'b' | 't', string>; extra?: string };
const line: fc.Arbitrary<Line> = fc.oneof(
    { weight: 12, arbitrary: values.map((v): Line => ({ v })) },
    { weight: 1, arbitrary: fc.constant<Line>({}) },
    { weight: 1, arbitrary: fc.tuple(values, cellText).map(([v, extra]) => ({ v, extra })) }
);
const file = fc.record({
    rows: fc.array(line, { maxLength: 30 }),
    crlf: fc.boolean(),
    shuffledHeader: fc.boolean(),
    /** Empty lines before the header (the reader hands the first record over alone, then decodes the rest). */
    emptyBefore: fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 2 }) })
});
const fieldTypes = schema({ i: 'int', l: 'long', d: 'double', s: 'string', n: 'string?', b: 'boolean', t: 'timestamp' });

async function read(path: string, onError: ErrorPolicy, typed: boolean): Promise<Recorded | string> {
    CsvSource.typedDecoding = typed;
    const config: SourceConfig = { kind: 'source', connector: 'csv', path, options: {}, bounded: true, onError, sourceName: 'input' };
    try {
        return await runSource(node(config, fieldTypes, onError === 'deadLetter' ? { sideOutputs: ['deadLetter'] } : {}), 'batch');
    } catch (err) {
        return (err as Error).message;
    }
}

let files = 0;
test('typed decoding gives exactly the rows, dead letters, skip counts and errors of the general path', async () => {
    await fc.assert(fc.asyncProperty(file, fc.constantFrom<ErrorPolicy>('skip', 'deadLetter', 'fail'), async (f, onError) => {
        const header = f.shuffledHeader ? ['t', 's', 'd', 'n', 'b', 'i', 'l'] as const : ['i', 'l', 'd', 's', 'n', 'b', 't'] as const;
        const eol = f.crlf ? '\r\n' : '\n';
        const lines = f.rows.map(({ v, extra }) => (v === undefined ? '' : [...header.map((h) => v[h]), ...(extra !== undefined ? [extra] : [])].join(',')));
        const path = join(dir, `input-${files++}.csv`);
        writeFileSync(path, [...Array<string>(f.emptyBefore).fill(''), header.join(','), ...lines].join(eol) + eol);
        assert.deepEqual(await read(path, onError, true), await read(path, onError, false));
    }), { seed: 20261128, numRuns: 150 });
});
