/**
 * Equi-join of two inputs (input 0 = left, 1 = right), inner or left.
 * Batch: a hash join; the right input is built into a hash table, left records probe it (left
 * records that arrive before the right input ended wait). Streaming: a regular join holding both
 * inputs, emitting matches as they arrive; unmatched left records of a left join are emitted with
 * null right fields at the end of input (there are no retractions). Once a bounded right input
 * has ended (a side input: a table read from a file), its table is final, so the join becomes a
 * lookup: left records are matched and emitted without being kept, the left state is dropped, and
 * a left join emits each unmatched left record at once.
 */
import type { LogicalNode } from '../../../protocol/logical-graph.js';
import { compileJoinKey, compileJoinOutput, type JoinConfig } from './join-support.js';
import type { OperatorContext, OperatorInspection, Row, StreamOperator, RescaledPiece } from './operator.js';
import { mergeKeyedMaps, type KeyGroupRange } from '../state/state-key-groups.js';
import { operatorError } from './operator-error.js';

interface LeftEntry { row: Row; matched: boolean }

/** Hash join (batch) or regular join (streaming). */
export class JoinOperator implements StreamOperator {
    private ctx!: OperatorContext;
    private readonly config: JoinConfig;
    private readonly leftKey: (row: Row) => unknown;
    private readonly rightKey: (row: Row) => unknown;
    private readonly output: (left: Row, right: Row | null) => Row;
    private readonly right = new Map<unknown, Row[]>();
    private readonly left = new Map<unknown, LeftEntry[]>();
    /** Batch: left records that arrived before the right input was complete. */
    private pendingLeft: Row[] = [];
    private rightEnded = false;
    private leftEnded = false;

    constructor(private readonly node: LogicalNode, private readonly mode: 'batch' | 'streaming') {
        if (node.config.kind !== 'join') throw new Error(`${node.id} is not a join`);
        this.config = node.config;
        try {
            this.leftKey = compileJoinKey(this.config.leftKeys);
            this.rightKey = compileJoinKey(this.config.rightKeys);
            this.output = compileJoinOutput(this.config);
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
            if (input === 1) this.addRight(rows, out);
            else if (this.mode === 'batch' && !this.rightEnded) for (const row of rows) this.pendingLeft.push(row);
            else this.addLeft(rows, out);
        } catch (err) {
            throw operatorError(this.node, err);
        }
        if (out.length > 0) this.ctx.emit(out);
    }

    /** What is buffered for the record's key on each side. */
    inspect(row: Row, input: number): OperatorInspection {
        const key = input === 1 ? this.rightKey(row) : this.leftKey(row);
        return {
            windows: [],
            state: [
                { label: 'join buffer (left side)', value: (this.left.get(key) ?? []).map((e) => e.row) },
                { label: 'join buffer (right side)', value: this.right.get(key) ?? [] }
            ]
        };
    }

    private addRight(rows: Row[], out: Row[]): void {
        const streaming = this.mode === 'streaming';
        for (const row of rows) {
            const k = this.rightKey(row);
            if (k === undefined) continue;
            let list = this.right.get(k);
            if (list === undefined) this.right.set(k, (list = []));
            list.push(row);
            if (streaming) {
                const lefts = this.left.get(k);
                if (lefts) for (const l of lefts) {
                    l.matched = true;
                    out.push(this.output(l.row, row));
                }
            }
        }
    }

    private addLeft(rows: Row[], out: Row[]): void {
        // Kept only while the right side may still bring matches (streaming, before it ended).
        const keep = this.mode === 'streaming' && !this.rightEnded;
        const leftJoin = this.config.joinType === 'left';
        for (const row of rows) {
            const k = this.leftKey(row);
            const matches = k === undefined ? undefined : this.right.get(k);
            if (matches) for (const r of matches) out.push(this.output(row, r));
            if (keep && k !== undefined) {
                let list = this.left.get(k);
                if (list === undefined) this.left.set(k, (list = []));
                list.push({ row, matched: matches !== undefined });
            } else if (leftJoin && matches === undefined) {
                // Batch (the right side is complete) or a null key (never matches): no match is final.
                out.push(this.output(row, null));
            }
        }
    }

    endOfInput(input: number): void {
        const out: Row[] = [];
        try {
            if (input === 1) {
                this.rightEnded = true;
                const pending = this.pendingLeft;
                this.pendingLeft = [];
                if (pending.length > 0) this.addLeft(pending, out);
                // The right table is final: no kept left record can match again.
                if (this.config.joinType === 'left') {
                    for (const list of this.left.values()) for (const l of list) if (!l.matched) out.push(this.output(l.row, null));
                }
                this.left.clear();
            } else {
                this.leftEnded = true;
            }
            if (this.leftEnded && this.rightEnded) {
                if (this.config.joinType === 'left') {
                    for (const list of this.left.values()) for (const l of list) if (!l.matched) out.push(this.output(l.row, null));
                }
                this.left.clear();
                this.right.clear();
            }
        } catch (err) {
            throw operatorError(this.node, err);
        }
        if (out.length > 0) this.ctx.emit(out);
    }

    snapshotState(): unknown {
        return { left: this.left, right: this.right, pendingLeft: this.pendingLeft, rightEnded: this.rightEnded, leftEnded: this.leftEnded };
    }

    restoreState(snapshot: unknown): void {
        const s = snapshot as { left: Map<unknown, LeftEntry[]>; right: Map<unknown, Row[]>; pendingLeft: Row[]; rightEnded: boolean; leftEnded: boolean };
        this.left.clear();
        for (const [k, v] of s.left) this.left.set(k, v);
        this.right.clear();
        for (const [k, v] of s.right) this.right.set(k, v);
        this.pendingLeft = s.pendingLeft;
        this.rightEnded = s.rightEnded;
        this.leftEnded = s.leftEnded;
    }

    /** Both sides' rows of the keys this subtask owns (right rows are stored under the same key values). */
    restoreRescaled(pieces: RescaledPiece[], owned: KeyGroupRange): void {
        const states = pieces.map((p) => p.state as { left: Map<unknown, LeftEntry[]>; right: Map<unknown, Row[]>; pendingLeft: Row[]; rightEnded: boolean; leftEnded: boolean });
        if (states.some((s) => s.pendingLeft.length > 0)) throw new Error(`${this.node.id}: rows waiting for the right input's end cannot be redistributed (batch state).`);
        const keyed = (side: 'left' | 'right') => mergeKeyedMaps(this.config.leftKeys, pieces.map((p, i) => ({ map: states[i][side] as Map<unknown, unknown>, keyGroups: p.keyGroups })), owned);
        this.restoreState({
            left: keyed('left'), right: keyed('right'), pendingLeft: [],
            rightEnded: states.every((s) => s.rightEnded), leftEnded: states.every((s) => s.leftEnded)
        });
    }
}
