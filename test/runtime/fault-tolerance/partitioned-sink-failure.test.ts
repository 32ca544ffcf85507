/**
 * A partitioned file sink in a checkpointed job (two-phase commit per partition file): a keyed,
 * windowed pipeline writing csv files partitioned by key group, whose user function throws once
 * at a record in the middle of the run, restarts from its last completed checkpoint and ends with
 * every partition file holding each record exactly once (the same folder as a run without
 * checkpoints and without failure), and no hidden part file left in any partition folder.
 * Through `flowline run`, at p=2.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { runCli } from '../../support/run-cli.js';

const root = mkdtempSync(path.join(tmpdir(), 'flowline-partitioned-fault-'));
after(() => rmSync(root, { recursive: true, force: true }));

const flow = (checkpointed: boolean): string => `pipeline PartitionedWindows {
    mode streaming
    parallelism 2
    ${checkpointed ? 'checkpoint every 100ms\n    restart fixed 3 delay 50ms' : ''}
    source events = datagen(count: 8000, rate: 4000, seed: 11) {
        seq: long = sequence(0)
        k: long = random(0, 29)
        v: long = random(1, 100)
        ts: timestamp = timestamp "2026-03-02T09:00:00Z" + 10ms * sequence(0)
        watermark ts - 1s
    }
    stream perKey = events
        | filter fn("chaos.mjs", "pass")
        | keyBy k
        | window tumbling 5s on ts
        | aggregate { k, windowEnd: window.end, n: count(), total: sum(v), group: k % 4 }
    sink perKey -> csv("out", header: false) partitioned by group
}
`;

/** Throws once, at record 4000 (a marker file remembers it did), when `fail`. */
const chaos = (fail: boolean): string => fail
    ? `import { existsSync, writeFileSync } from 'node:fs';
const marker = new URL('./failed.marker', import.meta.url);
export function pass(row) {
    if (row.seq === 4000n || row.seq === 4000) {
        if (!existsSync(marker)) { writeFileSync(marker, 'thrown'); throw new Error('planned failure'); }
    }
    return true;
}
`
    : 'export function pass() { return true; }\n';

/** Every file of the output folder: `<partition folder>: <line>` lines, sorted; hidden files too (they must not be there). */
function output(dir: string): string[] {
    const lines: string[] = [];
    for (const entry of readdirSync(path.join(dir, 'out'), { withFileTypes: true, recursive: true })) {
        if (!entry.isFile()) continue;
        const folder = path.relative(path.join(dir, 'out'), entry.parentPath);
        if (entry.name.startsWith('.')) lines.push(`hidden file ${folder}/${entry.name}`);
        else for (const line of readFileSync(path.join(entry.parentPath, entry.name), 'utf8').split('\n')) if (line !== '') lines.push(`${folder}: ${line}`);
    }
    return lines.sort();
}

async function run(name: string, checkpointed: boolean, fail: boolean): Promise<string> {
    const dir = path.join(root, name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'chaos.mjs'), chaos(fail));
    writeFileSync(path.join(dir, 'p.flow'), flow(checkpointed));
    const result = await runCli(['run', path.join(dir, 'p.flow')]);
    assert.equal(result.code, 0, result.stderr);
    return dir;
}

test('a partitioned csv sink killed mid-run restarts from a checkpoint and ends with each record once in its partition, no hidden parts left', async () => {
    const expected = output(await run('baseline', false, false));
    assert.ok(expected.length > 50 && new Set(expected.map((l) => l.split(':')[0])).size === 4, 'four partitions of windows');
    const dir = await run('failing', true, true);
    assert.ok(existsSync(path.join(dir, 'failed.marker')), 'the user function threw');
    assert.deepEqual(output(dir), expected);
});
