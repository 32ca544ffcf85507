/**
 * Runs one pipeline test (a PipelineTestPlan from the language) on a shared in-process local
 * cluster and reports a PipelineTestResult: every sink swapped for a collector, the timeline's
 * phases driven through the job (test-timeline.ts), each expectation compared at its place, the
 * run's failure checked against `expect failure`, and which nodes some record reached.
 */
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { LogicalGraph, SchemaField, SourceLocation } from '../../protocol/logical-graph.js';
import type { PipelineTestPlan, PipelineTestResult, TestExpectStep, TestFailure } from '../../protocol/pipeline-tests.js';
import { convertJsonRecord, FieldError } from '../../runtime/src/connectors/common/row-converter.js';
import type { JobMaster } from '../../runtime/src/cluster/job-master.js';
import { InvalidGraphError } from '../../runtime/src/planner/job-graph-builder.js';
import { compareRecords } from './record-diff.js';
import type { Row } from './record-text.js';
import { readSnapshot, SnapshotError, writeSnapshot } from './snapshot-file.js';
import { testCoverage } from './test-coverage.js';
import type { TestCluster, TestJob } from './test-cluster.js';
import { buildTestGraph, targetKey, TestPlanError, type TestGraph } from './test-graph.js';
import { testTimeline, type TestTimeline } from './test-timeline.js';

export interface RunTestOptions {
    cluster: TestCluster;
    /** Rewrite every snapshot from this run's records (`--update-snapshots`). */
    updateSnapshots?: boolean;
    /** Runs the pipeline at this default parallelism instead of its own (nodes it pins keep theirs). */
    parallelism?: number;
    /** A test still running after this long is cancelled and reported as errored (default 60 s). */
    timeoutMs?: number;
}

export const DEFAULT_TEST_TIMEOUT_MS = 60_000;

/** A test that cannot be run as written: reported as `errored` with this message. */
class TestError extends Error {
    constructor(message: string, readonly location?: SourceLocation) {
        super(message);
    }
}

/** Runs `plan`; never rejects (a problem running it is an `errored` result). */
export async function runPipelineTest(plan: PipelineTestPlan, options: RunTestOptions): Promise<PipelineTestResult> {
    const started = performance.now();
    const base = { id: plan.id, file: plan.file, name: plan.name, pipeline: plan.pipeline };
    const nodeIds = plan.graph.nodes.map((n) => n.id);
    // Where each node is written, so the editor can mark the operators no record reached.
    const locations = Object.fromEntries(plan.graph.nodes.map((n) => [n.id, n.location]));
    const notes: string[] = [];
    try {
        const { failures, reached } = await runPlan(plan, options, notes);
        return {
            ...base,
            status: failures.length === 0 ? 'passed' : 'failed',
            durationMs: performance.now() - started,
            message: notes.length > 0 ? notes.join('\n') : undefined,
            failures,
            coverage: { nodeIds, reachedNodeIds: reached, locations }
        };
    } catch (error) {
        const known = error instanceof TestError || error instanceof TestPlanError || error instanceof SnapshotError || error instanceof InvalidGraphError;
        const message = error instanceof Error ? (known ? error.message : `${error.name}: ${error.message}`) : String(error);
        return {
            ...base,
            status: 'errored',
            durationMs: performance.now() - started,
            message,
            failures: [],
            coverage: { nodeIds, reachedNodeIds: [], locations }
        };
    }
}

async function runPlan(plan: PipelineTestPlan, options: RunTestOptions, notes: string[]): Promise<{ failures: TestFailure[]; reached: string[] }> {
    const timeline = testTimeline(plan);
    const expects = plan.steps.filter((s): s is TestExpectStep => s.kind === 'expect');
    const graph = withParallelism(plan.graph, options.parallelism);
    const unbounded = graph.nodes.find((n) => n.config.kind === 'source' && !n.config.bounded);
    if (unbounded) throw new TestError(`Source ${unbounded.name} is unbounded: a test needs bounded input (give it rows with \`given\`, or a count).`);
    const testGraph = buildTestGraph(graph, expects.flatMap((e) => ('failure' in e.target ? [] : [e.target])));
    const maxParallelism = Math.max(...testGraph.graph.nodes.map((n) => n.parallelism));
    if (maxParallelism > options.cluster.slots) {
        throw new TestError(`The pipeline needs ${maxParallelism} task slots (its highest parallelism); the test cluster has ${options.cluster.slots}.`);
    }
    const running = options.cluster.submit(testGraph.graph, { phases: timeline.phases, ownsTime: timeline.ownsTime });
    const timeoutMs = options.timeoutMs ?? DEFAULT_TEST_TIMEOUT_MS;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
            options.cluster.cancel(running.job.id);
            reject(new TestError(`The test did not finish within ${timeoutMs / 1000} s; its job was cancelled.`));
        }, timeoutMs);
    });
    try {
        return await Promise.race([follow(plan, timeline, testGraph, running, options, notes), timedOut]);
    } finally {
        clearTimeout(timer);
        running.release();
    }
}

