/**
 * A checkpointed job reading a csv, jsonl or text file that a user function fails once, after a
 * checkpoint completed: the job restarts from that checkpoint, its file sources seek to their
 * byte positions (file-source-seek.test.ts checks the seeking itself), and its exactly-once file
 * sink ends with one update per input record and the same final count and maximum per key as a
 * run without failure (at p=2 the order of updates per key depends on how the two subtasks'
 * records interleave; the counts do not). Through the shared.cluster process and REST.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import type { CheckpointingStatistics } from '../../../protocol/checkpoints.js';
import type { JobDetails } from '../../../protocol/cluster-api.js';
import type { LogicalGraph } from '../../../protocol/logical-graph.js';
import { runCli } from '../../support/run-cli.js';
import { clusterForFile, waitForJobEnd } from '../cluster-harness.js';

const RECORDS = 120_000;
const shared = clusterForFile(['--taskmanagers', '2', '--slots', '2'], 'flowline-file-restart-');

const inputs = {
    csv: (i: number) => `${i},${i % 13},n${'é'.repeat(i % 5)}\r\n`,
    jsonl: (i: number) => `${JSON.stringify({ id: i, k: i % 13, name: `n${'é'.repeat(i % 5)}` })}${i % 7 === 0 ? '\r\n' : '\n'}`,
    text: (i: number) => `${i} ${i % 13} ${'日'.repeat(i % 3)}\n`
};

function flowFor(format: keyof typeof inputs, dir: string): string {
    const source = format === 'csv' ? `source items: Item = csv(${JSON.stringify(path.join(dir, 'in.csv'))})`
        : format === 'jsonl' ? `source items: Item = jsonl(${JSON.stringify(path.join(dir, 'in.jsonl'))})`
            : `source lines = text(${JSON.stringify(path.join(dir, 'in.txt'))})`;
    const items = format === 'text' ? 'stream items = lines | map { id: cast(split_index(line, " ", 0) as long), k: cast(split_index(line, " ", 1) as long) }\n    ' : '';
    return `schema Item { id: long, k: long, name: string }
pipeline FileRestart {
    mode streaming
    parallelism 2
    checkpoint every 50ms
    restart fixed 3 delay 10ms
    ${source}
    ${items}stream checked = items | filter fn("chaos.mjs", "pass")
    stream perKey = checked | keyBy k | reduce { k, n: count(), top: max(id) } | upsert
    sink perKey -> jsonl(${JSON.stringify(path.join(dir, 'out', 'per-key.jsonl'))})
}
`;
}

async function runOnce(format: keyof typeof inputs, name: string, fail: boolean): Promise<{ lines: string[]; details: JobDetails; stats: CheckpointingStatistics }> {
    const dir = path.join(shared.temp, `${format}-${name}`);
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, format === 'text' ? 'in.txt' : `in.${format}`);
    const header = format === 'csv' ? 'id,k,name\r\n' : '';
    writeFileSync(file, header + Array.from({ length: RECORDS }, (_, i) => inputs[format](i)).join(''));
    writeFileSync(path.join(dir, 'chaos.mjs'), [
        "import { existsSync, writeFileSync } from 'node:fs';",
        "const marker = new URL('./failed.marker', import.meta.url);",
        "import { readdirSync } from 'node:fs';",
        `const checkpoints = ${JSON.stringify(path.join(dir, 'checkpoints'))};`,
        // Throws once, at the first record (looked at every 200) after a checkpoint completed;
        // slow enough (2 ms every 200 records) that the input lasts beyond the first checkpoint.
        'const completed = () => existsSync(checkpoints) && readdirSync(checkpoints).some((job) => readdirSync(`${checkpoints}/${job}`).some((c) => /^chk-\\d+$/.test(c)));',
        'export function pass(row) {',
        '    if (row.id % 200 !== 0) return true;',
        '    const until = Date.now() + 2; while (Date.now() < until);',
        `    if (${fail} && !existsSync(marker) && completed()) { writeFileSync(marker, 'thrown'); throw new Error('planned failure'); }`,
        '    return true;',
        '}',
        ''
    ].join('\n'));
    writeFileSync(path.join(dir, 'restart.flow'), flowFor(format, dir));
    const printed = await runCli(['graph', path.join(dir, 'restart.flow')]);
    assert.equal(printed.code, 0, printed.stderr + printed.stdout);
    const graph = JSON.parse(printed.stdout) as LogicalGraph;
    graph.checkpointing = { ...graph.checkpointing!, directory: path.join(dir, 'checkpoints') };
    const submitted = await shared.cluster.api<{ jobid: string }>('POST', '/jobs', graph);
    assert.equal(submitted.status, 202, JSON.stringify(submitted.body));
    const jid = submitted.body.jobid;
    assert.equal(await waitForJobEnd(shared.push, jid), 'FINISHED');
    const out = path.join(dir, 'out', 'per-key.jsonl');
    const lines = existsSync(out) ? readFileSync(out, 'utf8').split('\n').filter((l) => l !== '').sort() : [];
    return {
        lines,
        details: (await shared.cluster.api<JobDetails>('GET', `/jobs/${jid}`)).body,
        stats: (await shared.cluster.api<CheckpointingStatistics>('GET', `/jobs/${jid}/checkpoints`)).body
    };
}

/** Per key, its last update: the most records counted, with the highest id seen. */
function finalPerKey(lines: string[]): Record<string, { n: number; top: number }> {
    const last: Record<string, { n: number; top: number }> = {};
    for (const line of lines) {
        const { k, n, top } = JSON.parse(line) as { k: number; n: number; top: number };
        if (!last[k] || n > last[k].n) last[k] = { n, top };
    }
    return last;
}

for (const format of ['csv', 'jsonl', 'text'] as const) {
    test(`${format}: a job failed by a user function after a checkpoint restarts from it, seeks, and writes each record once`, async () => {
        const expected = await runOnce(format, 'baseline', false);
        assert.equal(expected.lines.length, RECORDS, 'one update per record');
        const failed = await runOnce(format, 'failed', true);
        assert.equal(failed.details.attempt, 1, 'the user function threw once, after a checkpoint completed, and the job restarted once');
        assert.ok(failed.stats.latest.restored, `restored from a checkpoint: ${JSON.stringify(failed.stats.counts)}`);
        assert.equal(failed.lines.length, RECORDS, 'one update per record: none lost, none repeated');
        assert.deepEqual(finalPerKey(failed.lines), finalPerKey(expected.lines));
    });
}
