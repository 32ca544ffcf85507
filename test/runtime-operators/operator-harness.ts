/**
 * Drives real operators, sources and sinks (made by the public factory functions) the way a task
 * does: batches in, watermarks, end of input; it records what they emit, side outputs and counts.
 */
import type { LogicalNode } from '../../protocol/logical-graph.js';
import { createOperator, createSink, createSource } from '../../runtime/src/operators/operator-factory.js';
import type { OperatorContext, Row, SideOutputTag, SourceContext, StreamOperator } from '../../runtime/src/operators/operator.js';

/** Everything an operator or source did. */
export interface Recorded {
    rows: Row[];
    side: Record<string, Row[]>;
    dropped: Record<string, number>;
    watermarks: number[];
    idle: boolean[];
    printed: string;
    collected: Row[];
    /** Emitted batches in order, with watermarks between them, for ordering checks. */
    events: ({ rows: Row[] } | { watermark: number })[];
}

function newRecorded(): Recorded {
    return { rows: [], side: {}, dropped: {}, watermarks: [], idle: [], printed: '', collected: [], events: [] };
}

/** An operator context recording into `rec`. */
export function recordingContext(node: LogicalNode, mode: 'batch' | 'streaming', rec: Recorded, subtaskIndex = 0, parallelism = 1, clock = { now: 0 }): OperatorContext {
    return {
        node, subtaskIndex, parallelism, mode,
        emit: (rows) => {
            rec.rows.push(...rows);
            rec.events.push({ rows: [...rows] });
        },
        emitSide: (tag: SideOutputTag, rows) => {
            (rec.side[tag] ??= []).push(...rows);
        },
        processingTime: () => clock.now,
        countDropped: (reason, n) => {
            rec.dropped[reason] = (rec.dropped[reason] ?? 0) + n;
        },
        output: (text) => {
            rec.printed += text;
        },
        collect: (rows) => {
            rec.collected.push(...rows);
        }
    };
}

/** One step of input for an operator. */
export type Step =
    | { rows: Row[]; input?: number }
    | { watermark: number }
    | { end: number }
    | { time: number };

/** Runs `node`'s operator over `steps`; ends every input named in `inputs` at the end unless ended already. */
export async function runOperator(node: LogicalNode, mode: 'batch' | 'streaming', steps: Step[], inputs = 1): Promise<Recorded> {
    const rec = newRecorded();
    const clock = { now: 0 };
    const op: StreamOperator = createOperator(node, mode);
    await op.open?.(recordingContext(node, mode, rec, 0, 1, clock));
    const ended = new Set<number>();
    for (const step of steps) {
        if ('rows' in step) op.processBatch(step.rows, step.input ?? 0);
        else if ('watermark' in step) {
            // What the task forwards: the operator's held-back watermark when it returns one.
            const forwarded = op.processWatermark?.(step.watermark);
            rec.events.push({ watermark: typeof forwarded === 'number' ? forwarded : step.watermark });
        } else if ('end' in step) {
            ended.add(step.end);
            op.endOfInput?.(step.end);
        } else {
            clock.now = step.time;
            op.onProcessingTime?.(step.time);
        }
    }
    for (let i = 0; i < inputs; i++) if (!ended.has(i)) op.endOfInput?.(i);
    await op.close?.();
    return rec;
}

/** Runs a source instance to completion (or until `limit` records), recording what it emits. */
export async function runSource(node: LogicalNode, mode: 'batch' | 'streaming', subtaskIndex = 0, parallelism = 1, limit = Infinity): Promise<Recorded> {
    const rec = newRecorded();
    const base = recordingContext(node, mode, rec, subtaskIndex, parallelism);
    const ctx: SourceContext & { cancelled: boolean } = {
        ...base,
        cancelled: false,
        emit: (rows) => {
            base.emit(rows);
            if (rec.rows.length >= limit) ctx.cancelled = true;
        },
        emitWatermark: (wm) => {
            rec.watermarks.push(wm);
            rec.events.push({ watermark: wm });
        },
        markIdle: (idle) => {
            rec.idle.push(idle);
        },
        waitForCapacity: async () => {},
        reportProgress: () => {}
    };
    await createSource(node, mode).run(ctx);
    return rec;
}

/** Writes `batches` through a sink, then commits it (or aborts it when `abort`). */
export async function runSink(node: LogicalNode, batches: Row[][], options: { abort?: boolean; subtaskIndex?: number; parallelism?: number } = {}): Promise<Recorded> {
    const rec = newRecorded();
    const sink = createSink(node);
    await sink.open?.(recordingContext(node, 'batch', rec, options.subtaskIndex ?? 0, options.parallelism ?? 1));
    for (const rows of batches) await sink.write(rows);
    if (options.abort) await sink.abort?.();
    else await sink.commit?.();
    return rec;
}
