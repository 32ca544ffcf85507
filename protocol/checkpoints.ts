/**
 * Fault tolerance's shared contract: the checkpointing and restart settings a pipeline carries
 * (LogicalGraph `checkpointing` / `restartStrategy`, CLI flags override them), the on-disk format
 * that checkpoints and savepoints share, and the REST payload of GET /jobs/:jid/checkpoints in
 * Flink's shape (field names as Flink sends them). Dependency-free: the runtime, the CLI, the
 * language and the editor read it.
 *
 * The exception history (GET /jobs/:jid/exceptions) is `JobExceptions` in cluster-api.ts.
 */

// ---------------------------------------------------------------- settings

/**
 * Flink's checkpointing modes. exactly-once aligns barriers (an operator with several inputs
 * holds back an input whose barrier came until every input's barrier came), so a snapshot holds
 * the effect of exactly the records before the barrier; at-least-once does not align: records
 * after a barrier may be in the snapshot and are replayed after a restore (duplicates downstream).
 */
export type CheckpointingMode = 'exactly-once' | 'at-least-once';

/** How a job takes checkpoints (Flink's execution.checkpointing.* options). */
export interface CheckpointingSettings {
    /** Time between the start of two checkpoints (execution.checkpointing.interval). */
    intervalMs: number;
    mode: CheckpointingMode;
    /**
     * Where checkpoints are written (execution.checkpointing.dir); each job gets a folder
     * `<directory>/<job id>` in it. Absent: `<project>/.flowline/checkpoints`.
     */
    directory?: string;
    /** Completed checkpoints kept (execution.checkpointing.num-retained); absent: 1, as Flink. */
    retained?: number;
    /** A checkpoint not complete after this long fails (execution.checkpointing.timeout); absent: 10 min. */
    timeoutMs?: number;
    /**
     * Consecutive failed checkpoints tolerated before the job fails over
     * (execution.checkpointing.tolerable-failed-checkpoints); absent: 0, as Flink.
     */
    tolerableFailedCheckpoints?: number;
}

export const DEFAULT_CHECKPOINTS_RETAINED = 1;
export const DEFAULT_CHECKPOINT_TIMEOUT_MS = 10 * 60_000;
/** The folder, under the project, that holds `<job id>/chk-<n>` folders when no directory is set. */
export const DEFAULT_CHECKPOINT_SUBDIRECTORY = '.flowline/checkpoints';

/**
 * Flink's restart strategies (restart-strategy.type and its options), with Flink's meanings:
 * - fixed-delay: up to `attempts` restarts, `delayMs` apart; one more failure fails the job.
 * - exponential-delay: the delay starts at `initialMs` and is multiplied by `multiplier` after
 *   each failure up to `maxMs`; it goes back to `initialMs` once the job ran `resetAfterMs`
 *   without failure; `attempts` (absent: unlimited) restarts before the job fails.
 * - failure-rate: the job fails once more than `maxFailures` failures happen within `intervalMs`;
 *   otherwise it restarts after `delayMs`.
 * - none: the first failure fails the job.
 * Default (absent): none without checkpointing; with checkpointing a fixed-delay strategy of
 * `DEFAULT_RESTART_ATTEMPTS_WITH_CHECKPOINTING` attempts 1 s apart (Flink's historic default).
 */
export type RestartStrategySettings =
    | { kind: 'fixed-delay'; attempts: number; delayMs: number }
    | { kind: 'exponential-delay'; initialMs: number; maxMs: number; multiplier: number; resetAfterMs?: number;
        attempts?: number }
    | { kind: 'failure-rate'; maxFailures: number; intervalMs: number; delayMs: number }
    | { kind: 'none' };

/** Flink's fixed-delay default attempts when checkpointing is on (Integer.MAX_VALUE). */
export const DEFAULT_RESTART_ATTEMPTS_WITH_CHECKPOINTING = 2_147_483_647;
export const DEFAULT_RESTART_DELAY_MS = 1000;

/** The restart strategy a job runs with: the one given, or Flink's default for its checkpointing. */
export function effectiveRestartStrategy(
    given: RestartStrategySettings | undefined,
    checkpointing: CheckpointingSettings | undefined
): RestartStrategySettings {
    if (given) return given;
    return checkpointing
        ? { kind: 'fixed-delay', attempts: DEFAULT_RESTART_ATTEMPTS_WITH_CHECKPOINTING, delayMs: DEFAULT_RESTART_DELAY_MS }
        : { kind: 'none' };
}

