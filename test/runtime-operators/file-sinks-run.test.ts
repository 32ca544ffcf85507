/**
 * File sinks through `flowline run`: a finished job leaves exactly the output file; a job that
 * fails after its sink received records leaves neither the file nor a temporary one.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, test } from 'node:test';

const root = resolve(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'flowline-file-sinks-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function run(flow: string): { status: number | null; stderr: string } {
    const file = join(dir, 'pipeline.flow');
    writeFileSync(file, flow);
    const graph = spawnSync(process.execPath, [join(root, 'bin', 'flowline.js'), 'graph', file, '--format', 'json'], { encoding: 'utf8' });
    assert.equal(graph.status, 0, graph.stderr);
    writeFileSync(join(dir, 'graph.json'), graph.stdout);
    return spawnSync(process.execPath, [join(root, 'bin', 'flowline.js'), 'run', join(dir, 'graph.json')], { encoding: 'utf8', cwd: dir, timeout: 60_000 });
}

// 5000 rows; the divisor is 0 only in the last one, long after the sink got its first batches.
writeFileSync(join(dir, 'pairs.csv'), `a,b\n${Array.from({ length: 5000 }, (_, i) => `${i},${i === 4999 ? 0 : 1}`).join('\n')}\n`);
const pipeline = (divisor: string) => `pipeline Ratios {
    mode batch
    source pairs: { a: int, b: int } = csv("pairs.csv")
    stream ratios = pairs | map { a, q: a / ${divisor} }
    sink ratios -> jsonl("out/ratios.jsonl")
    sink ratios -> csv("out/ratios.csv")
}
`;

test('a finished job leaves its jsonl and csv outputs complete under their own names', () => {
    const result = run(pipeline('(b + 1)'));
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(readdirSync(join(dir, 'out')).sort(), ['ratios.csv', 'ratios.jsonl']);
    const jsonl = readFileSync(join(dir, 'out', 'ratios.jsonl'), 'utf8').trim().split('\n');
    assert.equal(jsonl.length, 5000);
    assert.deepEqual(JSON.parse(jsonl[4999]), { a: 4999, q: 4999 });
    assert.equal(readFileSync(join(dir, 'out', 'ratios.csv'), 'utf8').split('\n')[0], 'a,q');
    rmSync(join(dir, 'out'), { recursive: true });
});

test('a job failing after its sinks received records leaves no output file, not even a temporary one', () => {
    const result = run(pipeline('b'));
    assert.equal(result.status, 1);
    assert.match(result.stderr, /pipeline\.flow:4:\d+: error in map: division by zero/);
    assert.deepEqual(readdirSync(join(dir, 'out')), []);
});
