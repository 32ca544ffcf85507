/**
 * Temporal join (`join R as of t`, Flink's event-time `FOR SYSTEM_TIME AS OF`): the right input
 * is a history of versions per key (each valid from its version time on); a left record meets the
 * version of its key that was valid at its event time `t`, i.e. the one with the latest version
 * time <= t. As in Flink (TemporalRowTimeJoinOperator), a left record waits in state until the
 * watermark passes its time, so versions arriving out of order before then are seen; then it is
 * emitted (inner: only with a version; left: with null right fields when there is none) and, for
 * its key, versions that no later record can need any more are dropped (all older than the latest
 * one at or before the watermark). Batch mode computes the same at the end of the input.
 */
import type { LogicalNode } from '../../../protocol/logical-graph.js';
import { compileJoinKey, compileJoinOutput, type JoinConfig } from './join-support.js';
import type { OperatorContext, OperatorInspection, Row, StreamOperator, RescaledPiece } from './operator.js';
import { mergeKeyedMaps, type KeyGroupRange } from '../state/state-key-groups.js';
import { operatorError } from './operator-error.js';

/** One version of a right row: valid from `ts` until the next version of its key. */
interface Version { ts: number; row: Row }
/** A left record waiting for the watermark to pass its time. */
interface Pending { ts: number; row: Row }

export class TemporalJoinOperator implements StreamOperator {
    private ctx!: OperatorContext;
    private readonly config: JoinConfig;
    private readonly leftKey: (row: Row) => unknown;
    private readonly rightKey: (row: Row) => unknown;
    private readonly leftTime: string;
    private readonly rightTime: string;
    private readonly output: (left: Row, right: Row | null) => Row;
    /** Key -> its versions, ordered by version time (one per time: a later arrival replaces it, as in Flink). */
    private versions = new Map<unknown, Version[]>();
    /** Key -> left records not emitted yet, in arrival order. */
    private pending = new Map<unknown, Pending[]>();
    private watermark = -Infinity;
    private readonly ended = [false, false];

    constructor(private readonly node: LogicalNode, private readonly mode: 'batch' | 'streaming') {
        const config = node.config;
        if (config.kind !== 'join' || !config.temporal || config.leftTimeField === undefined || config.rightTimeField === undefined) {
            throw new Error(`${node.id} is not a temporal join (it needs 'temporal', 'leftTimeField' and 'rightTimeField')`);
        }
        this.config = config;
        this.leftTime = config.leftTimeField;
        this.rightTime = config.rightTimeField;
        try {
            this.leftKey = compileJoinKey(config.leftKeys);
            this.rightKey = compileJoinKey(config.rightKeys);
            this.output = compileJoinOutput(config);
        } catch (err) {
            throw operatorError(node, err);
        }
    }

    open(ctx: OperatorContext): void {
        this.ctx = ctx;
    }

    processBatch(rows: Row[], input: number): void {
        const out: Row[] = [];
        try {
            if (input === 1) for (const row of rows) this.addVersion(row);
            else for (const row of rows) this.addLeft(row, out);
        } catch (err) {
            throw operatorError(this.node, err);
        }
        if (out.length > 0) this.ctx.emit(out);
    }

    /** Streaming: emits the left records the watermark has passed. Batch mode waits for the end of the input. */
    processWatermark(watermark: number): void {
        if (this.mode === 'batch' || watermark <= this.watermark) return;
        this.watermark = watermark;
        this.emitUpTo(watermark);
    }

    endOfInput(input: number): void {
        this.ended[input === 1 ? 1 : 0] = true;
        // Both inputs complete: every left record is final (Flink's end-of-input watermark).
        if (this.ended[0] && this.ended[1]) this.emitUpTo(Infinity);
    }

    /** The versions kept for the record's key and the left records of that key still waiting. */
    inspect(row: Row, input: number): OperatorInspection {
        const key = input === 1 ? this.rightKey(row) : this.leftKey(row);
        return {
            windows: [],
            state: [
                { label: 'versions (right side)', value: (this.versions.get(key) ?? []).map((v) => v.row) },
                { label: 'waiting for the watermark (left side)', value: (this.pending.get(key) ?? []).map((p) => p.row) }
            ]
        };
    }

