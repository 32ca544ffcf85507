/**
 * Pipeline tests (`test "name" for Pipeline { ... }` blocks, docs/testing.md) between the
 * language, which lowers each block to a PipelineTestPlan (language/src/testing/), the runner
 * (testing/src/, `flowline test`), which runs a plan on an in-process local cluster and reports a
 * PipelineTestResult, and the editor's Test Explorer, which discovers tests through the language
 * server (`flowline/discoverTests`, protocol/lsp-requests.ts). Plain JSON, no dependency.
 *
 * The syntax a plan comes from:
 * ```flow
 * test "only orders above 10 count" for Spend {
 *     given orders = values({ id: 1, amount: 50.0 }, { id: 2, amount: 5.0 })   // inline rows
 *     given clicks = csv("fixtures/clicks.csv")        // a fixture file, relative to the test file
 *     expect perCountry = values({ country: "DE", total: 50.0 })   // multiset comparison
 *     expect perCountry in order = values(...)         // ordered comparison
 *     expect perCountry within 0.001 = values(...)     // doubles compared with a tolerance
 *     expect perCountry is empty
 *     expect orders.deadLetter count 1                 // or `= values(...)` on the dead-letter rows
 *     expect perMinute.late = values(...)              // the late side output of an event-time window
 *     expect failure "division by zero"                // the run must fail with a message containing this
 *     expect perCountry matches snapshot               // golden file (snapshotPath)
 *     then watermark 2026-01-01T10:00:00Z              // streaming: event time reaches this instant
 *     then end                                         // end of input (every source finished)
 * }
 * ```
 */
import type { LogicalGraph, SourceLocation } from './logical-graph.js';

/** A range in LSP coordinates (0-based lines and characters, end exclusive). */
export interface LspRange {
    start: { line: number; character: number };
    end: { line: number; character: number };
}

/**
 * What the language lowers one test block to (no Langium types).
 *
 * How the steps are ordered — a timeline, in the order the test block writes them:
 * - `given` steps feed rows into a source (`TestGivenStep`); the rows themselves are in the graph
 *   (the source node's `values`, or its file), the step says how many of them arrive there.
 * - `watermark` steps advance event time: every source's watermark becomes `time`. A test that has
 *   watermark steps owns time: the sources' own watermark generators (`watermark ts - 5s`) emit
 *   nothing; only these steps, and the end of input, move the watermark.
 * - `end` is the end of input: every source has finished and emitted its final watermark (batch:
 *   the job has run to completion). The lowering always puts exactly one `end` step in the plan:
 *   where the test wrote `then end`, or else after the last given step when the test has no
 *   `then` step at all (so `given ...; expect ...` compares the finished job's output), or else
 *   after the last step (the expectations after the last `then watermark` see the output at that
 *   watermark, not more).
 * - `expect` steps compare what the target has emitted from the start up to their place in the
 *   timeline (cumulative), except `failure`, which the runner checks when the run ends.
 */
export interface PipelineTestPlan {
    /** `${file uri}::${name}`, the same as DiscoveredTest.id. */
    id: string;
    name: string;
    /** The test file's URI (file://...). */
    file: string;
    /** The name of the pipeline under test. */
    pipeline: string;
    /** The `test` block. */
    location: SourceLocation;
    /**
     * The pipeline's LogicalGraph with each given source's node replaced: connector `values`
     * (the rows of every `given` of that source, in order, as a values source's rows are) or the
     * fixture file's connector with its absolute path. Its id, schema, watermark and onError are
     * the original source's; every sink is kept as written (the runner swaps them for collectors;
     * tests write no files). The mode is the pipeline's own (as `flowline run` would run it).
     */
    graph: LogicalGraph;
    steps: TestStep[];
}

export type TestStep = TestGivenStep | TestWatermarkStep | TestEndStep | TestExpectStep;

