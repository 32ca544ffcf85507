/**
 * Bad input through `flowline run`, as a user meets it: CSV rows with extra or missing cells,
 * bytes that are not UTF-8, latin1 files, errors of operators after a source, and the final
 * summary that counts what each source read, skipped and dead-lettered and what each sink wrote.
 * Input files are generated here, bytes included.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import type { RunSummaryEvent } from '../../protocol/cluster-api.js';
import type { LogicalGraph } from '../../protocol/logical-graph.js';
import { runCli, type CliResult } from '../support/run-cli.js';

type Policy = 'fail' | 'skip' | 'deadLetter';
const POLICIES: Policy[] = ['fail', 'skip', 'deadLetter'];

/** A fresh folder holding `files`; runs happen in it, so messages name files relative to it. */
function workdir(files: Record<string, string | Buffer>): string {
    const dir = mkdtempSync(path.join(tmpdir(), 'flowline-bad-input-'));
    for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), content);
    return dir;
}

/** A batch pipeline reading `source` (its declaration after `=`) with `policy`, printing rows and dead letters. */
function pipeline(schema: string, connector: string, policy: Policy): string {
    return [
        'pipeline BadInput {',
        '    mode batch',
        `    source rows${schema} = ${connector} { onError ${policy} }`,
        '    sink rows -> print',
        ...(policy === 'deadLetter' ? ['    sink rows.deadLetter -> print'] : []),
        '}',
        ''
    ].join('\n');
}

async function run(dir: string, flow: string, ...args: string[]): Promise<CliResult> {
    writeFileSync(path.join(dir, 'p.flow'), flow);
    return runCli(['run', 'p.flow', ...args], { cwd: dir });
}

/**
 * Runs `flow` with its sources read by `parallelism` instances (and the rest at one), through its
 * LogicalGraph (`flowline graph`, then `flowline run` of the .json): each instance reads its
 * splits of the file.
 */
async function runWithParallelSources(dir: string, flow: string, parallelism: number): Promise<CliResult> {
    writeFileSync(path.join(dir, 'p.flow'), flow);
    const graph = await runCli(['graph', 'p.flow'], { cwd: dir });
    assert.equal(graph.code, 0, graph.stderr);
    const json = JSON.parse(graph.stdout) as LogicalGraph;
    for (const node of json.nodes) {
        if (node.config.kind !== 'source') continue;
        node.parallelism = parallelism;
        delete node.parallelismPinned;
    }
    writeFileSync(path.join(dir, 'p.json'), JSON.stringify(json));
    return runCli(['run', 'p.json'], { cwd: dir });
}

/** Printed records split into main-output rows and dead letters (which have an `error`). */
function printed(stdout: string): { rows: Record<string, unknown>[]; deadLetters: Record<string, unknown>[] } {
    const all = stdout.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>);
    return { rows: all.filter((r) => !('error' in r)), deadLetters: all.filter((r) => 'error' in r) };
}

/** The summary lines at the end of stderr. */
function summary(stderr: string): string[] {
    return stderr.split('\n').filter((l) => /^(source|sink) /.test(l));
}

/**
 * Runs one source over `files` under every onError policy and checks what every policy shares:
 * `fail` exits 1 naming `error`; `skip` and `deadLetter` finish and the summary counts the one bad
 * row of `read` as skipped or dead-lettered. Returns the printed records of the policies that finish.
 */
async function runUnderEveryPolicy(files: Record<string, string | Buffer>, schema: string, connector: string, fileName: string,
    read: number, error: string): Promise<Map<string, ReturnType<typeof printed>>> {
    const outputs = new Map<string, ReturnType<typeof printed>>();
    for (const policy of POLICIES) {
        const result = await run(workdir(files), pipeline(schema, connector, policy));
        const what = `${fileName}, onError ${policy}: ${result.stderr}`;
        if (policy === 'fail') {
            assert.equal(result.code, 1, what);
            assert.ok(result.stderr.includes(`BadInputError: ${error}`), what);
            continue;
        }
        assert.equal(result.code, 0, what);
        assert.equal(summary(result.stderr)[0],
            `source rows (${fileName}): ${read} rows read, ${policy === 'skip' ? 1 : 0} skipped, ${policy === 'deadLetter' ? 1 : 0} dead-lettered`, what);
        outputs.set(policy, printed(result.stdout));
    }
    return outputs;
}