// ---------------------------------------------------------------- the on-disk format

/**
 * A checkpoint (or savepoint) is a folder: `chk-<id>` under the job's checkpoint folder (a
 * savepoint: the folder given). It is written as `chk-<id>.inprogress` and renamed once every
 * file is written, the metadata file last, so a folder without `_metadata` (or still named
 * `.inprogress`) is never a checkpoint.
 */
export const CHECKPOINT_METADATA_FILE = '_metadata';
export const CHECKPOINT_FORMAT_VERSION = 1;
export const CHECKPOINT_FOLDER_PREFIX = 'chk-';
export const IN_PROGRESS_SUFFIX = '.inprogress';

/** The `_metadata` file (JSON). */
export interface CheckpointMetadata {
    formatVersion: typeof CHECKPOINT_FORMAT_VERSION;
    kind: 'checkpoint' | 'savepoint';
    /** The job that took it, and its pipeline's name. */
    jobId: string;
    pipeline: string;
    checkpointId: number;
    /** When the coordinator triggered it and when the last subtask acknowledged it (epoch ms). */
    triggerTimestamp: number;
    completedTimestamp: number;
    mode: CheckpointingMode;
    /** The number of key groups keyed state is split into (MAX_PARALLELISM of the runtime). */
    maxParallelism: number;
    /** Every stateful operator (sources and sinks included), by LogicalGraph node id. */
    operators: OperatorStateMetadata[];
}

/** The state of one operator (a LogicalGraph node) across its subtasks. */
export interface OperatorStateMetadata {
    /** The LogicalGraph node id of the job that wrote it (for messages; shifts when operators are added before it). */
    operatorId: string;
    /**
     * The operator's identity across edits of the pipeline (`operatorUid`): what a restore from a
     * savepoint matches the new pipeline's operators by. Absent in checkpoints written before it existed.
     */
    uid?: string;
    /** The node's kind (`source`, `aggregate`, `sink`, ...) and connector if any, to refuse a mismatch by name. */
    kind: string;
    connector?: string;
    /** Which operator of its kind keeps the state (`aggregate:tumbling`, `join:interval`): states of different ones do not fit each other. */
    stateKind?: string;
    parallelism: number;
    /** The types of the key expressions, as the language writes them (e.g. `["string","long"]`), for keyed operators. */
    keyTypes?: string[];
    subtasks: SubtaskStateHandle[];
}

/** Where one subtask's state is. */
export interface SubtaskStateHandle {
    subtask: number;
    /** The key groups (inclusive) this subtask owned; present for keyed operators. */
    keyGroups?: { start: number; end: number };
    /** The state file, relative to the checkpoint folder (a `SubtaskStateFile`). */
    file: string;
    /** Bytes of the state file. */
    stateSize: number;
    /**
     * Event-time window operators: the watermark the subtask's state is at (ms; the strings
     * 'Infinity' after the end of event time, '-Infinity' before any watermark, which JSON cannot
     * hold as numbers). A restored attempt's window combiners fold only windows ending above it
     * (runtime/src/checkpoint/restored-watermarks.ts). Absent in checkpoints written before it existed.
     */
    watermark?: number | 'Infinity' | '-Infinity';
}

/**
 * One subtask's state file: one per (operator, subtask), in Node's V8 serialization format
 * (`v8.serialize`, the structured-clone algorithm: exact for Maps, Sets, infinities, NaN and -0,
 * which operator state holds and JSON would lose); `_metadata` itself is JSON.
 */
export interface SubtaskStateFile {
    operatorId: string;
    subtask: number;
    /**
     * State not split by key: a source's position, a sink's pending files, a global operator's
     * state, or (until an operator splits its state by key group) the operator's whole snapshot.
     */
    operatorState?: unknown;
    /** Keyed state by key group (`"17": state of keys in key group 17`), so it can be redistributed on rescaling. */
    keyedState?: Record<string, unknown>;
}

/**
 * Where a file source subtask resumes reading: the first byte of the next record it had not read
 * (in the file of the split it was reading; splits are the same for the same files and
 * parallelism), and that record's 1-based line in the file when it was known without reading the
 * file before it (else counted from the file's start, only if a bad row needs it).
 */
export interface FileReadPosition {
    path: string;
    offset: number;
    line?: number;
    /** csv: what csv-parse needs to read on from there, and where the split being read ends. */
    csv?: { parserLines: number; recordDelimiter?: '\n' | '\r\n'; splitEnd: number };
}

