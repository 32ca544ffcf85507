/**
 * The partitioned file sink (`sink s -> csv("out/x") partitioned by a, b`), through `flowline run`:
 * over generated records (partition values with '/', ':', '=', '%', unicode, blanks and nulls),
 * the folder read back (each file's rows plus its folders' values) is the input as a multiset, in
 * batch and streaming mode at p=1 and p=2, for csv and jsonl; the folders are named as Flink names
 * them (escaped characters, `__DEFAULT_PARTITION__` for null and blank); and a checkpointed
 * streaming run leaves no hidden part file behind.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { runCli } from '../support/run-cli.js';

const dir = mkdtempSync(path.join(tmpdir(), 'flowline-partitioned-sink-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const REGIONS = ['eu/west', 'us:east', 'a=b', '100%', 'Zürich', ' ', '', null];
interface Input { id: number; region: string | null; day: number; amount: number }

const inputs: Input[] = fc.sample(fc.record({
    region: fc.constantFrom(...REGIONS),
    day: fc.integer({ min: 1, max: 4 }),
    amount: fc.integer({ min: -1000, max: 1000 })
}), { numRuns: 800, seed: 23 }).map((r, id) => ({ id, ...r }));
writeFileSync(path.join(dir, 'sales.jsonl'), `${inputs.map((r) => JSON.stringify(r)).join('\n')}\n`);

/** Flink's folder name of a value (independent of the runtime's code: the cases above, by hand). */
const FOLDER: Record<string, string> = {
    'eu/west': 'eu%2Fwest', 'us:east': 'us%3Aeast', 'a=b': 'a%3Db', '100%': '100%25', 'Zürich': 'Zürich',
    ' ': '__DEFAULT_PARTITION__', '': '__DEFAULT_PARTITION__'
};
const folderOf = (region: string | null): string => (region === null ? '__DEFAULT_PARTITION__' : FOLDER[region]);

function flow(mode: string, format: 'csv' | 'jsonl', out: string, checkpoint = ''): string {
    const sink = format === 'csv' ? `csv("${out}", header: false)` : `jsonl("${out}")`;
    return `pipeline Partitioned {
    mode ${mode}
    ${checkpoint}
    source sales: { id: int, region: string?, day: int, amount: int } = jsonl("sales.jsonl")
    stream tagged = sales | map { id, amount, region, day }
    sink tagged -> ${sink} partitioned by region, day
}
`;
}

/** Every row in the folder as `id|amount|region folder|day folder`, sorted. */
function readBack(out: string, format: 'csv' | 'jsonl'): string[] {
    const rows: string[] = [];
    for (const entry of readdirSync(out, { withFileTypes: true, recursive: true })) {
        if (!entry.isFile()) continue;
        assert.ok(!entry.name.startsWith('.'), `a hidden part was left behind: ${entry.name}`);
        const [region, day] = path.relative(out, entry.parentPath).split(path.sep);
        const text = readFileSync(path.join(entry.parentPath, entry.name), 'utf8');
        const records = format === 'csv'
            ? (parse(text) as string[][]).map(([id, amount]) => ({ id, amount }))
            : text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>);
        for (const r of records) {
            assert.deepEqual(Object.keys(r), ['id', 'amount'], 'the files hold the fields other than the partition fields');
            rows.push(`${r.id}|${r.amount}|${region}|${day}`);
        }
    }
    return rows.sort();
}

const expected = inputs.map((r) => `${r.id}|${r.amount}|region=${folderOf(r.region)}|day=${r.day}`).sort();

for (const format of ['csv', 'jsonl'] as const) {
    test(`a ${format} sink partitioned by a string and an int writes each record once into its Flink-named folder, in batch and streaming at p=1 and p=2`, async () => {
        for (const mode of ['batch', 'streaming']) {
            for (const p of [1, 2]) {
                const out = `out-${format}-${mode}-${p}`;
                const file = path.join(dir, `${out}.flow`);
                writeFileSync(file, flow(mode, format, out));
                const result = await runCli(['run', file, '--parallelism', String(p)]);
                assert.equal(result.code, 0, result.stderr);
                assert.deepEqual(readBack(path.join(dir, out), format), expected, `${mode}, p=${p}`);
            }
        }
    });
}

test('a checkpointed streaming run commits every partition file and leaves no hidden part behind', async () => {
    const out = 'out-checkpointed';
    const file = path.join(dir, `${out}.flow`);
    writeFileSync(file, flow('streaming', 'csv', out, 'checkpoint every 50ms'));
    const result = await runCli(['run', file, '--parallelism', '2']);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(readBack(path.join(dir, out), 'csv'), expected);
});
