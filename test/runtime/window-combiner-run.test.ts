/**
 * The window combiner before a keyBy (operators/window-combiner.ts), through `flowline run`:
 * event-time tumbling, sliding and cumulate window aggregations over generated records (late
 * ones, null timestamps, disorder past the watermark's delay, allowed lateness set in the graph)
 * give exactly the records and late records of FLOWLINE_COMBINER=off, at p=1 in streaming and
 * batch mode (in order, first/last included), and at p=2 and 4 where the input is in order.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import fc from 'fast-check';
import type { LogicalGraph } from '../../protocol/logical-graph.js';
import { combinerApplies } from '../../runtime/src/operators/aggregate-combiner.js';
import { WindowCombiner } from '../../runtime/src/operators/window-combiner.js';
import { runCli } from '../support/run-cli.js';

const dir = mkdtempSync(path.join(tmpdir(), 'flowline-window-combiner-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const T0 = Date.UTC(2024, 0, 1);
const KEYS = ['a', 'b', 'é', '日本', '🙂', '', 'x"y', 'k7'];

interface DataShape { records: number; stepMs: number; lateShare: number; lateMaxMs: number; nullShare: number }

/** Records in time order with `lateShare` of them set back by up to `lateMaxMs`, some timestamps null. */
function writeData(name: string, shape: DataShape, seed: number): string {
    const draw = fc.record({
        g: fc.constantFrom(...KEYS),
        n: fc.option(fc.integer({ min: -1000, max: 1000 }), { nil: null }),
        late: fc.double({ min: 0, max: 1, noNaN: true }),
        back: fc.integer({ min: 0, max: shape.lateMaxMs }),
        nul: fc.double({ min: 0, max: 1, noNaN: true })
    });
    const rows = fc.sample(draw, { numRuns: shape.records, seed }).map((r, i) => ({
        g: r.g,
        n: r.n,
        ts: r.nul < shape.nullShare ? null : T0 + i * shape.stepMs - (r.late < shape.lateShare ? r.back : 0)
    }));
    writeFileSync(path.join(dir, name), `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`);
    return name;
}

const WINDOWS = ['tumbling 1s', 'sliding 2s every 500ms', 'cumulate 2s every 500ms'];
const AGGREGATES = '{ g, c: count(), cn: count(n), s: sum(n), a: avg(n), lo: min(n), hi: max(n), f: first(n), l: last(n), ws: window.start, we: window.end }';

const pipelineText = (mode: string, data: string, window: string, aggregate = AGGREGATES): string => `pipeline Windowed {
    mode ${mode}
    source rows: { g: string, n: int?, ts: timestamp? } = jsonl("${data}") {
        watermark ts - 300ms
    }
    stream out = rows
        | keyBy g
        | window ${window} on ts
        | aggregate ${aggregate}
    sink out -> print
    sink out.late -> print
}
`;

/** The graph of `flow` as JSON, with `allowedLatenessMs` set on its window aggregate when given. */
async function graphFile(flow: string, allowedLatenessMs?: number): Promise<string> {
    const file = path.join(dir, `w-${Math.random().toString(36).slice(2)}.flow`);
    writeFileSync(file, flow);
    const result = await runCli(['graph', file, '--format', 'json']);
    assert.equal(result.code, 0, result.stderr);
    const graph = JSON.parse(result.stdout) as LogicalGraph;
    if (allowedLatenessMs !== undefined) {
        const aggregate = graph.nodes.find((n) => n.config.kind === 'aggregate')!;
        if (aggregate.config.kind === 'aggregate') aggregate.config.allowedLatenessMs = allowedLatenessMs;
    }
    const json = file.replace(/\.flow$/, '.json');
    writeFileSync(json, JSON.stringify(graph));
    return json;
}

/** Runs the graph at parallelism `p`; the printed records without subtask prefixes (sorted unless `inOrder`). */
async function run(graph: string, p: number, combiner: boolean, inOrder = false): Promise<string[]> {
    const result = await runCli(['run', graph, '--parallelism', String(p), '--taskmanagers', '2', '--slots', '2'], {
        cwd: dir,
        env: combiner ? { FLOWLINE_COMBINER: '' } : { FLOWLINE_COMBINER: 'off' }
    });
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.trim().split('\n').map((l) => l.replace(/^\d+> /, ''));
    return inOrder ? lines : lines.sort();
}

