/**
 * Every message between the JobManager (main thread) and a TaskManager (worker thread), and
 * between TaskManagers (data exchange over MessagePorts). One file, so both sides agree.
 */
import type { ExecutionState, SubtaskMetrics } from '../../../protocol/cluster-api.js';
import type { DebugLogLine, DebugStop } from '../../../protocol/job-debugging.js';
import type { CheckpointingMode, FileSinkState, SourceSplitPosition } from '../../../protocol/checkpoints.js';
import type { Expr, LogicalNode, SchemaField, ShipStrategy } from '../../../protocol/logical-graph.js';
import type { MessagePort } from 'node:worker_threads';
import type { EncodedBatch } from '../exchange/batch-codec.js';
import type { TaskTestDeployment } from './job-test-run.js';
import type { RestoreFailureInfo } from '../checkpoint/restore-failure.js';

/** What a TaskManager worker is started with (workerData). */
export interface TaskManagerInit {
    index: number;
    id: string;
    slots: number;
    /** How often running tasks report metrics, in ms. */
    metricsIntervalMs: number;
    /** Whether chains fuse runs of stateless operators into one loop (off only to debug the fuser). */
    operatorFusion: boolean;
}

/** One subtask to run: its chain of nodes and the channels it reads and writes. */
export interface TaskDeployment {
    jobId: string;
    vertexId: string;
    vertexName: string;
    subtaskIndex: number;
    parallelism: number;
    mode: 'batch' | 'streaming';
    /** The job attempt (0, +1 per restart); task states carry it, so a late report of an earlier attempt is ignored. */
    attempt?: number;
    /** The chain, head first. */
    nodes: LogicalNode[];
    /** Input channels; `fromTm` = the TaskManager of the sending subtask. */
    inputs: { channelId: number; input: number; fromTm: number }[];
    /** One entry per outgoing job edge; `channels` indexed by downstream subtask. */
    outputs: {
        sourceNode: string;
        sideOutput?: 'deadLetter' | 'late';
        ship: ShipStrategy;
        keys?: Expr[];
        /** Field names of the records on this edge, for columnar encoding; null = unknown. */
        fields: string[] | null;
        /** The fields the receiving task reads, when fewer (exchange/shipped-fields.ts): only they cross threads. */
        shipped?: string[];
        /** A keyBy into this aggregate: records are combined into partial aggregates before the exchange. */
        combine?: LogicalNode;
        channels: { channelId: number; toTm: number }[];
    }[];
    /** Set only when the job runs under a debugger (operator fusion is then off for the task). */
    debug?: TaskDebugDeployment;
    /** Set only when a pipeline test runs the job (job-test-run.ts, docs/runtime.md "Test runs"). */
    test?: TaskTestDeployment;
    /** Set only when the job takes checkpoints (runtime/src/checkpoint/, docs/runtime.md "Checkpoints"). */
    checkpointing?: TaskCheckpointing;
}

/** What a subtask of a checkpointed job needs: where to write its state, and what to restore. */
export interface TaskCheckpointing {
    /** The job's checkpoint folder; checkpoint n is written into `chk-<n>.inprogress` there. */
    jobDirectory: string;
    mode: CheckpointingMode;
    /** The job attempt (0, then +1 per restart): part files and acknowledgements carry it. */
    attempt: number;
    /** The completed checkpoint to restore from: its folder and the state file of each node of this subtask. */
    restore?: {
        checkpointId: number;
        folder: string;
        files: Record<string, string>;
        /**
         * A savepoint restored at another parallelism (checkpoint/savepoint-restore.ts): per keyed
         * node, the old subtasks' files to merge (each with the key groups it owned), keeping the
         * keys of the key groups this subtask owns now (`keyGroups`).
         */
        rescaled?: Record<string, { pieces: { file: string; keyGroups: { start: number; end: number } }[]; keyGroups: { start: number; end: number } }>;
        /** Likewise, per source node: the splits (old subtasks' shares of the input, with their positions) this subtask reads on. */
        sourceSplits?: Record<string, SourceSplitPosition[]>;
    };
    /**
     * Set in every subtask of an attempt restored from a checkpoint or savepoint (stateful or
     * not): per event-time window operator (node id), the highest watermark any of its subtasks
     * restores (checkpoint/restored-watermarks.ts). The window combiners before it fold only
     * windows ending above it; one missing here (a checkpoint from before this existed) gets none.
     */
    restoredWatermarks?: Record<string, number>;
}

/** When a subtask's snapshot began (epoch ms, the barrier had passed its inputs), and how long its synchronous and asynchronous parts took (ms). */
export interface SubtaskCheckpointTiming { snapshotAt: number; syncMs: number; asyncMs: number }

/** One node's state in a subtask's acknowledgement of a checkpoint. */
export interface AcknowledgedState {
    nodeId: string;
    /** The state file, relative to the checkpoint folder, and its size in bytes. */
    file: string;
    size: number;
    /** Event-time window operators: the watermark the state is at (checkpoint/restored-watermarks.ts). */
    watermark?: number;
    /** File sinks: the parts pending in this checkpoint (committed when it completes). */
    sink?: FileSinkState;
}

