/**
 * The operator contract inside a task. An operator has one required method (process a batch of
 * records) and optional lifecycle hooks, after Arroyo and timely-dataflow: how records travel
 * between tasks (partitioning, channels, credits) is not the operator's business.
 */
import type { KeyGroupRange } from '../state/state-key-groups.js';
import type { FileSinkState, SourceReadPosition } from '../../../protocol/checkpoints.js';
import type { LogicalNode } from '../../../protocol/logical-graph.js';
import type { ColumnBatch } from './column-batch.js';

/** A record: a plain object whose keys are the fields of the stream's schema. */
export type Row = Record<string, unknown>;

/** A side output tag: `deadLetter` from sources, `late` from event-time windows. */
export type SideOutputTag = 'deadLetter' | 'late';

/** What a running operator may do: emit downstream, read time, report counted problems. */
/** One old subtask's snapshot of a keyed operator, and the key groups that subtask owned. */
export interface RescaledPiece { state: unknown; keyGroups: KeyGroupRange }

export interface OperatorContext {
    readonly node: LogicalNode;
    readonly subtaskIndex: number;
    readonly parallelism: number;
    readonly mode: 'batch' | 'streaming';
    /** Set when the job takes checkpoints: file sinks then write parts committed at checkpoints. */
    readonly checkpointed?: { jobId: string; attempt: number };
    /** Sends records to the next operator of the chain, or to the task's output. */
    emit(rows: Row[]): void;
    /** Sends records to a side output (only where the node declares it; unread ones count as dropped). */
    emitSide(tag: SideOutputTag, rows: Row[]): void;
    /** Wall-clock time in ms; windows on processing time use it. */
    processingTime(): number;
    /** Counts records dropped for a reason (late data, skipped bad rows) for metrics. */
    countDropped(reason: 'late' | 'skipped', n: number): void;
    /**
     * Print sinks: writes complete lines (each ending in a newline) to the job's standard output
     * (the CLI's stdout, the editor's output channel). Absent: the print sink writes to process.stdout.
     */
    output?(text: string): void;
    /** Collect sinks: hands result rows to the engine (the editor's results view, REST push). */
    collect?(rows: Row[]): void;
    /**
     * Set only in a job run under a debugger: a source met a row it cannot read. Called before the
     * onError policy acts (the debugger may stop the job here first).
     */
    debugBadRow?(bad: { file?: string; line?: number; raw: string; message: string }): void;
}

/** What a debugger sees of an operator for one record: the windows it falls in and the state for its key. */
export interface OperatorInspection {
    windows: { start: number; end: number }[];
    /** Plain data or Maps/Sets (converted before leaving the thread). */
    state: { label: string; value: unknown }[];
}

