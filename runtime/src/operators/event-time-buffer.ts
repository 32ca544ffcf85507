/**
 * Rows held per key until the watermark passes their time, then released in event-time order
 * (ties broken by the whole row, row-order.ts), as Flink's OVER windows and our count windows on
 * event time order them: the order is then a function of the rows alone, not of arrival order or
 * parallelism, so batch and streaming (and p=1 and p=2) see each key's rows in the same order.
 */
import type { Row } from './operator.js';
import type { RowComparator } from './row-order.js';

export class EventTimeRowBuffer {
    /** Rows not yet released, per key. */
    private pending = new Map<unknown, Row[]>();

    constructor(private readonly timeOf: (row: Row) => unknown, private readonly compare: RowComparator) {}

    add(key: unknown, row: Row): void {
        let rows = this.pending.get(key);
        if (rows === undefined) {
            rows = [];
            this.pending.set(key, rows);
        }
        rows.push(row);
    }

    /**
     * Calls `release` for each key with the rows whose time is before `watermark` (all of them for
     * Infinity), in order; keys in the order of their first released row, so output is deterministic.
     */
    releaseBefore(watermark: number, release: (key: unknown, rows: Row[]) => void): void {
        const ready: { key: unknown; rows: Row[] }[] = [];
        for (const [key, rows] of this.pending) {
            const due = watermark === Infinity ? rows : rows.filter((r) => (this.timeOf(r) as number) < watermark);
            if (due.length === 0) continue;
            if (due.length === rows.length) this.pending.delete(key);
            else this.pending.set(key, rows.filter((r) => (this.timeOf(r) as number) >= watermark));
            due.sort(this.compare);
            ready.push({ key, rows: due });
        }
        ready.sort((a, b) => this.compare(a.rows[0], b.rows[0]));
        for (const { key, rows } of ready) release(key, rows);
    }

    /** The rows of `key` not yet released (for a debugger's inspection). */
    pendingOf(key: unknown): Row[] {
        return this.pending.get(key) ?? [];
    }

    snapshot(): [unknown, Row[]][] {
        return [...this.pending].map(([k, rows]) => [k, [...rows]]);
    }

    restore(entries: [unknown, Row[]][]): void {
        this.pending = new Map(entries);
    }
}
