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
    /** The LogicalGraph node id (stable across edits that keep the node's place). */
    operatorId: string;
    /** The node's kind (`source`, `aggregate`, `sink`, ...) and connector if any, to refuse a mismatch by name. */
    kind: string;
    connector?: string;
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
 * A source subtask's position: where reading resumes after a restore. Every source resumes by
 * record index: a file source reads its file again and skips the records (and rejected rows) it
 * emitted before; datagen generates from its next sequence index on (same seed, same records).
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