test('a CSV row with an extra cell is a bad row under every onError policy, with and without a header', async () => {
    for (const header of [true, false]) {
        const lines = ['1,10', '2,20,99', '3,30'];
        const data = (header ? ['id,amount', ...lines] : lines).join('\n') + '\n';
        const badLine = header ? 3 : 2;
        const error = `data.csv:${badLine}:6: expected 2 fields, found 3 (an extra value "99")`;
        const outputs = await runUnderEveryPolicy({ 'data.csv': data }, ': { id: long, amount: long }', `csv("data.csv", header: ${header})`, 'data.csv', 3, error);
        for (const [policy, out] of outputs) {
            assert.deepEqual(out.rows.map((r) => r.id).sort(), [1, 3], `header ${header}, onError ${policy}`);
        }
        assert.deepEqual(outputs.get('deadLetter')?.deadLetters, [{ source: 'rows', file: 'data.csv', line: badLine, raw: '2,20,99', error }], `header ${header}`);
        assert.equal(outputs.size, 2, 'skip and deadLetter finish');
    }
});

test('a CSV row with a missing cell is a bad row too, even when the schema does not need the missing column', async () => {
    const dir = workdir({ 'data.csv': 'id,amount,note\n1,10,a\n2,20\n3,30,c\n' });
    const result = await run(dir, pipeline(': { id: long, amount: long }', 'csv("data.csv")', 'deadLetter'));
    assert.equal(result.code, 0, result.stderr);
    const out = printed(result.stdout);
    assert.deepEqual(out.rows.map((r) => r.id).sort(), [1, 3]);
    assert.deepEqual(out.deadLetters.map((d) => d.error), ['data.csv:3:5: expected 3 fields, found 2']);
});

/** The three file sources over the same text, with line 2 holding `bad` bytes. */
function filesWithBytes(bad: Buffer): { name: string; schema: string; connector: (options: string) => string; bytes: Buffer; line: number; offset: number; column: number }[] {
    const csv = Buffer.concat([Buffer.from('id,name\n1,ok\n2,caf'), bad, Buffer.from('\n3,fine\n')]);
    const jsonl = Buffer.concat([Buffer.from('{"id":1,"name":"ok"}\n{"id":2,"name":"caf'), bad, Buffer.from('"}\n{"id":3,"name":"fine"}\n')]);
    const text = Buffer.concat([Buffer.from('ok\ncaf'), bad, Buffer.from('\nfine\n')]);
    return [
        { name: 'data.csv', schema: ': { id: long, name: string }', connector: (o) => `csv("data.csv"${o})`, bytes: csv, line: 3, offset: csv.indexOf(bad), column: 6 },
        { name: 'data.jsonl', schema: ': { id: long, name: string }', connector: (o) => `jsonl("data.jsonl"${o})`, bytes: jsonl, line: 2, offset: jsonl.indexOf(bad), column: 20 },
        { name: 'data.txt', schema: '', connector: (o) => `text("data.txt"${o})`, bytes: text, line: 2, offset: text.indexOf(bad), column: 4 }
    ];
}

test('bytes that are not valid UTF-8 are a bad row of a csv, jsonl or text source under every policy, naming the line and the byte offset', async () => {
    // 0xC3 starts a two-byte character but "(" does not continue it.
    for (const file of filesWithBytes(Buffer.from([0xc3, 0x28]))) {
        const error = `${file.name}:${file.line}:${file.column}: invalid UTF-8: byte 0xC3 at byte offset ${file.offset} of the file (a file in another encoding needs the source option encoding: "latin1")`;
        const outputs = await runUnderEveryPolicy({ [file.name]: file.bytes }, file.schema, file.connector(''), file.name, 3, error);
        for (const [policy, out] of outputs) {
            assert.equal(out.rows.length, 2, `${file.name}, onError ${policy}`);
            assert.ok(out.rows.every((r) => !JSON.stringify(r).includes('\ufffd')), `no replacement character reaches the output: ${file.name}, onError ${policy}`);
        }
        assert.deepEqual(outputs.get('deadLetter')?.deadLetters.map((d) => [d.source, d.file, d.line, d.error]), [['rows', file.name, file.line, error]], file.name);
        assert.equal(outputs.size, 2, 'skip and deadLetter finish');
    }
});