/** Rows of one given source arrive. */
export interface TestGivenStep {
    kind: 'given';
    /** The source's name and its node id in `graph`. */
    source: string;
    nodeId: string;
    /** How many of the node's `values` rows (the next ones, in order) arrive here; 'all' for a fixture file. */
    rows: number | 'all';
    location: SourceLocation;
}

/** Every source's watermark advances to `time`. */
export interface TestWatermarkStep {
    kind: 'watermark';
    /** Epoch milliseconds (UTC). */
    time: number;
    location: SourceLocation;
}

/** End of input: every source finishes (written `then end`, or implied; see PipelineTestPlan). */
export interface TestEndStep {
    kind: 'end';
    location: SourceLocation;
}

/** Which records an expectation looks at. */
export type TestTarget =
    /** A stream or source of the pipeline: the output records of `nodeIds` (protocol/stream-nodes.ts). */
    | { stream: string; nodeIds: string[] }
    /** The dead-letter side output of a source with `onError deadLetter` (records of DEAD_LETTER_SCHEMA). */
    | { deadLetterOf: string; nodeId: string }
    /** The late side output of a stream's event-time window aggregate. */
    | { lateOf: string; nodeId: string }
    /** The run itself (`expect failure "..."`). */
    | { failure: true };

export type TestExpectation =
    /** The records, compared as a multiset (or in order); doubles equal within `tolerance` when given. */
    | { kind: 'rows'; rows: Record<string, unknown>[]; inOrder: boolean; tolerance?: number }
    | { kind: 'empty' }
    | { kind: 'count'; count: number }
    /** The run fails with an error whose message contains `messageContains`. */
    | { kind: 'failure'; messageContains: string }
    /**
     * The records equal the golden file's (one JSON record a line, as a multiset); a missing file
     * is written on the first run, and rewritten with `--update-snapshots`. Absolute path:
     * `__snapshots__/<test file name>.<test name slug>.<target>.jsonl` beside the test file.
     */
    | { kind: 'snapshot'; snapshotPath: string };

export interface TestExpectStep {
    kind: 'expect';
    /** What the expect line says, e.g. `perCountry in order` (labels in reports and the Test Explorer). */
    label: string;
    target: TestTarget;
    expectation: TestExpectation;
    /** The expect line, so a failure can point there. */
    location: SourceLocation;
}

/** A test found in a document (`flowline/discoverTests`). */
export interface DiscoveredTest {
    /** `${uri}::${name}` */
    id: string;
    name: string;
    pipeline: string;
    uri: string;
    /** The whole test block. */
    range: LspRange;
    /** Each expect line, with a label saying what it checks. */
    expectations: { label: string; range: LspRange }[];
}

/** Parameters of `flowline/discoverTests`. */
export interface DiscoverTestsParams {
    uri: string;
}

/** One failed expectation. */
export interface TestFailure {
    /** The expect line. */
    location: SourceLocation;
    message: string;
    expected?: string;
    actual?: string;
    diff: string;
}

export interface PipelineTestResult {
    id: string;
    file: string;
    name: string;
    pipeline: string;
    status: 'passed' | 'failed' | 'errored';
    durationMs: number;
    message?: string;
    failures: TestFailure[];
    /**
     * The graph's node ids, and those that some record reached; `locations` says where each node
     * is written (the editor marks the unreached operators there).
     */
    coverage: { nodeIds: string[]; reachedNodeIds: string[]; locations?: Record<string, SourceLocation> };
}

export interface TestRunReport {
    passed: number;
    failed: number;
    errored: number;
    durationMs: number;
    tests: PipelineTestResult[];
}

/**
 * The slug of a test name in snapshot file names: lower case, runs of other characters as one
 * '-', at most 60 characters ("Only orders > 10 count!" → "only-orders-10-count").
 */
export function testNameSlug(name: string): string {
    const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60).replace(/-+$/, '');
    return slug || 'test';
}

/** The id of a test: its file's URI and its name. */
export function pipelineTestId(uri: string, name: string): string {
    return `${uri}::${name}`;
}
