/**
 * Interval join (streaming, `within`): a left and a right record with equal keys match when their
 * event times differ by at most `within`. The watermark bounds the state: a record older than
 * `watermark - within` can no longer match anything that may still arrive, so it is dropped (and a
 * left join emits it with null right fields if it never matched).
 */
import type { LogicalNode } from '../../../protocol/logical-graph.js';
import { compileJoinKey, compileJoinOutput, joinTimeFields, type JoinConfig } from './join-support.js';
import type { OperatorContext, OperatorInspection, Row, StreamOperator, RescaledPiece } from './operator.js';
import { mergeKeyedMaps, type KeyGroupRange } from '../state/state-key-groups.js';
import { operatorError } from './operator-error.js';

interface Entry { row: Row; ts: number; matched: boolean }

/** Keyed interval join of two event-time inputs. */
export class IntervalJoinOperator implements StreamOperator {
    private ctx!: OperatorContext;
    private readonly config: JoinConfig;
    private readonly within: number;
    private readonly keys: ((row: Row) => unknown)[];
    private readonly timeFields: [string, string];
    private readonly output: (left: Row, right: Row | null) => Row;
    /** Per input (0 left, 1 right): key -> buffered records. */
    private readonly buffers = [new Map<unknown, Entry[]>(), new Map<unknown, Entry[]>()];
    private watermark = -Infinity;
    private readonly ended = [false, false];

    constructor(private readonly node: LogicalNode) {
        if (node.config.kind !== 'join' || node.config.withinMs === undefined) throw new Error(`${node.id} is not an interval join`);
        this.config = node.config;
        this.within = node.config.withinMs;
        try {
            this.keys = [compileJoinKey(this.config.leftKeys), compileJoinKey(this.config.rightKeys)];
            const { left, right } = joinTimeFields(node, this.config);
            this.timeFields = [left, right];
            this.output = compileJoinOutput(this.config);
        } catch (err) {
            throw operatorError(node, err);
        }
    }

    open(ctx: OperatorContext): void {
        this.ctx = ctx;
    }

    processBatch(rows: Row[], input: number): void {
        const side = input === 1 ? 1 : 0;
        const other = this.buffers[1 - side];
        const own = this.buffers[side];
        const timeField = this.timeFields[side];
        const out: Row[] = [];
        const leftJoin = this.config.joinType === 'left';
        try {
            for (const row of rows) {
                const k = this.keys[side](row);
                const ts = row[timeField] as number | null;
                if (k === undefined || ts == null) {
                    if (side === 0 && leftJoin) out.push(this.output(row, null));
                    continue;
                }
                const entry: Entry = { row, ts, matched: false };
                const candidates = other.get(k);
                if (candidates) for (const c of candidates) {
                    if (Math.abs(c.ts - ts) > this.within) continue;
                    entry.matched = true;
                    c.matched = true;
                    out.push(side === 0 ? this.output(row, c.row) : this.output(c.row, row));
                }
                if (ts + this.within >= this.watermark) {
                    let list = own.get(k);
                    if (list === undefined) own.set(k, (list = []));
                    list.push(entry);
                } else if (side === 0 && leftJoin && !entry.matched) {
                    out.push(this.output(row, null));
                }
            }
        } catch (err) {
            throw operatorError(this.node, err);
        }
        if (out.length > 0) this.ctx.emit(out);
    }

    /**
     * Returns `watermark - within`: a record still buffered may match (or, in a left join, be
     * emitted unmatched) with a time up to `within` before the watermark, and must not arrive late
     * downstream (Flink's interval join holds back its output watermark the same way).
     */
    processWatermark(watermark: number): number {
        if (watermark > this.watermark) {
            this.watermark = watermark;
            this.evict((e) => e.ts + this.within < watermark);
        }
        return this.watermark - this.within;
    }

    endOfInput(input: number): void {
        this.ended[input === 1 ? 1 : 0] = true;
        if (this.ended[0] && this.ended[1]) this.evict(() => true);
    }

    /** Drops buffered records for which `expired` holds; a left join emits its unmatched left ones. */
    /** What is buffered for the record's key on each side (the records it may still join). */
    inspect(row: Row, input: number): OperatorInspection {
        const key = this.keys[input === 1 ? 1 : 0](row);
        return {
            windows: [],
            state: [
                { label: 'join buffer (left side)', value: (this.buffers[0].get(key) ?? []).map((e) => e.row) },
                { label: 'join buffer (right side)', value: (this.buffers[1].get(key) ?? []).map((e) => e.row) }
            ]
        };
    }

    private evict(expired: (e: Entry) => boolean): void {
        const out: Row[] = [];
        const leftJoin = this.config.joinType === 'left';
        for (let side = 0; side < 2; side++) {
            for (const [k, list] of this.buffers[side]) {
                const kept = list.filter((e) => {
                    if (!expired(e)) return true;
                    if (side === 0 && leftJoin && !e.matched) out.push(this.output(e.row, null));
                    return false;
                });
                if (kept.length === 0) this.buffers[side].delete(k);
                else if (kept.length !== list.length) this.buffers[side].set(k, kept);
            }
        }
        if (out.length > 0) this.ctx.emit(out);
    }

    snapshotState(): unknown {
        return { watermark: this.watermark, left: this.buffers[0], right: this.buffers[1], ended: this.ended };
    }

    restoreState(snapshot: unknown): void {
        const s = snapshot as { watermark: number; left: Map<unknown, Entry[]>; right: Map<unknown, Entry[]>; ended: boolean[] };
        this.watermark = s.watermark;
        this.buffers[0] = s.left;
        this.buffers[1] = s.right;
        this.ended[0] = s.ended[0];
        this.ended[1] = s.ended[1];
    }

    /** Both buffers' entries of the keys this subtask owns; the watermark is the lowest of the pieces'. */
    restoreRescaled(pieces: RescaledPiece[], owned: KeyGroupRange): void {
        const states = pieces.map((p) => p.state as { watermark: number; left: Map<unknown, Entry[]>; right: Map<unknown, Entry[]>; ended: boolean[] });
        const keyed = (side: 'left' | 'right') => mergeKeyedMaps(this.config.leftKeys, pieces.map((p, i) => ({ map: states[i][side], keyGroups: p.keyGroups })), owned);
        this.restoreState({
            watermark: Math.min(...states.map((s) => s.watermark)), left: keyed('left'), right: keyed('right'),
            ended: [states.every((s) => s.ended[0]), states.every((s) => s.ended[1])]
        });
    }
}