test('a source with encoding: "latin1" reads every byte as its ISO-8859-1 character; the same file as UTF-8 fails', async () => {
    for (const file of filesWithBytes(Buffer.from([0xe9]))) { // é in latin1, not UTF-8
        const dir = workdir({ [file.name]: file.bytes });
        const latin1 = await run(dir, pipeline(file.schema, file.connector(', encoding: "latin1"'), 'fail'));
        assert.equal(latin1.code, 0, latin1.stderr);
        const values = printed(latin1.stdout).rows.map((r) => (file.schema === '' ? r.line : r.name));
        assert.deepEqual(values, ['ok', 'café', 'fine'], file.name);
        const utf8 = await run(dir, pipeline(file.schema, file.connector(''), 'fail'));
        assert.equal(utf8.code, 1, file.name);
        assert.match(utf8.stderr, /invalid UTF-8: byte 0xE9/);
    }
});

test('a UTF-8 byte order mark at the start of a csv, jsonl or text file is not part of the first record', async () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    for (const file of filesWithBytes(Buffer.from('é'))) {
        const withBom = await run(workdir({ [file.name]: Buffer.concat([bom, file.bytes]) }), pipeline(file.schema, file.connector(''), 'fail'));
        const without = await run(workdir({ [file.name]: file.bytes }), pipeline(file.schema, file.connector(''), 'fail'));
        assert.equal(withBom.code, 0, withBom.stderr);
        assert.deepEqual(printed(withBom.stdout).rows, printed(without.stdout).rows, file.name);
        assert.equal(printed(withBom.stdout).rows.length, 3, file.name);
    }
});

test('an unknown encoding is a check error: flowline run stops before the job starts', async () => {
    const dir = workdir({ 'data.txt': 'a\n' });
    const result = await run(dir, pipeline('', 'text("data.txt", encoding: "utf-16")', 'fail'));
    assert.equal(result.code, 1);
    assert.match(result.stderr, /The option 'encoding' of text must be 'utf-8' or 'latin1', not "utf-16"/);
});

test('an encoding is written exactly: "LATIN1" is a check error in a .flow file and a refused graph in a .json one', async () => {
    const dir = workdir({ 'data.txt': 'caf\xe9\n' });
    const checked = await run(dir, pipeline('', 'text("data.txt", encoding: "LATIN1")', 'fail'));
    assert.equal(checked.code, 1);
    assert.match(checked.stderr, /The option 'encoding' of text must be 'utf-8' or 'latin1', not "LATIN1"/);
    writeFileSync(path.join(dir, 'p.flow'), pipeline('', 'text("data.txt", encoding: "latin1")', 'fail'));
    const graph = await runCli(['graph', 'p.flow'], { cwd: dir });
    assert.equal(graph.code, 0, graph.stderr);
    for (const spelling of ['LATIN1', 'UTF-8', 'utf-16', 7]) {
        const json = JSON.parse(graph.stdout) as LogicalGraph;
        const source = json.nodes.find((n) => n.config.kind === 'source')!;
        (source.config as { options: Record<string, unknown> }).options.encoding = spelling;
        writeFileSync(path.join(dir, 'p.json'), JSON.stringify(json));
        const result = await runCli(['run', 'p.json'], { cwd: dir });
        assert.equal(result.code, 1, `${spelling}: ${result.stderr}`);
        assert.ok(result.stderr.includes(`has encoding ${JSON.stringify(spelling)}; a source reads "utf-8" or "latin1", written exactly so.`), result.stderr);
        assert.equal(result.stdout, '', 'no row is read');
    }
});

test('dead letters name the source as declared, carried in the graph; a graph source without that name is refused', async () => {
    const dir = workdir({ 'data.csv': 'id,amount\n1,x\n' });
    writeFileSync(path.join(dir, 'p.flow'), pipeline(': { id: long, amount: long }', 'csv("data.csv")', 'deadLetter'));
    const graph = await runCli(['graph', 'p.flow'], { cwd: dir });
    assert.equal(graph.code, 0, graph.stderr);
    const json = JSON.parse(graph.stdout) as LogicalGraph;
    const source = json.nodes.find((n) => n.config.kind === 'source')!;
    // The display name is not where the name comes from: changing it changes nothing.
    source.name = 'renamed for display';
    writeFileSync(path.join(dir, 'p.json'), JSON.stringify(json));
    const renamed = await runCli(['run', 'p.json'], { cwd: dir });
    assert.equal(renamed.code, 0, renamed.stderr);
    assert.equal(printed(renamed.stdout).deadLetters[0].source, 'rows');
    assert.match(renamed.stderr, /^source rows \(data\.csv\): 1 rows? read/m);
    delete (source.config as { sourceName?: string }).sourceName;
    writeFileSync(path.join(dir, 'p.json'), JSON.stringify(json));
    const nameless = await runCli(['run', 'p.json'], { cwd: dir });
    assert.equal(nameless.code, 1);
    assert.ok(nameless.stderr.includes("is a source and needs a string 'sourceName' in its config (the name it is declared with)."), nameless.stderr);
});