/** The window results (with window bounds) and the late records (with a timestamp or a null one), apart. */
function split(lines: string[]): { results: string[]; late: string[] } {
    return { results: lines.filter((l) => l.includes('"we"')), late: lines.filter((l) => !l.includes('"we"')) };
}

test('at p=1 in streaming mode, generated late and out-of-order records give the same window results and late records with the combiner as without it, for tumbling, sliding and cumulate windows and allowed lateness', async () => {
    let sawLate = false;
    let sawLateFiring = false;
    for (const [seed, window, lateness] of [[3, WINDOWS[0], 0], [5, WINDOWS[1], 0], [8, WINDOWS[2], 0], [13, WINDOWS[0], 700], [21, WINDOWS[1], 400]] as const) {
        const data = writeData(`late-${seed}.jsonl`, { records: 4000, stepMs: 3, lateShare: 0.08, lateMaxMs: 2500, nullShare: 0.01 }, seed);
        const graph = await graphFile(pipelineText('streaming', data, window), lateness || undefined);
        const without = await run(graph, 1, false);
        const withCombiner = await run(graph, 1, true);
        assert.deepEqual(split(withCombiner).results, split(without).results, `${window}, lateness ${lateness}, seed ${seed}: window results`);
        assert.deepEqual(split(withCombiner).late, split(without).late, `${window}, lateness ${lateness}, seed ${seed}: late records`);
        sawLate ||= split(without).late.length > 0;
        // A late firing emits a window again: some (key, window) then appears more than once.
        const keyWindows = split(without).results.map((l) => { const r = JSON.parse(l) as { g: string; we: string }; return `${r.g}|${r.we}`; });
        sawLateFiring ||= lateness > 0 && new Set(keyWindows).size < keyWindows.length;
    }
    assert.ok(sawLate, 'the generated input made no late records');
    assert.ok(sawLateFiring, 'the generated input made no late firings within the allowed lateness');
});

test('at p=1 the window results come in the same order with the combiner as without it (first and last included)', async () => {
    const data = writeData('ordered.jsonl', { records: 5000, stepMs: 2, lateShare: 0.05, lateMaxMs: 1500, nullShare: 0 }, 34);
    const graph = await graphFile(pipelineText('streaming', data, WINDOWS[0]));
    assert.deepEqual(split(await run(graph, 1, true, true)).results, split(await run(graph, 1, false, true)).results);
});

test('in batch mode and at p=2 and 4 over in-order input, the combiner gives the same window results as p=1 without it', async () => {
    const data = writeData('in-order.jsonl', { records: 6000, stepMs: 2, lateShare: 0, lateMaxMs: 0, nullShare: 0 }, 55);
    // Order-free aggregates: at p > 1 first/last depend on which subtask's records come first.
    const aggregate = '{ g, c: count(), cn: count(n), s: sum(n), lo: min(n), hi: max(n), ws: window.start, we: window.end }';
    for (const [mode, window] of [['batch', WINDOWS[0]], ['batch', WINDOWS[2]], ['streaming', WINDOWS[1]], ['streaming', WINDOWS[2]]]) {
        const graph = await graphFile(pipelineText(mode, data, window, aggregate));
        const reference = await run(graph, 1, false);
        assert.ok(reference.length > 50, `expected many windows, got ${reference.length}`);
        for (const p of [2, 4]) assert.deepEqual(await run(graph, p, true), reference, `${mode}, ${window}, p=${p} with the combiner`);
    }
});

