/**
 * Debugging a job: what a debugger asks the runtime (breakpoints, exception stops, pause, step)
 * and what the runtime tells it (a stop with the record and everything around it, log lines).
 * The debug adapter (`flowline debug-adapter`) speaks DAP to the editor and this to the runtime;
 * the runtime's JobManager passes the settings to the TaskManagers through shared memory, so a
 * paused thread picks up new breakpoints the moment it resumes. Plain JSON, no dependency.
 */
import type { SubtaskMetrics } from './cluster-api.js';
import type { Expr, FlowType } from './logical-graph.js';

/** A line of a logpoint: literal text and `{expression}` holes, already checked. */
export type LogTemplatePart = { text: string } | { expr: Expr };

/**
 * A breakpoint on one LogicalGraph node. On an operator it fires when a record reaches the
 * operator (before it processes it); on a sink, before the record is written; on a source, when
 * the source has read the record (before the first operator sees it).
 */
export interface NodeBreakpoint {
    /** The debugger's id for it (DAP's breakpoint id), echoed in stops and log lines. */
    id: number;
    nodeId: string;
    /** Over the fields of the record reaching the node (for a source: the record it read). */
    condition?: Expr;
    /**
     * DAP hit condition, already parsed: stop on the n-th hit (`==`), from the n-th on (`>=`),
     * or every n-th (`%`). Hits are counted over the whole job (every subtask), after `condition`.
     */
    hitCondition?: { op: '==' | '>=' | '%'; n: number };
    /** A logpoint: print this line to the debug console instead of stopping. */
    logMessage?: LogTemplatePart[];
}

/** Where the job stops besides breakpoints. */
export interface ExceptionStops {
    /** An operator (expression, user function, sink) throws: stop before the job fails. */
    operatorErrors: boolean;
    /** A source meets a row it cannot read (any onError policy): stop before it is skipped/dead-lettered/fails the job. */
    badRows: boolean;
}

/** Everything a debugger sets; replaced as a whole on every change. */
export interface DebugSettings {
    breakpoints: NodeBreakpoint[];
    exceptions: ExceptionStops;
}

export type StopReason = 'breakpoint' | 'step' | 'pause' | 'exception' | 'entry';

/** A value with its Flowline type, so a debugger can show `timestamp` and `duration` readably. */
export interface TypedValue {
    name: string;
    type: FlowType;
    /** As in the record: numbers, strings, booleans, null; timestamps as epoch ms; durations as ms. */
    value: unknown;
}

/** The state an operator keeps for the record's key (or, unkeyed, for the whole subtask). */
export interface OperatorStateView {
    /** What the state is, e.g. `aggregate so far`, `window contents`, `join buffer (right side)`. */
    label: string;
    /** Plain data (objects, arrays, numbers, strings, booleans, null). */
    value: unknown;
}

/** The job stopped: one subtask holds a record (or an error); every other subtask is paused too. */
export interface DebugStop {
    reason: StopReason;
    /** Breakpoints that fired (reason `breakpoint`). */
    breakpointIds: number[];
    /** The node the record reached (or whose operator threw / whose source met the bad row). */
    nodeId: string;
    vertexId: string;
    subtask: number;
    parallelism: number;
    taskManagerId: string;
    slot: number;
    /** Which input of the node the record came in on (0; 1 for a join's right side). */
    input: number;
    /** The record, field by field in schema order; null at an exception stop without a record. */
    record: TypedValue[] | null;
    /** The record's key on a keyed operator (key expressions in order), else null. */
    key: TypedValue[] | null;
    /** The subtask's current watermark (event-time ms), null before the first one / in batch mode. */
    watermark: number | null;
    /** The window(s) the record falls in on a window operator ([start, end) in ms). */
    windows: { start: number; end: number }[];
    /** The node's state for the record's key; empty for stateless operators. */
    state: OperatorStateView[];
    metrics: SubtaskMetrics;
    /** Exception stops: what went wrong; bad rows also name the file and line. */
    error?: { name: string; message: string; file?: string; line?: number; raw?: string };
}

/** A logpoint's line, or a note from the runtime for the debug console. */
export interface DebugLogLine {
    breakpointId?: number;
    nodeId: string;
    subtask: number;
    text: string;
}

/**
 * The attributes of a `flowline` launch configuration, as the debug adapter reads them and the
 * editor writes them (package.json `configurationAttributes` documents each).
 */
export interface FlowLaunchAttributes {
    /** The .flow file. */
    program?: string;
    /** The pipeline to debug; required when the file has several. */
    pipeline?: string;
    /**
     * Debug this test block of the file instead (docs/testing.md, "In VS Code"): its given rows in
     * place of the sources, file sinks collected; not with `pipeline`, `mode` or `parallelism`.
     */
    test?: string;
    mode?: 'batch' | 'streaming';
    /** The pipeline's default parallelism. */
    parallelism?: number;
    /** Stop at the first record a source reads. */
    stopOnEntry?: boolean;
    /** TaskManagers (threads) of the adapter's local cluster; default: one per core. */
    taskManagers?: number;
    /** Task slots per TaskManager; default 2. */
    slots?: number;
    /** Serve the cluster's REST API on this port of 127.0.0.1 (0: a free port); off by default. */
    restPort?: number;
}