/**
 * A source subtask's position: where reading resumes after a restore. datagen generates from its
 * next sequence index on (same seed, same records); a csv/jsonl/text source seeks to `file`'s byte
 * offset (without `file`: reads its files again and skips the records and rejected rows counted).
 */
export interface SourceReadPosition {
    /** Records this subtask emitted before the checkpoint (for datagen: its next sequence index). */
    emitted: number;
    /** Bad rows this subtask rejected (skipped or dead-lettered) before the checkpoint. */
    rejected: number;
    /** Event time: the highest record timestamp seen and the last watermark emitted (null: none yet). */
    maxTimestamp: number | null;
    lastWatermark: number | null;
    /** For display: the file read (absolute) and the generator's seed, when the source has them. */
    path?: string;
    seed?: number;
    /** File sources: the byte offset (and line) of the next record to read. */
    file?: FileReadPosition;
}

/** A file sink subtask's two-phase-commit state: part files written, not yet visible. */
export interface FileSinkState {
    /** The file the sink's output goes to (absolute). */
    target: string;
    /**
     * Part files closed at a checkpoint and not yet known to be committed, oldest first (absolute
     * paths): the coordinator appends them to `target`, in order, once a checkpoint covering them
     * completes.
     */
    pending: string[];
    /** Parts written since the job started (0: the next part starts the output, with its header). */
    partsWritten: number;
    /**
     * A partitioned sink (`partitioned by`): `target` is its folder, and each partition file it has
     * written (`<folder>/dt=.../part-<subtask>.csv`) has its own state here, committed as one sink's.
     */
    partitions?: FileSinkState[];
}

/**
 * A source subtask that reads the splits of several subtasks of an earlier run (a job restored
 * from a savepoint at another parallelism): each split is an old subtask's share of the input
 * (its index and parallelism say which) with the position that subtask had reached. A later
 * checkpoint of that subtask stores the same form, so splits keep their identity across any
 * number of rescalings.
 */
export interface SourceSplitsPosition {
    splits: SourceSplitPosition[];
}

export interface SourceSplitPosition {
    /** The subtask (of `parallelism`) whose share of the input this split is. */
    subtask: number;
    parallelism: number;
    position: SourceReadPosition;
}

// ---------------------------------------------------------------- savepoints

/** A savepoint folder's name in its target directory (Flink's: `savepoint-<6 hex of the job id>-<12 hex>`). */
export const SAVEPOINT_FOLDER_PREFIX = 'savepoint-';

/**
 * How a job starts from a savepoint or a retained checkpoint (Flink's SavepointRestoreSettings;
 * `flowline run --from-savepoint DIR [--allow-non-restored-state]`, or the query parameters
 * `savepointPath` and `allowNonRestoredState` of POST /jobs).
 */
export interface SavepointRestoreSettings {
    /** The savepoint or checkpoint folder (the one holding `_metadata`). */
    path: string;
    /** Skip the state of operators the new pipeline no longer has, instead of refusing the savepoint. */
    allowNonRestoredState: boolean;
}

/** POST /jobs/:jid/stop (Flink's StopWithSavepointRequestBody). */
export interface StopWithSavepointRequest {
    targetDirectory?: string;
    /** Flink: emit MAX_WATERMARK before the savepoint, so event-time windows fire first. */
    drain?: boolean;
}

/** POST /jobs/:jid/savepoints (Flink's SavepointTriggerRequestBody). */
export interface SavepointTriggerRequest {
    'target-directory'?: string;
    'cancel-job'?: boolean;
}

/** The answer to a savepoint trigger (Flink's TriggerResponse): poll GET /jobs/:jid/savepoints/:request-id. */
export interface SavepointTriggerResponse {
    'request-id': string;
}

/** GET /jobs/:jid/savepoints/:triggerid (Flink's AsynchronousOperationResult of a SavepointInfo). */
export interface SavepointOperationStatus {
    status: { id: 'IN_PROGRESS' | 'COMPLETED' };
    /** Once COMPLETED: the savepoint's folder, or why it failed. */
    operation?: { location: string } | { 'failure-cause': { class: string; 'stack-trace': string } };
}

// ---------------------------------------------------------------- REST: GET /jobs/:jid/checkpoints

/** Flink's CheckpointStatsStatus. */
export type CheckpointStatus = 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';

/** Flink's checkpoint_type values Flowline produces. */
export type CheckpointType = 'CHECKPOINT' | 'SAVEPOINT' | 'SYNC_SAVEPOINT';