test('the combiner applies to keyed event-time tumbling, sliding and cumulate windows whose aggregates merge exactly, and not to sums of doubles, processing-time or session windows', async () => {
    const cases: [string, string, boolean, string?][] = [
        ['tumbling 1s on ts', '{ g, c: count(), s: sum(n), a: avg(n), f: first(n), l: last(n), lo: min(x), hi: max(x) }', true],
        ['sliding 2s every 1s on ts', '{ g, c: count() }', true],
        ['cumulate 2s every 1s on ts', '{ g, c: count() }', true],
        ['tumbling 1s on ts', '{ g, s: sum(x) }', false, 'a sum of doubles rounds differently when partial sums are added'],
        ['tumbling 1s on ts', '{ g, a: avg(x) }', false],
        ['tumbling 1s on ts', '{ g, c: count(distinct n) }', false],
        ['tumbling 1s on ts', '{ g, c: collect(n) }', false],
        ['tumbling 1s', '{ g, c: count() }', false, 'processing-time windows are assigned by the receiver\'s clock'],
        ['session gap 1s on ts', '{ g, c: count() }', false]
    ];
    const file = path.join(dir, 'rule.flow');
    writeFileSync(file, `pipeline Rule {
    mode streaming
    source rows: { g: string, n: int?, x: double, ts: timestamp? } = jsonl("none.jsonl") {
        watermark ts - 1s
    }
${cases.map(([window, aggregate], i) => `    stream s${i} = rows | keyBy g | window ${window} | aggregate ${aggregate}\n    sink s${i} -> print`).join('\n')}
}
`);
    const result = await runCli(['graph', file, '--format', 'json']);
    assert.equal(result.code, 0, result.stderr);
    const graph = JSON.parse(result.stdout) as LogicalGraph;
    cases.forEach(([window, aggregate, expected, why], i) => {
        const node = graph.nodes.find((n) => n.config.kind === 'aggregate' && n.id.includes(`/s${i}/`));
        assert.ok(node, `no aggregate node for s${i} in ${graph.nodes.map((n) => n.id).join(', ')}`);
        assert.equal(combinerApplies(node, 'streaming'), expected, `${window} ${aggregate}${why ? `: ${why}` : ''}`);
    });
});

/** A `count()` per `g` (of type `keyType`) in `window`, as the planner would give the combiner. */
function countNode(keyType: string, window: Record<string, unknown>): LogicalGraph['nodes'][number] {
    return {
        id: 'w', name: 'w', schema: [],
        config: {
            kind: 'aggregate', rolling: false, keys: [{ k: 'field', name: 'g', type: { kind: keyType } }],
            fields: [{ name: 'c', expr: { k: 'call', fn: 'count', args: [], type: { kind: 'long' } } }],
            window
        }
    } as unknown as LogicalGraph['nodes'][number];
}

test('a window combiner folds records into one partial per window and key, and sends a record whose window ended at or below its watermark as itself, after the partials before it', () => {
    const combiner = new WindowCombiner(countNode('string', { type: 'tumbling', sizeMs: 1000, timeField: 'ts' }));
    combiner.add(Array.from({ length: 1000 }, (_, i) => ({ g: i % 2 === 0 ? 'a' : 'b', ts: i * 3 })));
    combiner.watermarkSent(1500, false);
    combiner.add([{ g: 'a', ts: 400 }, { g: 'a', ts: 2100 }, { g: 'a', ts: null }]);
    const out = combiner.drain() as { $e?: number; $n: number; $raw?: unknown; a0?: number }[];
    assert.deepEqual(out.map((p) => p.$raw === undefined ? `partial ${p.$e} n=${p.$n} c=${p.a0}` : 'raw'), [
        'partial 1000 n=167 c=167', 'partial 1000 n=167 c=167', 'partial 2000 n=167 c=167', 'partial 2000 n=166 c=166',
        'partial 3000 n=167 c=167', 'partial 3000 n=166 c=166', 'raw', 'partial 3000 n=1 c=1', 'raw'
    ]);
    combiner.watermarkSent(1600, true);
    combiner.add([{ g: 'a', ts: 5000 }]);
    assert.equal(combiner.drain().length, 1, 'after the task was declared idle every record goes as itself');
    assert.ok((combiner.drain() as unknown[]).length === 0);
});