test('a multi-byte character split between two read chunks is read whole; a bad byte next to the chunk boundary is found on its line', async () => {
    // Reads come in 256 KiB chunks: put a valid 3-byte character and, on a later line, a bad
    // byte right across the boundaries of the first and second chunk.
    const CHUNK = 256 * 1024;
    const lines: Buffer[] = [];
    let size = 0;
    const add = (b: Buffer): void => { lines.push(b); size += b.length; };
    while (size < CHUNK - 40) add(Buffer.from(`line ${lines.length + 1} ${'x'.repeat(50)}\n`));
    add(Buffer.from(`${'y'.repeat(CHUNK - size - 1)}€\n`)); // € = E2 82 AC, split after its first byte
    const validLine = lines.length;
    while (size < 2 * CHUNK - 40) add(Buffer.from(`line ${lines.length + 1} ${'x'.repeat(50)}\n`));
    const badPrefix = Buffer.from('z'.repeat(2 * CHUNK - size - 1));
    add(Buffer.concat([badPrefix, Buffer.from([0xe2, 0x82]), Buffer.from('!\n')])); // a 3-byte start cut short
    const badLine = lines.length;
    const badOffset = 2 * CHUNK - 1;
    while (lines.length < badLine + 10) add(Buffer.from(`line ${lines.length + 1}\n`));
    const dir = workdir({ 'big.txt': Buffer.concat(lines) });
    const readers = [{ schema: '', connector: 'text("big.txt")' }, { schema: ': { line: string }', connector: 'csv("big.txt", header: false)' }];
    for (const [reader, parallelism] of [[readers[0], 1], [readers[0], 3], [readers[1], 2]] as const) {
        const result = await runWithParallelSources(dir, pipeline(reader.schema, reader.connector, 'deadLetter'), parallelism);
        assert.equal(result.code, 0, result.stderr);
        const out = printed(result.stdout);
        assert.equal(out.rows.length, lines.length - 1);
        assert.ok(out.rows.some((r) => String(r.line).endsWith('y€')), 'the split € is read as one character');
        assert.deepEqual(out.deadLetters.map((d) => [d.line, d.error]), [[badLine,
            `big.txt:${badLine}:${badPrefix.length + 1}: invalid UTF-8: byte 0xE2 at byte offset ${badOffset} of the file (a file in another encoding needs the source option encoding: "latin1")`]]);
        assert.notEqual(validLine, badLine);
    }
});

