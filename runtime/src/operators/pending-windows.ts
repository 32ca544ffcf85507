/**
 * The rows of a windowed aggregate held until their window is complete, for per-window orderBy
 * and limit (Flink's window Top-N). A window aggregate subtask emits a window's rows before it
 * forwards the watermark that fired it, and a task's watermark is the minimum over all its input
 * channels: once that watermark reaches a window's end, every row of the window has arrived from
 * every upstream subtask. Ranking a window then, and only then, ranks it exactly once at any
 * parallelism. Windows still open are held; rows of an already ranked window (a late firing
 * within the allowed lateness) form a new group, ranked at the next watermark.
 */
import type { RowWindow } from '../../../protocol/logical-graph.js';
import type { Row } from './operator.js';
import { compareValues } from './row-order.js';

/**
 * Processing-time windows fire on each upstream subtask's own clock, so there is no watermark to
 * say when all their rows are in: such a window is ranked this long after its end on the clock.
 */
export const PROCESSING_TIME_GRACE_MS = 1000;

interface Pending {
    end: number;
    key: unknown[];
    rows: Row[];
}

/** Rows grouped by window, released per window once complete. */
export class PendingWindows {
    private windows = new Map<string, Pending>();

    constructor(private readonly window: RowWindow) {}

    /** The pending rows of the window `row` belongs to (a debugger's view). */
    rowsOfWindow(row: Row): Row[] {
        return this.windows.get(JSON.stringify(this.window.fields.map((f) => row[f])))?.rows ?? [];
    }

    add(rows: Row[]): void {
        const { fields, endField, endOffsetMs } = this.window;
        for (const row of rows) {
            const key = fields.map((f) => row[f]);
            const id = JSON.stringify(key);
            let pending = this.windows.get(id);
            if (pending === undefined) {
                pending = { end: Number(row[endField]) + endOffsetMs, key, rows: [] };
                this.windows.set(id, pending);
            }
            pending.rows.push(row);
        }
    }

    /** The watermark advanced: the event-time windows it completed (none for processing-time windows). */
    completedByWatermark(watermark: number): Row[][] {
        return this.window.eventTime ? this.takeComplete(watermark) : [];
    }

    /** The clock advanced: the processing-time windows it completed (none for event-time windows). */
    completedByClock(now: number): Row[][] {
        return this.window.eventTime ? [] : this.takeComplete(now - PROCESSING_TIME_GRACE_MS);
    }

    /** Removes and returns the windows whose end is at or before `time`, by end, then by window columns. */
    private takeComplete(time: number): Row[][] {
        const done: Pending[] = [];
        for (const [id, pending] of this.windows) {
            if (pending.end <= time) {
                done.push(pending);
                this.windows.delete(id);
            }
        }
        return ordered(done);
    }

    /** Removes and returns every window (end of input). */
    takeAll(): Row[][] {
        const all = [...this.windows.values()];
        this.windows = new Map();
        return ordered(all);
    }

    /** The held rows, for a snapshot. */
    rows(): Row[] {
        return [...this.windows.values()].flatMap((p) => p.rows);
    }
}

function ordered(windows: Pending[]): Row[][] {
    windows.sort((a, b) => a.end - b.end || compareKeys(a.key, b.key));
    return windows.map((w) => w.rows);
}

function compareKeys(a: unknown[], b: unknown[]): number {
    for (let i = 0; i < a.length; i++) {
        const order = compareValues(a[i], b[i]);
        if (order !== 0) return order;
    }
    return 0;
}
