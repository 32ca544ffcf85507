/**
 * Session windows per key: a record opens the window [ts, ts + gap); windows of the same key that
 * touch or overlap merge (as Flink's TimeWindow.intersects). A session fires once the watermark
 * (or the clock, on processing time) reaches its end. Records whose merged session would already
 * be complete are late.
 */
import type { LogicalNode } from '../../../protocol/logical-graph.js';
import { compileAggregateProjection, type Accumulator, type CompiledAggregate } from '../expressions/aggregate-compiler.js';
import { compileExpression, compileExpressionList, type CompiledExpression } from '../expressions/compile-expression.js';
import { F } from '../expressions/builtin-functions.js';
import { KeyedState } from '../state/keyed-state.js';
import type { OperatorContext, OperatorInspection, Row, StreamOperator, RescaledPiece } from './operator.js';
import { mergeKeyedMaps, type KeyGroupRange } from '../state/state-key-groups.js';
import { operatorError } from './operator-error.js';
import { routeLateRecords } from './late-records.js';

interface Session { start: number; end: number; acc: Accumulator }

/** Keyed session window aggregation. */
export class SessionWindowOperator implements StreamOperator {
    private ctx!: OperatorContext;
    private watermark = -Infinity;
    private readonly sessions = new KeyedState<Session[]>();
    private readonly aggregate: CompiledAggregate;
    private readonly key: (row: Row) => unknown;
    private readonly time: CompiledExpression | undefined;
    private readonly gap: number;
    /** The earliest end of any open session, so most watermarks need no scan. */
    private minEnd = Infinity;

    constructor(private readonly node: LogicalNode) {
        const config = node.config;
        if (config.kind !== 'aggregate' || config.window?.type !== 'session') throw new Error(`${node.id} is not a session window aggregate`);
        this.gap = config.window.gapMs;
        try {
            this.aggregate = compileAggregateProjection(config.fields, true);
            const keys = config.keys;
            if (keys.length === 0) this.key = () => 0;
            else if (keys.length === 1) this.key = compileExpression(keys[0]);
            else {
                const list = compileExpressionList(keys);
                this.key = (row) => list(row).map(F.keyPart).join('\u0000');
            }
            const field = config.window.timeField;
            this.time = field ? compileExpression({ k: 'field', name: field, type: { kind: 'timestamp', nullable: true } }) : undefined;
        } catch (err) {
            throw operatorError(node, err);
        }
    }

    open(ctx: OperatorContext): void {
        this.ctx = ctx;
    }

    processBatch(rows: Row[]): void {
        const late: Row[] = [];
        const now = this.time ? 0 : this.ctx.processingTime();
        try {
            for (const row of rows) {
                const ts = this.time ? (this.time(row) as number | null) : now;
                if (ts == null) {
                    late.push(row);
                    continue;
                }
                if (!this.add(row, ts)) late.push(row);
            }
        } catch (err) {
            throw operatorError(this.node, err);
        }
        routeLateRecords(this.ctx, late);
    }

    /** Adds `row` to its key's sessions, merging; false when the record is late. */
    /** The key's open sessions, each with its aggregate so far. */
    inspect(row: Row): OperatorInspection {
        const sessions = this.sessions.map.get(this.key(row)) ?? [];
        return {
            windows: sessions.map((s) => ({ start: s.start, end: s.end })),
            state: sessions.map((s) => ({ label: `session [${new Date(s.start).toISOString()}, ${new Date(s.end).toISOString()}) so far`, value: this.aggregate.result(s.acc, { start: s.start, end: s.end }) }))
        };
    }

    private add(row: Row, ts: number): boolean {
        const key = this.key(row);
        const list = this.sessions.map.get(key) ?? [];
        let start = ts;
        let end = ts + this.gap;
        const touching: Session[] = [];
        const rest: Session[] = [];
        for (const s of list) {
            if (s.start <= end && s.end >= start) touching.push(s);
            else rest.push(s);
        }
        for (const s of touching) {
            start = Math.min(start, s.start);
            end = Math.max(end, s.end);
        }
        if (end <= this.watermark) return false;
        touching.sort((a, b) => a.start - b.start);
        let acc: Accumulator;
        if (touching.length === 0) {
            acc = this.aggregate.create(row);
            this.aggregate.add(acc, row);
        } else {
            acc = touching[0].acc;
            for (let i = 1; i < touching.length; i++) this.aggregate.merge(acc, touching[i].acc);
            this.aggregate.add(acc, row);
        }
        rest.push({ start, end, acc });
        this.sessions.map.set(key, rest);
        if (end < this.minEnd) this.minEnd = end;
        return true;
    }

    processWatermark(watermark: number): void {
        if (!this.time || watermark <= this.watermark) return;
        this.watermark = watermark;
        this.fire(watermark);
    }

    onProcessingTime(now: number): void {
        if (!this.time) this.fire(now);
    }

    endOfInput(): void {
        this.fire(Infinity);
    }

    private fire(time: number): void {
        if (time < this.minEnd) return;
        const done: Session[] = [];
        let minEnd = Infinity;
        for (const [key, list] of this.sessions.map) {
            const open = list.filter((s) => {
                if (s.end <= time) {
                    done.push(s);
                    return false;
                }
                if (s.end < minEnd) minEnd = s.end;
                return true;
            });
            if (open.length === 0) this.sessions.map.delete(key);
            else if (open.length !== list.length) this.sessions.map.set(key, open);
        }
        this.minEnd = minEnd;
        done.sort((a, b) => a.end - b.end || a.start - b.start);
        try {
            const out = done.map((s) => this.aggregate.result(s.acc, { start: s.start, end: s.end }));
            if (out.length > 0) this.ctx.emit(out);
        } catch (err) {
            throw operatorError(this.node, err);
        }
    }

    snapshotState(): unknown {
        return { watermark: this.watermark, sessions: this.sessions.snapshot() };
    }

    restoreState(snapshot: unknown): void {
        const s = snapshot as { watermark: number; sessions: unknown };
        this.watermark = s.watermark;
        this.sessions.restore(s.sessions);
        this.minEnd = Infinity;
        for (const list of this.sessions.map.values()) for (const session of list) this.minEnd = Math.min(this.minEnd, session.end);
    }

    /** The sessions of the keys this subtask owns; the watermark is the lowest of the pieces'. */
    restoreRescaled(pieces: RescaledPiece[], owned: KeyGroupRange): void {
        const keys = this.node.config.kind === 'aggregate' ? this.node.config.keys : [];
        const states = pieces.map((p) => p.state as { watermark: number; sessions: Map<unknown, unknown> });
        this.restoreState({
            watermark: Math.min(...states.map((s) => s.watermark)),
            sessions: mergeKeyedMaps(keys, pieces.map((p, i) => ({ map: states[i].sessions, keyGroups: p.keyGroups })), owned)
        });
    }
}
