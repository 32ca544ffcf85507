/**
 * Starting a job from a savepoint or a retained checkpoint (`flowline run --from-savepoint DIR`,
 * POST /jobs?savepointPath=DIR): reads the folder's `_metadata`, checks that every state file it
 * lists is there whole, matches the savepoint's operators to the new pipeline's by uid
 * (operator-uids.ts), refuses what does not fit with a message naming the operator, and plans
 * what each new subtask restores, at the new parallelism:
 *
 * - same parallelism: subtask i restores old subtask i's files;
 * - keyed state (an operator a keyBy leads to): new subtask j gets every old subtask whose key
 *   groups overlap the ones j owns now and keeps only those keys (several old pieces merge into
 *   one; one old piece is split among several), as Flink redistributes key groups;
 * - sources: each old subtask's share of the input is a split with its read position; the splits
 *   are dealt round-robin to the new subtasks, which read them on from where they were (Flink's
 *   split reassignment), so no record is lost or read twice;
 * - anything else (a file sink's parts, a limit's or global order-by's buffer, a global
 *   aggregate) is not split: restored only at the same parallelism, refused otherwise (these run
 *   at parallelism 1 unless the pipeline says otherwise).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { deserialize } from 'node:v8';
import type {
    CheckpointMetadata, FileSinkState, OperatorStateMetadata, SavepointRestoreSettings, SourceReadPosition, SourceSplitPosition,
    SourceSplitsPosition, SubtaskStateFile, SubtaskStateHandle
} from '../../../protocol/checkpoints.js';
import type { LogicalGraph, LogicalNode } from '../../../protocol/logical-graph.js';
import type { TaskCheckpointing } from '../cluster/taskmanager-protocol.js';
import { MAX_PARALLELISM } from '../exchange/key-groups.js';
import type { JobGraph } from '../planner/job-graph.js';
import type { RestorePoint } from './checkpoint-coordinator.js';
import { readCheckpointMetadata } from './checkpoint-storage.js';
import { keyTypesOf, operatorUid, stateKindOf } from './operator-uids.js';
import { highestRestoredWatermark } from './restored-watermarks.js';

/** A savepoint that cannot be restored into this pipeline; the message says why and names the operator. */
export class SavepointRestoreError extends Error {
    constructor(message: string) {
        super(message);
        this.name = 'SavepointRestoreError';
    }
}

/** The key groups (inclusive) subtask `subtask` of `parallelism` owns (key-groups.ts: group g goes to floor(g * p / MAX)). */
export function keyGroupRange(subtask: number, parallelism: number): { start: number; end: number } {
    return { start: Math.ceil((subtask * MAX_PARALLELISM) / parallelism), end: Math.ceil(((subtask + 1) * MAX_PARALLELISM) / parallelism) - 1 };
}

type Restore = NonNullable<TaskCheckpointing['restore']>;

/**
 * The keyed operators whose state is redistributed by key group (they implement `restoreRescaled`):
 * aggregates of every kind (windows, count windows, sessions, over updates), Top-N (per key and per
 * window), joins and OVER. Keyed state of any other operator is restored at its parallelism only.
 */
function redistributable(config: LogicalNode['config']): boolean {
    return config.kind === 'aggregate' || config.kind === 'topN' || config.kind === 'join' || config.kind === 'over';
}

