/**
 * Late data through `flowline run`: records arriving after the watermark passed their window go
 * to the window's `late` side output when a sink reads it, and are counted as dropped otherwise.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, test } from 'node:test';
import type { JobMetricsMessage, PushMessage } from '../../protocol/cluster-api.js';

const root = resolve(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'flowline-late-'));
after(() => rmSync(dir, { recursive: true, force: true }));

// One event per second for 20000 s, then two events from the first second: by then the watermark
// is far past the first hour, whatever batch sizes the source uses.
const t0 = Date.UTC(2024, 0, 1);
const iso = (ms: number) => new Date(ms).toISOString();
const rows = Array.from({ length: 20_000 }, (_, i) => `s,${iso(t0 + i * 1000)}`);
rows.push(`s,${iso(t0 + 500)}`, `s,${iso(t0 + 1500)}`);
writeFileSync(join(dir, 'events.csv'), `k,ts\n${rows.join('\n')}\n`);

/** The last `metrics` push message `flowline run --status json` wrote to stderr. */
function lastMetrics(stderr: string): JobMetricsMessage {
    const metrics = stderr.trim().split('\n').map((l) => JSON.parse(l) as PushMessage).filter((m) => m.type === 'metrics');
    assert.ok(metrics.length > 0, 'no metrics message');
    return metrics.at(-1) as JobMetricsMessage;
}

function run(sinks: string, extra: string[] = []) {
    const file = join(dir, 'late.flow');
    writeFileSync(file, `pipeline Hourly {
    mode streaming
    source events: { k: string, ts: timestamp } = csv("events.csv") {
        watermark ts - 1s
    }
    stream hourly = events
        | keyBy k
        | window tumbling 1h on ts
        | aggregate { k, n: count(), start: window.start }
    ${sinks}
}
`);
    const graph = spawnSync(process.execPath, [join(root, 'bin', 'flowline.js'), 'graph', file, '--format', 'json'], { encoding: 'utf8' });
    assert.equal(graph.status, 0, graph.stderr);
    writeFileSync(join(dir, 'graph.json'), graph.stdout);
    return spawnSync(process.execPath, [join(root, 'bin', 'flowline.js'), 'run', join(dir, 'graph.json'), ...extra], { encoding: 'utf8', cwd: dir, timeout: 60_000 });
}

test('late records go to the late side output a sink reads, the windows count only the timely ones', () => {
    const result = run('sink hourly -> print\n    sink hourly.late -> print', ['--status', 'json']);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(lastMetrics(result.stderr)['late-records-dropped'], 0);
    const lines = result.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(lines.filter((l) => 'n' in l).map((l) => l.n), [3600, 3600, 3600, 3600, 3600, 2000]);
    assert.deepEqual(lines.filter((l) => !('n' in l)), [{ k: 's', ts: iso(t0 + 500) }, { k: 's', ts: iso(t0 + 1500) }]);
});

test('without a sink on the late side output, late records are counted as dropped', () => {
    const result = run('sink hourly -> print', ['--status', 'json']);
    assert.equal(result.status, 0, result.stderr);
    const metrics = lastMetrics(result.stderr);
    const dropped = metrics.vertices.flatMap((v) => v.subtasks.map((s) => s.metrics.lateRecordsDropped));
    assert.equal(dropped.reduce((a, b) => a + b, 0), 2);
    // The job-level count, next to the source and sink counters: what a user sees without summing subtasks.
    assert.equal(metrics['late-records-dropped'], 2);
    assert.equal(result.stdout.trim().split('\n').length, 6);
});

test('the final summary of flowline run says how many late records the windows dropped, as text and in the JSON summary', () => {
    const text = run('sink hourly -> print');
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stderr, /^late records dropped: 2 \(behind the watermark; a window's late records can be read with a sink on its \.late side output\)$/m);
    const json = run('sink hourly -> print', ['--status', 'json']);
    const summary = json.stderr.trim().split('\n').map((l) => JSON.parse(l) as PushMessage | { type: 'summary'; 'late-records-dropped': number })
        .find((m) => m.type === 'summary');
    assert.equal(summary?.type === 'summary' ? summary['late-records-dropped'] : undefined, 2);
    const none = run('sink hourly -> print\n    sink hourly.late -> print');
    assert.doesNotMatch(none.stderr, /late records dropped/);
});