test('a window combiner that stops combining sends the partials of later windows it held with its last partials, before any record goes around it', () => {
    // A key per record: each falls in 4 windows (ends 500 to 2000), no two share a partial.
    const combiner = new WindowCombiner(countNode('long', { type: 'sliding', sizeMs: 2000, slideMs: 500, timeField: 'ts' }));
    combiner.add(Array.from({ length: 10_000 }, (_, i) => ({ g: i, ts: i % 500 })));
    combiner.add(Array.from({ length: 10_000 }, (_, i) => ({ g: 10_000 + i, ts: i % 500 })));
    // The watermark at 600 fires the windows ending at 500: 20 000 partials, too few records each.
    const before600 = combiner.drainBefore(600) as { $e: number }[];
    assert.equal(combiner.active, false, 'combining stopped (1 record per partial)');
    assert.equal(before600.filter((p) => p.$e === 500).length, 20_000);
    assert.equal(before600.length, 80_000, 'the partials of the windows ending at 1000, 1500 and 2000 went with them');
    assert.equal(combiner.drain().length, 0, 'nothing is held while records go around the combiner');
});

/**
 * Sentences for the split tests: words from a small vocabulary (non-ASCII, empty-looking, longer
 * than the word cache keeps) and from a large one (more distinct words than the cache's slots, so
 * slots are replaced), joined by one to three separators, some with leading or trailing ones;
 * some sentences empty, separators only, or null. Timestamps in order, some set back past the
 * watermark (late).
 */
function writeSentences(name: string, sep: string, records: number, seed: number): { file: string; rows: { id: number; s: string | null; ts: number }[] } {
    const long = 'x'.repeat(40);
    const word = fc.oneof(fc.constantFrom('a', 'to', 'é', '日本', '🙂', 'ab', 'ba', long, `${long}y`), fc.integer({ min: 0, max: 40_000 }).map((n) => `w${n}`));
    const gap = fc.integer({ min: 1, max: 3 }).map((n) => sep.repeat(n));
    const sentence = fc.oneof(
        { weight: 12, arbitrary: fc.tuple(fc.array(fc.tuple(word, gap), { minLength: 1, maxLength: 12 }), fc.boolean(), fc.boolean())
            .map(([parts, lead, trail]) => `${lead ? sep : ''}${parts.map(([w, g]) => `${w}${g}`).join('').slice(0, trail ? undefined : -1)}`) },
        { weight: 1, arbitrary: fc.constantFrom('', sep, sep.repeat(3), 'alone', null) }
    );
    const draw = fc.record({ s: sentence, late: fc.double({ min: 0, max: 1, noNaN: true }), back: fc.integer({ min: 0, max: 2500 }) });
    const rows = fc.sample(draw, { numRuns: records, seed }).map((r, i) => ({ id: i, s: r.s, ts: T0 + i * 2 - (r.late < 0.05 ? r.back : 0) }));
    writeFileSync(path.join(dir, name), `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`);
    return { file: name, rows };
}

/** `split` as the language reference defines it: the parts, trailing empty ones dropped unless the string has no separator. */
function referenceSplit(s: string, sep: string): string[] {
    const parts = s.split(sep);
    if (parts.length === 1) return parts;
    while (parts.length > 0 && parts.at(-1) === '') parts.pop();
    return parts;
}

const wordCountText = (mode: string, data: string, sep: string): string => `pipeline WordCount {
    mode ${mode}
    source rows: { id: int, s: string?, ts: timestamp } = jsonl("${data}") {
        watermark ts - 300ms
    }
    stream counts = rows
        | flatMap split(s, ${JSON.stringify(sep)}) as w
        | keyBy w
        | window tumbling 1s on ts
        | aggregate { w, c: count(), f: first(id), l: last(id), we: window.end }
    sink counts -> print
    sink counts.late -> print
}
`;

/**
 * Per word and window end, the count of the word's parts in `rows`: `word|windowEnd|count`,
 * sorted. `ends(ts)`: the ends of the windows a timestamp falls in (one 1 s tumbling window unless
 * given); `keep(word)`: the words counted (all unless given).
 */
function referenceCounts(rows: { s: string | null; ts: number }[], sep: string, ends = (ts: number) => [ts - (ts % 1000) + 1000], keep = (_w: string) => true): string[] {
    const counts = new Map<string, number>();
    for (const r of rows) {
        if (r.s === null) continue;
        for (const w of referenceSplit(r.s, sep)) {
            if (!keep(w)) continue;
            for (const end of ends(r.ts)) {
                const k = JSON.stringify([w, new Date(end).toISOString()]);
                counts.set(k, (counts.get(k) ?? 0) + 1);
            }
        }
    }
    return [...counts].map(([k, c]) => { const [w, we] = JSON.parse(k) as [string, string]; return `${w}|${we}|${c}`; }).sort();
}