/** Plans the restore of `settings.path` into `graph` (throws a SavepointRestoreError when it does not fit). */
export function planSavepointRestore(graph: LogicalGraph, jobGraph: JobGraph, settings: SavepointRestoreSettings): RestorePoint {
    const folder = settings.path;
    let metadata: CheckpointMetadata;
    try {
        metadata = readCheckpointMetadata(folder);
    } catch (error) {
        throw new SavepointRestoreError(`Cannot restore from ${folder}: ${error instanceof Error ? error.message : String(error)}`);
    }
    const refuse = (message: string): never => { throw new SavepointRestoreError(`Cannot restore from ${folder}: ${message}`); };
    if (metadata.maxParallelism !== MAX_PARALLELISM) {
        refuse(`its keyed state is split into ${metadata.maxParallelism} key groups; this runtime uses ${MAX_PARALLELISM}.`);
    }
    checkComplete(folder, metadata, refuse);

    const byUid = new Map(graph.nodes.map((n) => [operatorUid(graph, n), n]));
    const vertexOf = new Map<string, { id: string; parallelism: number }>();
    for (const v of jobGraph.vertices) for (const n of v.nodes) vertexOf.set(n.id, { id: v.id, parallelism: v.parallelism });
    /** Per new vertex and subtask: what it restores. */
    const plan = new Map<string, Restore>();
    const restoreOf = (vertexId: string, subtask: number): Restore => {
        const key = `${vertexId}/${subtask}`;
        let r = plan.get(key);
        if (!r) plan.set(key, r = { checkpointId: metadata.checkpointId, folder, files: {} });
        return r;
    };
    const sinks: FileSinkState[] = [];
    const watermarks: Record<string, number> = {};
    /** A window operator's new subtasks each restore one group of old subtasks (restored-watermarks.ts). */
    const noteWatermark = (nodeId: string, groups: SubtaskStateHandle[][]): void => {
        const highest = highestRestoredWatermark(groups);
        if (highest !== undefined) watermarks[nodeId] = highest;
    };

    for (const op of metadata.operators) {
        const uid = op.uid ?? op.operatorId;
        const node = byUid.get(uid) ?? graph.nodes.find((n) => n.id === op.operatorId && op.uid === undefined);
        const named = `'${uid}' (${op.kind}${op.connector ? ` ${op.connector}` : ''}, ${op.operatorId} in the savepoint)`;
        if (!node) {
            if (settings.allowNonRestoredState) continue;
            refuse(`it holds state of operator ${named}, which the pipeline no longer has. ` +
                'Run with --allow-non-restored-state (allowNonRestoredState=true) to start without that state.');
        }
        const config = node!.config;
        const connector = config.kind === 'source' || config.kind === 'sink' ? config.connector : undefined;
        if (config.kind !== op.kind || (op.connector !== undefined && connector !== op.connector)) {
            refuse(`operator ${named} is a ${config.kind}${connector ? ` ${connector}` : ''} (${node!.id}) in the pipeline now; its state cannot be restored into another kind of operator.`);
        }
        if (op.stateKind !== undefined && op.stateKind !== stateKindOf(node!)) {
            const variant = (kind: string): string => `operator '${kind.replace(/:.*/, '')}'${kind.includes(':') ? ` (${kind.replace(/^[^:]*:/, '')})` : ''}`;
            refuse(`operator ${named} kept the state of an ${variant(op.stateKind)}; the pipeline has an ${variant(stateKindOf(node!))} there now (${node!.id}), whose state has another shape.`);
        }
        const keyTypes = keyTypesOf(graph, node!);
        if (op.keyTypes && keyTypes && op.keyTypes.join(', ') !== keyTypes.join(', ')) {
            refuse(`the key of operator ${named} changed type: its state is keyed by (${op.keyTypes.join(', ')}), the pipeline keys it by (${keyTypes.join(', ')}) now. Keyed state cannot be read under another key type.`);
        }
        if (op.keyTypes && !keyTypes) refuse(`operator ${named} kept keyed state, but no keyBy leads to ${node!.id} in the pipeline now.`);
        const vertex = vertexOf.get(node!.id);
        if (!vertex) refuse(`the pipeline's operator ${node!.id} has no task to run in.`);
        const p = vertex!.parallelism;
        const newId = node!.id;

        if (config.kind === 'sink') {
            for (const s of op.subtasks) sinks.push(readState(folder, s.file, refuse).operatorState as FileSinkState);
        }
        if (op.parallelism === p) {
            for (const s of op.subtasks) restoreOf(vertex!.id, s.subtask).files[newId] = s.file;
            noteWatermark(newId, op.subtasks.map((s) => [s]));
            continue;
        }
        if (config.kind === 'source') {
            const splits = op.subtasks.flatMap((s) => splitsOf(readState(folder, s.file, refuse).operatorState, s.subtask, op.parallelism));
            // Dealt round-robin, in the order of the input (old subtask, then split).
            splits.forEach((split, i) => {
                const r = restoreOf(vertex!.id, i % p);
                (r.sourceSplits ??= {})[newId] ??= [];
                r.sourceSplits![newId].push(split);
            });
            // A new subtask with no split has read everything it will ever read.
            for (let j = splits.length; j < p; j++) (restoreOf(vertex!.id, j).sourceSplits ??= {})[newId] = [];
            continue;
        }
        if (op.subtasks.every((s) => s.keyGroups !== undefined)) {
            if (!redistributable(config)) {
                refuse(`operator ${named} keeps keyed state that cannot be redistributed by key group yet (${config.kind}); restore it at parallelism ${op.parallelism}, not ${p}.`);
            }
            const groups: SubtaskStateHandle[][] = [];
            for (let j = 0; j < p; j++) {
                const owned = keyGroupRange(j, p);
                const old = op.subtasks.filter((s) => s.keyGroups!.start <= owned.end && s.keyGroups!.end >= owned.start);
                groups.push(old);
                (restoreOf(vertex!.id, j).rescaled ??= {})[newId] = { pieces: old.map((s) => ({ file: s.file, keyGroups: s.keyGroups! })), keyGroups: owned };
            }
            noteWatermark(newId, groups);
            continue;
        }
        refuse(`operator ${named} keeps state that is not split by key (${describeUnsplittable(node!)}), written at parallelism ${op.parallelism}; ` +
            `it can only be restored at that parallelism, not at ${p}.`);
    }
    return {
        id: metadata.checkpointId, folder, isSavepoint: metadata.kind === 'savepoint',
        restoreFor: (vertexId, subtask) => plan.get(`${vertexId}/${subtask}`),
        sinks,
        watermarks
    };
}