    private addVersion(row: Row): void {
        const key = this.rightKey(row);
        const ts = row[this.rightTime];
        if (key === undefined || typeof ts !== 'number') return; // a null key or time is no version of anything
        let list = this.versions.get(key);
        if (list === undefined) this.versions.set(key, (list = []));
        // Versions mostly arrive in time order: search from the end.
        let i = list.length;
        while (i > 0 && list[i - 1].ts > ts) i--;
        if (i > 0 && list[i - 1].ts === ts) list[i - 1] = { ts, row };
        else list.splice(i, 0, { ts, row });
    }

    private addLeft(row: Row, out: Row[]): void {
        const key = this.leftKey(row);
        const ts = row[this.leftTime];
        if (key === undefined || typeof ts !== 'number') {
            // Matches nothing, ever: a left join emits it at once, an inner join drops it.
            if (this.config.joinType === 'left') out.push(this.output(row, null));
            return;
        }
        let list = this.pending.get(key);
        if (list === undefined) this.pending.set(key, (list = []));
        list.push({ ts, row });
    }

    /** Emits every waiting left record with a time <= `watermark`, each with the version valid at its time. */
    private emitUpTo(watermark: number): void {
        const out: Row[] = [];
        const leftJoin = this.config.joinType === 'left';
        try {
            for (const [key, list] of this.pending) {
                const due = list.filter((p) => p.ts <= watermark);
                if (due.length === 0) continue;
                const versions = this.versions.get(key) ?? [];
                for (const p of due) {
                    const version = latestAtOrBefore(versions, p.ts);
                    if (version) out.push(this.output(p.row, version.row));
                    else if (leftJoin) out.push(this.output(p.row, null));
                }
                if (due.length === list.length) this.pending.delete(key);
                else this.pending.set(key, list.filter((p) => p.ts > watermark));
                this.dropExpiredVersions(key, versions, watermark);
            }
        } catch (err) {
            throw operatorError(this.node, err);
        }
        if (out.length > 0) this.ctx.emit(out);
    }

    /**
     * After a key's records up to `watermark` are emitted, a later record of that key has a time
     * after the watermark (or is late): only the latest version at or before the watermark and the
     * newer ones can still be valid for it (Flink cleans up the same way, when a key's timer fires).
     */
    private dropExpiredVersions(key: unknown, versions: Version[], watermark: number): void {
        if (watermark === Infinity) {
            this.versions.delete(key);
            return;
        }
        let keepFrom = 0;
        while (keepFrom + 1 < versions.length && versions[keepFrom + 1].ts <= watermark) keepFrom++;
        if (keepFrom > 0) this.versions.set(key, versions.slice(keepFrom));
    }

    snapshotState(): unknown {
        return { watermark: this.watermark, versions: this.versions, pending: this.pending, ended: this.ended };
    }

    restoreState(snapshot: unknown): void {
        const s = snapshot as { watermark: number; versions: Map<unknown, Version[]>; pending: Map<unknown, Pending[]>; ended: boolean[] };
        this.watermark = s.watermark;
        this.versions = s.versions;
        this.pending = s.pending;
        this.ended[0] = s.ended[0];
        this.ended[1] = s.ended[1];
    }

    /** The versions and waiting left records of the keys this subtask owns; the watermark is the lowest of the pieces'. */
    restoreRescaled(pieces: RescaledPiece[], owned: KeyGroupRange): void {
        const states = pieces.map((p) => p.state as { watermark: number; versions: Map<unknown, Version[]>; pending: Map<unknown, Pending[]>; ended: boolean[] });
        const keyed = <V>(pick: (s: typeof states[number]) => Map<unknown, V>) => mergeKeyedMaps(this.config.leftKeys, pieces.map((p, i) => ({ map: pick(states[i]), keyGroups: p.keyGroups })), owned);
        this.restoreState({
            watermark: Math.min(...states.map((s) => s.watermark)), versions: keyed((s) => s.versions), pending: keyed((s) => s.pending),
            ended: [states.every((s) => s.ended[0]), states.every((s) => s.ended[1])]
        });
    }
}

/** The version with the latest time <= `ts` (versions ordered by time), by binary search. */
function latestAtOrBefore(versions: Version[], ts: number): Version | undefined {
    let lo = 0;
    let hi = versions.length; // the first index with a time > ts lies in [lo, hi]
    while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (versions[mid].ts <= ts) lo = mid + 1;
        else hi = mid;
    }
    return lo > 0 ? versions[lo - 1] : undefined;
}
