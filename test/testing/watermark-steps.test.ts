/**
 * Watermark steps against a reference: for generated clicks and steps (rows given before and
 * between `then watermark` steps), each expectation is what a plain evaluator says a tumbling
 * window count has emitted up to that step (the windows whose end the watermark reached), and the
 * final one every window; run through `flowline test` at parallelism 1 and 4, where the windows'
 * records reach the sink over several channels.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { TestRunReport } from '../../protocol/pipeline-tests.js';
import { randomInt, seededRandom } from '../../scripts/seeded-random.js';
import { runCli } from '../support/run-cli.js';

const MINUTE = 60_000;
const START = Date.UTC(2026, 0, 1, 10, 0, 0);

interface Click { user: number; ts: number }

const iso = (ms: number): string => new Date(ms).toISOString();

/** The windows (user, start) with their counts among `clicks` whose end is at or before `watermark`. */
function windowsUpTo(clicks: Click[], watermark: number): string[] {
    const counts = new Map<string, number>();
    for (const c of clicks) {
        const start = Math.floor((c.ts - START) / MINUTE) * MINUTE + START;
        if (start + MINUTE > watermark) continue;
        const key = `${c.user}|${start}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return [...counts].map(([key, n]) => {
        const [user, start] = key.split('|').map(Number);
        return `{ user: ${user}, clicks: ${n}, minute: timestamp "${iso(start)}" }`;
    });
}

function expectLine(rows: string[]): string {
    return ['perMinute', 'copied'].map((stream) => (rows.length === 0
        ? `    expect ${stream} is empty`
        : `    expect ${stream} = values(\n        ${rows.join(',\n        ')}\n    )`)).join('\n');
}

/** A test block with rows given in rounds, each round followed by a watermark step and an expectation. */
function generatedTest(seed: number): string {
    const random = seededRandom(seed);
    const lines = [`test "generated ${seed}" for Clicks {`];
    const seen: Click[] = [];
    let watermark = START;
    for (let round = 0, rounds = randomInt(random, 2, 5); round < rounds; round++) {
        // Rows at or after the last watermark: none is late.
        const rows: Click[] = [];
        for (let i = 0, n = randomInt(random, 1, 12); i < n; i++) rows.push({ user: randomInt(random, 1, 5), ts: watermark + randomInt(random, 0, 3 * MINUTE) });
        seen.push(...rows);
        lines.push(`    given clicks = values(${rows.map((r) => `{ user: ${r.user}, url: "/x", ts: timestamp "${iso(r.ts)}" }`).join(', ')})`);
        lines.push(expectLine(windowsUpTo(seen, watermark)));
        watermark += randomInt(random, 1, 4) * MINUTE - randomInt(random, 0, 1) * 1000;
        lines.push(`    then watermark ${iso(watermark).replace('.000Z', 'Z')}`);
        lines.push(expectLine(windowsUpTo(seen, watermark)));
    }
    lines.push('    then end', expectLine(windowsUpTo(seen, Infinity)), '}', '');
    return lines.join('\n');
}

describe('then watermark steps', () => {
    for (const parallelism of [1, 4]) {
        it(`show what a window emitted before and after each step, as a reference evaluator says, at parallelism ${parallelism}`, async () => {
            const dir = mkdtempSync(join(tmpdir(), 'flowline-watermark-steps-'));
            try {
                writeFileSync(join(dir, 'clicks.flow'), `pipeline Clicks {
    mode streaming
    parallelism ${parallelism}
    source clicks: { user: int, url: string, ts: timestamp } = csv("clicks.csv") {
        watermark ts - 5s
    }
    stream perMinute = clicks
        | keyBy user
        | window tumbling 1m on ts
        | aggregate { user, clicks: count(), minute: window.start }
    // Every subtask of the map reads from every window subtask: a barrier must wait for all of them.
    stream copied = perMinute
        | rebalance
        | map { user, clicks, minute }
    sink perMinute -> jsonl("out/per-minute.jsonl")
    sink copied -> jsonl("out/copied.jsonl")
}
`);
                writeFileSync(join(dir, 'clicks.csv'), 'user,url,ts\n');
                const seeds = [1, 2, 3, 4, 5, 6];
                writeFileSync(join(dir, 'clicks.test.flow'), `import "clicks.flow"\n\n${seeds.map(generatedTest).join('\n')}`);
                const result = await runCli(['test', '.', '--reporter', 'json'], { cwd: dir });
                const report = JSON.parse(result.stdout) as TestRunReport;
                const troubled = report.tests.filter((t) => t.status !== 'passed').map((t) => `${t.name}: ${t.message ?? ''}${t.failures.map((f) => `\n${f.message}\n${f.diff}`).join('')}`);
                assert.deepEqual(troubled, [], result.stderr);
                assert.equal(report.passed, seeds.length);
                assert.equal(result.code, 0);
            } finally {
                rmSync(dir, { recursive: true, force: true });
            }
        });
    }
});