/** One operator instance (one per subtask). */
export interface StreamOperator {
    open?(ctx: OperatorContext): void | Promise<void>;
    /** Processes a batch from input `input` (0, or 1 for the right side of a join). */
    processBatch(rows: Row[], input: number): void;
    /**
     * Keyed aggregations: merges partial aggregates (accumulators with their group's first record
     * as `$r`) that combiners before the exchange made of the records (aggregate-combiner.ts).
     */
    mergePartials?(partials: Row[]): void;
    /**
     * The combined watermark of all inputs advanced to `watermark` (event-time ms): no record with
     * a timestamp below it is expected any more, so a window [start, end) fires once
     * `watermark >= end`. Sources emit `max seen timestamp - delay`. Fire what is complete; the
     * task forwards the watermark downstream after this returns. An operator that may still emit
     * records older than the watermark (an interval join) returns the lower watermark to forward
     * instead; returning nothing forwards `watermark` unchanged.
     */
    processWatermark?(watermark: number): void | number;
    /** Called periodically (and once with Infinity-free `now` at end) for processing-time logic. */
    onProcessingTime?(now: number): void;
    /** Input `input` has ended (bounded data). When all inputs ended, flush final results. */
    endOfInput?(input: number): void;
    /**
     * A debugger stopped at `row` arriving on `input` (before the operator processed it): the
     * windows the row falls in and the state kept for its key. Reads only, never changes state.
     */
    inspect?(row: Row, input: number): OperatorInspection;
    /**
     * Checkpoints: the operator's live state, NOT a copy, when the checkpoint barrier passes this
     * operator. The task serialises the returned value at once (v8's structured clone, before the
     * next record reaches the operator), and those bytes are the checkpoint's copy; so return the
     * live Maps, Sets, arrays and rows as they are, without copying them first. The value must be
     * structured-clone data: Maps, Sets, arrays, plain objects, strings, numbers (Infinity too),
     * BigInt, booleans, null/undefined, Dates. Not functions, and not class instances whose
     * prototype matters (it is not kept).
     */
    snapshotState?(): unknown;
    /**
     * Replaces the operator's state with what `snapshotState` returned, deserialised (after
     * `open`, before any record). The value is a fresh copy the operator owns: it may adopt its
     * Maps and arrays as its live state.
     */
    restoreState?(snapshot: unknown): void;
    /**
     * Keyed operators, in a job restored from a savepoint at another parallelism: the snapshots
     * of the old subtasks whose key groups overlap the ones this subtask owns now (each with the
     * key groups it owned); the operator keeps the keys of `owned` (state/state-key-groups.ts,
     * `mergeKeyedMaps`) and merges what is not keyed. Instead of `restoreState` (after `open`).
     */
    restoreRescaled?(pieces: RescaledPiece[], owned: KeyGroupRange): void;
    close?(): void | Promise<void>;
}

/** A source instance (one per subtask). Emits batches; returns when bounded input is exhausted. */
export interface SourceContext extends OperatorContext {
    /** Emits an event-time watermark downstream. */
    emitWatermark(watermark: number): void;
    /** Declares the source idle (no watermark hold-back) or active again. */
    markIdle(idle: boolean): void;
    /** Resolves when downstream has room again (credit-based flow control); await it between batches. */
    waitForCapacity(): Promise<void>;
    /** True once the job is being cancelled: stop promptly. */
    readonly cancelled: boolean;
    /**
     * Emits records held as columns (see column-batch.ts): operators that read columns take them
     * as they are, the others get rows built from them. Absent: emit rows.
     */
    emitColumns?(batch: ColumnBatch): void;
    /** Reports progress of a bounded source (0..1), for the live display and REST metrics. */
    reportProgress(fraction: number): void;
    /** Checkpointed jobs, after a restore: where this subtask resumes reading. */
    readonly restoredPosition?: SourceReadPosition;
    /** Checkpointed jobs: the source's output tells where reading stands (read at each checkpoint barrier). */
    trackPosition?(position: () => SourceReadPosition): void;
}

export interface SourceFunction {
    run(ctx: SourceContext): Promise<void>;
}

/** A sink instance. File sinks write to a temp file and rename it in `commit` on success. */
export interface SinkFunction {
    open?(ctx: OperatorContext): void | Promise<void>;
    write(rows: Row[]): void | Promise<void>;
    /** The job finished: make the output visible (atomic rename). */
    commit?(): void | Promise<void>;
    /** The job failed or was cancelled: discard partial output. */
    abort?(): void | Promise<void>;
    /**
     * Checkpointed jobs (two-phase commit, as Flink's FileSink): the barrier of `checkpointId`
     * reached the sink: close the part written since the last one and keep it pending; the
     * coordinator commits pending parts once the checkpoint completes. Returns the sink's state.
     */
    snapshotState?(checkpointId: number): FileSinkState;
    /** Checkpointed jobs: the state of the checkpoint the job restarts from (after `open`). */
    restoreState?(state: FileSinkState): void;
    /** Checkpointed jobs: checkpoint `checkpointId` completed and the coordinator committed `committed` parts. */
    checkpointComplete?(checkpointId: number, committed?: readonly string[]): void;
    /** Checkpointed jobs: the input ended: every part not yet committed, for the coordinator to commit when the job finishes. */
    finalParts?(): FileSinkState;
}