/** Drives the job through the timeline's phases, checking each expectation at its place. */
async function follow(plan: PipelineTestPlan, timeline: TestTimeline, testGraph: TestGraph, running: TestJob, options: RunTestOptions, notes: string[]): Promise<{ failures: TestFailure[]; reached: string[] }> {
    const failures: TestFailure[] = [];
    const { job } = running;
    const phaseCount = timeline.phases?.length ?? 1;
    let failedEarly = false;
    for (let phase = 0; phase < phaseCount - 1; phase++) {
        const testRun = job.testRun!;
        const ended = await Promise.race([testRun.whenPhaseDone(phase).then(() => false), job.whenTerminal().then(() => true)]);
        if (ended) {
            failedEarly = true;
            break;
        }
        for (const step of timeline.atBarrier.get(phase) ?? []) failures.push(...await check(step, testGraph, running, options, notes));
        testRun.proceed(phase);
    }
    const status = await job.whenTerminal();
    const failureStep = timeline.atEnd.find((s) => 'failure' in s.target);
    const runError = status === 'FAILED' ? runFailureText(job) : undefined;
    if (failureStep && failureStep.expectation.kind === 'failure') {
        const wanted = failureStep.expectation.messageContains;
        if (runError === undefined) {
            failures.push({ location: failureStep.location, message: `${failureStep.label}: the run finished, but it should fail with a message containing ${JSON.stringify(wanted)}`, expected: wanted, actual: `the run ${status}`, diff: `expected the run to fail with a message containing ${JSON.stringify(wanted)}\nthe run ended ${status}` });
        } else if (!runError.message.includes(wanted)) {
            failures.push({ location: failureStep.location, message: `${failureStep.label}: the run failed, but its message does not contain ${JSON.stringify(wanted)}`, expected: wanted, actual: runError.message, diff: `expected a message containing ${JSON.stringify(wanted)}\nthe run failed with: ${runError.text}` });
        }
    } else if (runError !== undefined) {
        failures.push({ location: plan.location, message: `The run failed: ${runError.message}`, actual: runError.text, diff: `the run failed: ${runError.text}` });
    }
    if (status === 'FINISHED' && !failedEarly) {
        for (const step of timeline.atEnd) if (!('failure' in step.target)) failures.push(...await check(step, testGraph, running, options, notes));
    }
    return { failures, reached: testCoverage(plan.graph, job.testRun?.nodeCounts ?? new Map()) };
}

/** The run's first exception: its message, and the text a failure shows (with the node's line). */
function runFailureText(job: JobMaster): { message: string; text: string } {
    const entry = job.exceptions.find((e) => e.exceptionName !== 'CancelledError') ?? job.exceptions[0];
    if (!entry) return { message: 'the job failed', text: 'the job failed (no exception recorded)' };
    const where = entry.location ? ` (at ${fileOf(entry.location.uri)}:${entry.location.range.start.line + 1}:${entry.location.range.start.character + 1})` : '';
    return { message: entry.message, text: `${entry.exceptionName}: ${entry.message}${where}` };
}

function fileOf(uri: string): string {
    try {
        return uri.startsWith('file:') ? fileURLToPath(uri) : uri;
    } catch {
        return uri;
    }
}

/** Compares one expectation with what its target has collected so far. */
async function check(step: TestExpectStep, testGraph: TestGraph, running: TestJob, options: RunTestOptions, notes: string[]): Promise<TestFailure[]> {
    if ('failure' in step.target) return [];
    const target = testGraph.targets.get(targetKey(step.target))!;
    const actual = target.collectors.flatMap((id) => running.collected.get(id) ?? []);
    const expectation = step.expectation;
    const fail = (text: { message: string; expected?: string; actual?: string; diff: string }): TestFailure[] => [{ location: step.location, ...text }];
    switch (expectation.kind) {
        case 'rows': {
            const expected = expectedRows(step, target.schema, expectation.rows);
            const failure = compareRecords(step.label, target.schema, expected, actual, expectation.inOrder, { absolute: expectation.tolerance });
            return failure ? fail(failure) : [];
        }
        case 'empty': {
            if (actual.length === 0) return [];
            const failure = compareRecords(step.label, target.schema, [], actual, false, {});
            return fail({ ...failure!, message: `${step.label}: expected no records, ${actual.length} arrived` });
        }
        case 'count': {
            if (actual.length === expectation.count) return [];
            return fail({ message: `${step.label}: expected ${expectation.count} records, ${actual.length} arrived`, expected: String(expectation.count), actual: String(actual.length), diff: `expected ${expectation.count} records, ${actual.length} arrived` });
        }
        case 'snapshot': {
            const path = expectation.snapshotPath;
            const stored = options.updateSnapshots ? undefined : await readSnapshot(path, target.schema);
            if (stored === undefined) {
                await writeSnapshot(path, target.schema, actual);
                notes.push(`wrote snapshot ${path} (${actual.length} records)`);
                return [];
            }
            const failure = compareRecords(step.label, target.schema, stored, actual, false, {});
            return failure ? fail({ ...failure, message: `${failure.message}; the snapshot is ${path} (--update-snapshots rewrites it)` }) : [];
        }
        case 'failure':
            return [];
    }
}

/** The expectation's rows as typed records of the target's schema (timestamps from their text, as a values source reads them). */
function expectedRows(step: TestExpectStep, schema: SchemaField[], rows: Record<string, unknown>[]): Row[] {
    const names = new Set(schema.map((f) => f.name));
    return rows.map((row, i) => {
        const extra = Object.keys(row).find((k) => !names.has(k));
        if (extra !== undefined) throw new TestError(`${step.label}: expected record ${i + 1} has a field '${extra}' the records do not have (${schema.map((f) => f.name).join(', ')}).`, step.location);
        try {
            return convertJsonRecord(schema, row);
        } catch (error) {
            if (error instanceof FieldError) throw new TestError(`${step.label}: expected record ${i + 1}: ${error.message}.`, step.location);
            throw error;
        }
    });
}

/** The graph at another default parallelism (nodes pinned by the pipeline or by what they are keep theirs). */
function withParallelism(graph: LogicalGraph, parallelism: number | undefined): LogicalGraph {
    if (parallelism === undefined || parallelism === graph.parallelism) return graph;
    return {
        ...graph,
        parallelism,
        nodes: graph.nodes.map((n) => (n.parallelism === graph.parallelism && !n.parallelismPinned ? { ...n, parallelism } : n))
    };
}
