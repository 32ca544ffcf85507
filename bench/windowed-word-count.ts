/**
 * Workload 3 of performance.md (the Meituan workload): 1 M JSON records of ~150 bytes, each a
 * sentence with an event timestamp -> parse -> split into words -> count per word per tumbling
 * 10 s event-time window. Figures: input records per CPU second through the runtime's operators
 * chained directly (jsonl source -> fused flatMap -> window aggregate -> blackhole), through the
 * whole engine (`flowline run`, normalised by the CPU time it used; also with
 * FLOWLINE_COMBINER=off, without the window combiner), and a hand-written loop doing the same
 * work, measured in the same run.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { LogicalGraph, LogicalNode } from '../protocol/logical-graph.js';
import { createOperator, createSink, createSource, fuseStatelessChain } from '../runtime/src/operators/operator-factory.js';
import type { OperatorContext, Row, SourceContext, StreamOperator } from '../runtime/src/operators/operator.js';
import type { BenchResult } from './bench-result.js';

const RECORDS = Number(process.env.FLOWLINE_BENCH_WWC_RECORDS ?? 1_000_000);
const WINDOW_MS = 10_000;
const WORKLOAD = '3 windowed word count';
const root = resolve(import.meta.dirname, '..');
const dir = join(tmpdir(), `flowline-bench-wwc-${RECORDS}`);

const PIPELINE = `pipeline WindowedWordCount {
    mode streaming
    parallelism 1
    source sentences: { sentence: string, ts: timestamp } = jsonl("sentences.jsonl") {
        watermark ts - 1s
    }
    stream counts = sentences
        | flatMap split(sentence, " ") as word
        | keyBy word
        | window tumbling 10s on ts
        | aggregate { word, n: count(), windowEnd: window.end }
    sink counts -> blackhole
}
`;

/** Deterministic sentences of ~120 characters from a 2000-word vocabulary, timestamps 1 ms apart with up to 0.5 s disorder. */
function generateData(path: string): void {
    let seed = 12345;
    const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
    const syllables = ['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'ti', 'vo', 'pe', 'da', 'gi', 'zo'];
    const vocab = Array.from({ length: 2000 }, () => Array.from({ length: 2 + Math.floor(rand() * 3) }, () => syllables[Math.floor(rand() * syllables.length)]).join(''));
    const t0 = Date.UTC(2024, 0, 1);
    const lines: string[] = [];
    for (let i = 0; i < RECORDS; i++) {
        let sentence = '';
        while (sentence.length < 110) sentence += (sentence ? ' ' : '') + vocab[Math.floor(Math.pow(rand(), 2) * vocab.length)];
        lines.push(JSON.stringify({ sentence, ts: t0 + i - Math.floor(rand() * 500) }));
    }
    writeFileSync(path, `${lines.join('\n')}\n`);
}

/**
 * CPU seconds this process used since `since`: on a shared 2-core machine wall time mostly
 * measures the neighbours, and "records/s per core" is records per CPU second anyway.
 */
function cpuSeconds(since: NodeJS.CpuUsage): number {
    const used = process.cpuUsage(since);
    return (used.user + used.system) / 1e6;
}

/** The same work written by hand: parse, split, count per word per window, fire on the watermark. */
function handWritten(path: string): number {
    const text = readFileSync(path, 'utf8');
    const started = process.cpuUsage();
    const panes = new Map<number, Map<string, number>>();
    let maxTs = -Infinity;
    let emitted = 0;
    let start = 0;
    let batch = 0;
    while (start < text.length) {
        let end = text.indexOf('\n', start);
        if (end < 0) end = text.length;
        const record = JSON.parse(text.slice(start, end)) as { sentence: string; ts: number };
        start = end + 1;
        const windowEnd = record.ts - (record.ts % WINDOW_MS) + WINDOW_MS;
        let pane = panes.get(windowEnd);
        if (!pane) panes.set(windowEnd, (pane = new Map()));
        for (const word of record.sentence.split(' ')) pane.set(word, (pane.get(word) ?? 0) + 1);
        if (record.ts > maxTs) maxTs = record.ts;
        if (++batch === 4096) {
            batch = 0;
            for (const [e, p] of panes) if (e <= maxTs - 1000) { emitted += p.size; panes.delete(e); }
        }
    }
    for (const p of panes.values()) emitted += p.size;
    if (emitted === 0) throw new Error('the hand-written loop counted nothing');
    return RECORDS / cpuSeconds(started);
}

/** The runtime's own operators, chained directly on this thread (no engine, no threads). */
async function operatorsChained(graph: LogicalGraph): Promise<number> {
    const byKind = (kind: string): LogicalNode => graph.nodes.find((n) => n.config.kind === kind)!;
    const source = byKind('source');
    const windowNode = byKind('aggregate');
    let windows = 0;
    const context = (node: LogicalNode, emit: (rows: Row[]) => void): OperatorContext => ({
        node, subtaskIndex: 0, parallelism: 1, mode: 'streaming', emit,
        emitSide: () => {}, processingTime: () => Date.now(), countDropped: () => {}
    });
    const sink = createSink(graph.nodes.find((n) => n.config.kind === 'sink')!);
    const window: StreamOperator = createOperator(windowNode, 'streaming');
    window.open?.(context(windowNode, (rows) => { windows += rows.length; void sink.write(rows); }));
    const chain = fuseStatelessChain(graph.nodes.filter((n) => n.config.kind === 'flatMap' || n.config.kind === 'filter' || n.config.kind === 'map'));
    chain.open?.(context(source, (rows) => window.processBatch(rows, 0)));
    const ctx: SourceContext = {
        ...context(source, (rows) => chain.processBatch(rows, 0)),
        emitWatermark: (wm) => window.processWatermark?.(wm),
        markIdle: () => {}, waitForCapacity: async () => {}, cancelled: false, reportProgress: () => {}
    };
    const started = process.cpuUsage();
    await createSource(source, 'streaming').run(ctx);
    window.endOfInput?.(0);
    const seconds = cpuSeconds(started);
    if (windows === 0) throw new Error('the operators produced no window results');
    return RECORDS / seconds;
}

/** The whole engine through the CLI; returns records/s of wall time and per CPU second used. */
function engine(graphPath: string, env: NodeJS.ProcessEnv = {}): { wall: number; perCore: number } {
    const timing = join(dir, 'time.txt');
    execFileSync('/usr/bin/time', ['-f', '%e %U %S', '-o', timing, process.execPath, join(root, 'bin', 'flowline.js'), 'run', graphPath, '--status', 'json'], { stdio: ['ignore', 'ignore', 'ignore'], env: { ...process.env, ...env } });
    const [wall, user, sys] = readFileSync(timing, 'utf8').trim().split('\n').at(-1)!.split(' ').map(Number);
    return { wall: RECORDS / wall, perCore: RECORDS / (user + sys) };
}

/** Runs the workload and returns its figures. */
export async function run(): Promise<BenchResult[]> {
    mkdirSync(dir, { recursive: true });
    const data = join(dir, 'sentences.jsonl');
    if (!existsSync(data)) generateData(data);
    writeFileSync(join(dir, 'wwc.flow'), PIPELINE);
    const graphJson = execFileSync(process.execPath, [join(root, 'bin', 'flowline.js'), 'graph', join(dir, 'wwc.flow'), '--format', 'json'], { encoding: 'utf8' });
    const graphPath = join(dir, 'wwc.json');
    writeFileSync(graphPath, graphJson);
    const graph = JSON.parse(graphJson) as LogicalGraph;

    const hand = handWritten(data);
    const operators = await operatorsChained(graph);
    const results: BenchResult[] = [
        { workload: WORKLOAD, name: 'hand-written loop (1 thread, per CPU second)', value: hand, unit: 'rec/s/core' },
        { workload: WORKLOAD, name: 'runtime operators chained (1 thread, per CPU second)', value: operators, unit: 'rec/s/core', ratio: operators / hand, baseline: 'hand-written loop', target: '>= 400K rec/s per core' }
    ];
    try {
        const e = engine(graphPath);
        results.push(
            { workload: WORKLOAD, name: 'flowline run p=1 (wall clock)', value: e.wall, unit: 'rec/s', ratio: e.wall / hand, baseline: 'hand-written loop' },
            { workload: WORKLOAD, name: 'flowline run p=1 (per CPU second)', value: e.perCore, unit: 'rec/s/core', ratio: e.perCore / hand, baseline: 'hand-written loop', target: '>= 400K rec/s per core' }
        );
        // The same run without the window combiner (runtime.md, "Window combiner"): what it gains.
        const off = engine(graphPath, { FLOWLINE_COMBINER: 'off' });
        results.push({ workload: WORKLOAD, name: 'flowline run p=1, combiner off (per CPU second)', value: off.perCore, unit: 'rec/s/core', ratio: off.perCore / e.perCore, baseline: 'flowline run p=1 (per CPU second)' });
    } catch (err) {
        console.error(`flowline run failed, engine figures left out: ${(err as Error).message}`);
    }
    return results;
}