/** Flink's StatsSummaryDto: min/max/avg and percentiles over completed checkpoints. */
export interface StatsSummary {
    min: number;
    max: number;
    avg: number;
    p50: number;
    p90: number;
    p95: number;
    p99: number;
    p999: number;
}

/**
 * Where a checkpoint's time went, for the subtask whose acknowledgement came last (Flowline's own
 * field; Flink shows sync/async per subtask). In ms, adding up to the end-to-end duration:
 * `barrier`, from the trigger until the barrier reached the subtask and every input delivered it
 * (the barrier's way through the queues, and the alignment); `sync`, the snapshot on the task's
 * thread (serialising the state, the task processes nothing meanwhile); `async`, writing the
 * state files while the task processes again; `ack`, until the JobManager had the acknowledgement.
 */
export interface CheckpointDurationSplit {
    barrier: number;
    sync: number;
    async: number;
    ack: number;
}

/** Flink's CheckpointStatistics (one history entry); `className` tells the variant. */
export interface CheckpointStatistics {
    className: 'completed' | 'failed' | 'in_progress';
    id: number;
    status: CheckpointStatus;
    is_savepoint: boolean;
    savepointFormat: 'CANONICAL' | null;
    trigger_timestamp: number;
    latest_ack_timestamp: number;
    /** Bytes written for this checkpoint (Flowline: equal to state_size, as it is never incremental). */
    checkpointed_size: number;
    state_size: number;
    end_to_end_duration: number;
    /** Bytes held back during alignment (Flowline: records held, as it does not count bytes there). */
    alignment_buffered: number;
    processed_data: number;
    persisted_data: number;
    num_subtasks: number;
    num_acknowledged_subtasks: number;
    checkpoint_type: CheckpointType;
    /** Flowline: the split of the last acknowledgement's duration (absent until one came). */
    duration_split?: CheckpointDurationSplit;
    /** Per vertex id: Flink's TaskCheckpointStatistics. */
    tasks: Record<string, TaskCheckpointStatistics>;
    /** completed: where it is, and whether it was since removed (retention). */
    external_path?: string;
    discarded?: boolean;
    /** failed: when and why. */
    failure_timestamp?: number;
    failure_message?: string | null;
}

/** Flink's TaskCheckpointStatistics (one vertex's part of a checkpoint). */
export interface TaskCheckpointStatistics {
    id: number;
    status: CheckpointStatus;
    latest_ack_timestamp: number;
    checkpointed_size: number;
    state_size: number;
    end_to_end_duration: number;
    alignment_buffered: number;
    processed_data: number;
    persisted_data: number;
    num_subtasks: number;
    num_acknowledged_subtasks: number;
    /** Flowline: the split of this vertex's last acknowledgement (absent until one came). */
    duration_split?: CheckpointDurationSplit;
}

/** Flink's RestoredCheckpointStatistics. */
export interface RestoredCheckpointStatistics {
    id: number;
    restore_timestamp: number;
    is_savepoint: boolean;
    external_path: string;
}

/** GET /jobs/:jid/checkpoints: Flink's CheckpointingStatistics. */
export interface CheckpointingStatistics {
    counts: { restored: number; total: number; in_progress: number; completed: number; failed: number };
    summary: {
        checkpointed_size: StatsSummary;
        state_size: StatsSummary;
        end_to_end_duration: StatsSummary;
        alignment_buffered: StatsSummary;
        processed_data: StatsSummary;
        persisted_data: StatsSummary;
    };
    latest: {
        completed: CheckpointStatistics | null;
        savepoint: CheckpointStatistics | null;
        failed: CheckpointStatistics | null;
        restored: RestoredCheckpointStatistics | null;
    };
    /** Newest first, at most `HISTORY_SIZE` entries (web.checkpoints.history, default 10). */
    history: CheckpointStatistics[];
}

/** Flink's web.checkpoints.history default. */
export const CHECKPOINT_HISTORY_SIZE = 10;

/** GET /jobs/:jid/checkpoints/config: Flink's CheckpointConfigInfo (the fields Flowline has). */
export interface CheckpointConfigInfo {
    mode: 'exactly_once' | 'at_least_once';
    interval: number;
    timeout: number;
    tolerable_failed_checkpoints: number;
    /** Flink: how checkpoints are kept after cancellation; Flowline keeps them (retained on cancellation). */
    externalization: { enabled: boolean; delete_on_cancellation: boolean };
    state_backend: string;
    checkpoint_storage: string;
    /** Flowline: the job's checkpoint folder and completed checkpoints kept. */
    directory: string;
    retained: number;
}