/** The window results of a word count run as `word|windowEnd|count`, sorted. */
function countsOf(lines: string[]): string[] {
    return split(lines).results.map((l) => { const r = JSON.parse(l) as { w: string; c: number; we: string }; return `${r.w}|${r.we}|${r.c}`; }).sort();
}

test('a windowed word count with the combiner counts the parts split defines for generated sentences (repeated, leading and trailing separators, empty and null sentences, long and non-ASCII words, many distinct words)', async () => {
    for (const [sep, seed] of [[' ', 89], [',', 144], ['é', 233]] as const) {
        const { file, rows } = writeSentences(`split-${seed}.jsonl`, sep, 3000, seed);
        const graph = await graphFile(wordCountText('batch', file, sep).replace('f: first(id), l: last(id), ', ''));
        const expected = referenceCounts(rows, sep);
        assert.ok(expected.some((l) => l.startsWith('|')), 'the generated sentences had no empty part');
        assert.deepEqual(countsOf(await run(graph, 1, true)), expected, `separator ${JSON.stringify(sep)}`);
    }
});

test('a windowed word count over generated sentences gives the same windows and late records with the combiner as without it at p=1, and in batch mode at p=1, 2 and 4 the same counts as a count computed here', async () => {
    for (const [sep, seed] of [[' ', 377], [';', 610]] as const) {
        const { file, rows } = writeSentences(`wc-${seed}.jsonl`, sep, 6000, seed);
        const streaming = await graphFile(wordCountText('streaming', file, sep));
        const without = await run(streaming, 1, false, true);
        const withCombiner = await run(streaming, 1, true, true);
        assert.ok(split(without).late.length > 0, 'the generated input made no late records');
        assert.deepEqual(split(withCombiner).results, split(without).results, `separator ${JSON.stringify(sep)}: window results, in order`);
        assert.deepEqual(split(withCombiner).late.sort(), split(without).late.sort(), `separator ${JSON.stringify(sep)}: late records`);

        // Batch mode has no late records: every word counts in its window.
        const expected = referenceCounts(rows, sep);
        const batch = await graphFile(wordCountText('batch', file, sep).replace('f: first(id), l: last(id), ', ''));
        for (const p of [1, 2, 4]) {
            assert.deepEqual(countsOf(await run(batch, p, p > 1)), expected, `separator ${JSON.stringify(sep)}, batch, p=${p}`);
        }
    }
});

test('a windowed word count with the combiner counts the parts split defines whether or not the combiner keeps partials by the word\'s slot: a filter between the split and the window (slot kept), a map between them, a sliding window (no slot)', async () => {
    const { file, rows } = writeSentences('slots-987.jsonl', ' ', 4000, 987);
    const bucket = (ts: number): number => ts - (ts % 1000);
    const cases = [
        { name: 'filter', steps: '| filter w != "a" | keyBy w | window tumbling 1s on ts', keep: (w: string) => w !== 'a' },
        { name: 'map', steps: '| map { w, ts } | keyBy w | window tumbling 1s on ts' },
        // A timestamp falls in the windows ending 1 s and 2 s after its second.
        { name: 'sliding', steps: '| keyBy w | window sliding 2s every 1s on ts', ends: (ts: number) => [bucket(ts) + 1000, bucket(ts) + 2000] }
    ];
    for (const c of cases) {
        const graph = await graphFile(`pipeline WordCount {
    mode batch
    source rows: { id: int, s: string?, ts: timestamp } = jsonl("${file}") {
        watermark ts - 300ms
    }
    stream counts = rows
        | flatMap split(s, " ") as w
        ${c.steps}
        | aggregate { w, c: count(), we: window.end }
    sink counts -> print
}
`);
        const expected = referenceCounts(rows, ' ', c.ends, c.keep);
        assert.ok(expected.some((l) => l.startsWith('|')), 'the generated sentences had no empty part');
        for (const p of [1, 2]) assert.deepEqual(countsOf(await run(graph, p, true)), expected, `${c.name}, p=${p}`);
    }
});