/** Deterministic pseudo-random numbers (mulberry32), so a failing case can be replayed. */
function random(seed: number): () => number {
    let a = seed;
    return () => {
        a = (a + 0x6d2b79f5) | 0;
        let t = Math.imul(a ^ (a >>> 15), 1 | a);
        t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

test('generated CSV files with every kind of bad row give the rows, dead letters and counts a reference reader expects, with 1 and 3 source instances', async () => {
    for (const seed of [7, 2024]) {
        const next = random(seed);
        const rows: Buffer[] = [Buffer.from('id,name,amount\n')];
        const good: { id: number; name: string; amount: number }[] = [];
        const bad: number[] = [];
        for (let id = 1; id <= 3000; id++) {
            const line = rows.length + 1;
            const amount = Math.floor(next() * 1000);
            const kind = next();
            if (kind < 0.03) rows.push(Buffer.from(`${id},n${id},${amount},extra\n`));
            else if (kind < 0.06) rows.push(Buffer.from(`${id},n${id}\n`));
            else if (kind < 0.09) rows.push(Buffer.concat([Buffer.from(`${id},n`), Buffer.from([0xff]), Buffer.from(`,${amount}\n`)]));
            else if (kind < 0.12) rows.push(Buffer.from(`${id},n${id},x${amount}\n`));
            else if (kind < 0.14) rows.push(Buffer.from(`${id},n"${id},${amount}\n`)); // a quote csv-parse cannot read
            else {
                const name = next() < 0.2 ? `é${id}` : `n${id}`;
                rows.push(Buffer.from(`${id},${name},${amount}\n`));
                good.push({ id, name, amount });
                continue;
            }
            bad.push(line);
        }
        const dir = workdir({ 'data.csv': Buffer.concat(rows) });
        const schema = ': { id: long, name: string, amount: long }';
        for (const parallelism of [1, 3]) {
            const what = `seed ${seed}, ${parallelism} source instance(s)`;
            const result = await runWithParallelSources(dir, pipeline(schema, 'csv("data.csv")', 'deadLetter'), parallelism);
            assert.equal(result.code, 0, `${what}: ${result.stderr}`);
            const out = printed(result.stdout);
            assert.deepEqual(out.rows.sort((a, b) => Number(a.id) - Number(b.id)), good, what);
            assert.deepEqual(out.deadLetters.map((d) => d.line).sort((a, b) => Number(a) - Number(b)), bad, what);
            assert.deepEqual(summary(result.stderr), [
                `source rows (data.csv): 3000 rows read, 0 skipped, ${bad.length} dead-lettered`,
                `sink 1 (rows) -> print: ${good.length} records written`,
                `sink 2 (rows.deadLetter) -> print: ${bad.length} records written`
            ], what);
            if (parallelism === 1) continue;
            const skipped = await runWithParallelSources(dir, pipeline(schema, 'csv("data.csv")', 'skip'), parallelism);
            assert.equal(skipped.code, 0, skipped.stderr);
            assert.equal(printed(skipped.stdout).rows.length, good.length, what);
            assert.equal(summary(skipped.stderr)[0], `source rows (data.csv): 3000 rows read, ${bad.length} skipped, 0 dead-lettered`, what);
        }
    }
});

test('an error thrown by an operator after a CSV source keeps its type, message and the operator\'s line', async () => {
    // Enough rows that the failing batch is emitted while the CSV parser is still being read.
    const data = ['id,amount', ...Array.from({ length: 3000 }, (_, i) => `${i + 1},${(i + 1) % 1000}`)].join('\n') + '\n';
    const dir = workdir({ 'data.csv': data });
    const flow = [
        'pipeline Ratio {',
        '    mode batch',
        '    source rows: { id: long, amount: long } = csv("data.csv")',
        '    stream ratios = rows',
        '        | map { id, ratio: 100 / amount }',
        '    sink ratios -> print',
        '}',
        ''
    ].join('\n');
    for (const parallelism of [1, 2]) {
        const result = await runWithParallelSources(dir, flow, parallelism);
        assert.equal(result.code, 1);
        assert.ok(result.stderr.includes('OperatorError: p.flow:5:11: error in map: division by zero'), result.stderr);
        assert.doesNotMatch(result.stderr, /malformed CSV|BadInputError/);
    }
});

test('the summary lists every sink with the file it wrote and its record count, on stderr and as the last --status json event', async () => {
    const dir = workdir({ 'data.csv': 'id,amount\n1,10\n2,x\n3,30\n4,40\n' });
    const flow = [
        'pipeline Copy {',
        '    mode batch',
        '    source rows: { id: long, amount: long } = csv("data.csv") { onError deadLetter }',
        '    stream big = rows | filter amount > 15',
        '    sink big -> csv("big.csv")',
        '    sink rows.deadLetter -> jsonl("bad.jsonl")',
        '    sink rows -> blackhole',
        '}',
        ''
    ].join('\n');
    const result = await run(dir, flow, '--parallelism', '2');
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(summary(result.stderr), [
        'source rows (data.csv): 4 rows read, 0 skipped, 1 dead-lettered',
        'sink 1 (big) -> big.csv: 2 records written',
        'sink 2 (rows.deadLetter) -> bad.jsonl: 1 record written',
        'sink 3 (rows) -> blackhole: 3 records written'
    ]);
    assert.equal(readFileSync(path.join(dir, 'big.csv'), 'utf8').trim().split('\n').length, 1 + 2, 'header and 2 records');
    assert.equal(readFileSync(path.join(dir, 'bad.jsonl'), 'utf8').trim().split('\n').length, 1);

    const json = await run(dir, flow, '--status', 'json');
    assert.equal(json.code, 0, json.stderr);
    const last = JSON.parse(json.stderr.trim().split('\n').at(-1)!) as RunSummaryEvent;
    assert.equal(last.type, 'summary');
    assert.equal(last.status, 'FINISHED');
    assert.deepEqual(last.sources.map((s) => [s.name, s.path, s['read-records'], s['skipped-records'], s['dead-lettered-records'], s.complete]),
        [['rows', path.join(dir, 'data.csv'), 4, 0, 1, true]]);
    assert.deepEqual(last.sinks.map((s) => [s.connector, s.path, s['write-records'], s.complete]),
        [['csv', path.join(dir, 'big.csv'), 2, true], ['jsonl', path.join(dir, 'bad.jsonl'), 1, true], ['blackhole', null, 3, true]]);
});