/** Every state file `_metadata` lists must be there, with the size it lists. */
function checkComplete(folder: string, metadata: CheckpointMetadata, refuse: (message: string) => never): void {
    for (const op of metadata.operators as OperatorStateMetadata[]) {
        for (const s of op.subtasks) {
            const file = join(folder, s.file);
            if (!existsSync(file)) refuse(`it is incomplete: the state file ${s.file} of operator ${op.operatorId} (subtask ${s.subtask + 1}) is missing.`);
            const size = statSync(file).size;
            if (size !== s.stateSize) refuse(`it is corrupt: the state file ${s.file} of operator ${op.operatorId} has ${size} bytes, _metadata says ${s.stateSize}.`);
        }
    }
}

function readState(folder: string, file: string, refuse: (message: string) => never): SubtaskStateFile {
    try {
        return deserialize(readFileSync(join(folder, file))) as SubtaskStateFile;
    } catch (error) {
        return refuse(`it is corrupt: the state file ${file} cannot be read (${error instanceof Error ? error.message : String(error)}).`);
    }
}

/** The splits a source subtask's state holds: its own share, or the splits it was restored with. */
function splitsOf(state: unknown, subtask: number, parallelism: number): SourceSplitPosition[] {
    const splits = (state as Partial<SourceSplitsPosition> | undefined)?.splits;
    if (Array.isArray(splits)) return splits;
    return [{ subtask, parallelism, position: state as SourceReadPosition }];
}

function describeUnsplittable(node: LogicalNode): string {
    switch (node.config.kind) {
        case 'sink': return "a file sink's uncommitted parts, one output file per subtask";
        case 'limit': return 'the records a limit let through';
        case 'orderBy': return 'the records a global order-by holds';
        case 'aggregate': return 'a global aggregate without keyBy';
        default: return `a ${node.config.kind}'s state`;
    }
}