/** What a subtask of a debugged job needs for its breakpoint probes. */
export interface TaskDebugDeployment {
    /** The job's debug control block (runtime/src/debug/debug-control-block.ts), shared by all its subtasks. */
    control: SharedArrayBuffer;
    /** Who this thread is in the control block's stop-owner word (TaskManager index + 1). */
    ownerId: number;
    slot: number;
    /** The schema of each input of each node of the chain (by input index), for showing records. */
    inputSchemas: Record<string, SchemaField[][]>;
}

/** A tap the JobManager opened on a node of a job: every TaskManager running the job samples it. */
export interface TapSpec {
    tapId: string;
    jobId: string;
    nodeId: string;
    /** Records per second this TaskManager may sample, shared by its subtasks. */
    recordsPerSecond: number;
    /** Checked by the JobManager: a boolean expression over the node's output fields. */
    filter?: Expr;
}

/** What a TaskManager sampled for one tap since its last message (counts are deltas). */
export interface TapBatch {
    tapId: string;
    jobId: string;
    records: { subtask: number; record: Record<string, unknown> }[];
    seen: number;
    matched: number;
    sampled: number;
}

/** An error as it crosses the thread boundary. */
export interface SerializedError {
    name: string;
    message: string;
    stack: string;
    /** The LogicalGraph node whose operator threw, when known. */
    nodeId?: string;
    /** Set when the subtask failed restoring its state (checkpoint/restore-failure.ts): what it was restoring. */
    restore?: RestoreFailureInfo;
}

export type JobManagerToTaskManager =
    | { type: 'connect'; peers: { index: number; port: MessagePort }[] }
    | { type: 'deploy'; tasks: TaskDeployment[] }
    | { type: 'cancel'; jobId: string }
    /** The JobManager handled `n` sink-records messages: the TaskManager may send more. */
    | { type: 'sink-ack'; n: number }
    | { type: 'tap-open'; tap: TapSpec }
    | { type: 'tap-close'; jobId: string; tapId: string }
    /** Test runs: every sink saw the barrier of `phase`; the job's sources may go on with the next phase. */
    | { type: 'test-proceed'; jobId: string; phase: number }
    /** Checkpoints: the source subtasks of the job (attempt) inject the barrier of `checkpointId`. */
    | { type: 'trigger-checkpoint'; jobId: string; attempt: number; checkpointId: number;
        /** Stop-with-savepoint: after the barrier the sources read nothing more (with `drain`: end of event time first). */
        stop?: { drain: boolean } }
    /** Checkpoints: `checkpointId` completed and the coordinator committed these sink parts. */
    | { type: 'checkpoint-complete'; jobId: string; attempt: number; checkpointId: number; committed: string[] }
    /** Tests and diagnosis only (DEBUG route): the TaskManager thread ends itself as if it crashed. */
    | { type: 'crash' }
    | { type: 'shutdown' };

export type TaskManagerToJobManager =
    | { type: 'ready'; index: number }
    | { type: 'task-state'; jobId: string; attempt: number; vertexId: string; subtask: number; state: ExecutionState; error?: SerializedError }
    | { type: 'metrics'; jobId: string; tasks: { vertexId: string; subtask: number; metrics: SubtaskMetrics }[] }
    | { type: 'sink-records'; jobId: string; nodeId: string; connector: 'print' | 'collect'; subtask: number;
        rows: Record<string, unknown>[]; lines?: string[] }
    | { type: 'heartbeat'; index: number; heapUsed: number; heapTotal: number; cpuTimeMs: number }
    /** A subtask of a debugged job stopped (it now waits on the job's debug control block). */
    | { type: 'debug-stop'; jobId: string; stop: DebugStop }
    /** A logpoint's line or a note of the debugger (e.g. a stepped record was dropped). */
    | { type: 'debug-log'; jobId: string; line: DebugLogLine }
    /** Sampled records of taps, at most 5 messages per second (sent with task ends too). */
    | { type: 'tap-records'; taps: TapBatch[] }
    /** Test runs: a subtask whose chain ends in a sink passed the barrier closing `phase` (its sink records were sent before). */
    | { type: 'test-barrier'; jobId: string; vertexId: string; subtask: number; phase: number }
    /** Test runs: records each node of a subtask's chain emitted (`<node id>` or `<node id>#<side output>`), sent as it ends. */
    | { type: 'test-coverage'; jobId: string; counts: Record<string, number> }
    /** Checkpoints: a subtask wrote its state for `checkpointId` (or could not: `error`). */
    | { type: 'checkpoint-ack'; jobId: string; attempt: number; checkpointId: number; vertexId: string; subtask: number;
        states: AcknowledgedState[]; alignmentBuffered: number; timing?: SubtaskCheckpointTiming; error?: string }
    /** Checkpoints: a file sink's input ended; its uncommitted parts are committed when the job finishes. */
    | { type: 'sink-final'; jobId: string; attempt: number; nodeId: string; subtask: number; sink: FileSinkState };

/** Between TaskManagers: data exchange and credits for channels that cross threads. */
export type PeerMessage =
    | { type: 'data'; channel: number; batch: EncodedBatch; bytes: number; partial?: true }
    | { type: 'watermark'; channel: number; timestamp: number; idle?: boolean }
    | { type: 'barrier'; channel: number; checkpointId: number }
    | { type: 'end-of-data'; channel: number }
    | { type: 'credit'; channel: number; n: number };
