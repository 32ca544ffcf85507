/**
 * Event-time timers per key: a binary min-heap of (time, key), so a watermark touches only the
 * keys whose time it has passed instead of scanning every key (Flink's InternalTimerService
 * keeps its event-time timers in a heap for the same reason).
 *
 * Timers are not removed when their key's time changes or the key goes away: the owner pushes
 * a new timer and, when it pops one, checks it against its own state (lazy deletion). So a
 * popped entry may be stale; `needsCompaction` says when stale entries could outnumber live
 * ones, and `rebuild` then refills the queue from the live timers, which keeps its size in
 * proportion to the owner's live keys.
 */
export class KeyTimerQueue {
    private times: number[] = [];
    private keys: unknown[] = [];

    get size(): number {
        return this.times.length;
    }

    /** The earliest time, Infinity when empty. */
    peekTime(): number {
        return this.times.length === 0 ? Infinity : this.times[0];
    }

    /** The key of the earliest time (undefined when empty). */
    peekKey(): unknown {
        return this.keys[0];
    }

    push(time: number, key: unknown): void {
        const { times, keys } = this;
        let at = times.length;
        times.push(time);
        keys.push(key);
        while (at > 0) {
            const parent = (at - 1) >> 1;
            if (times[parent] <= time) break;
            times[at] = times[parent];
            keys[at] = keys[parent];
            at = parent;
        }
        times[at] = time;
        keys[at] = key;
    }

    /** Removes the earliest entry. */
    pop(): void {
        const { times, keys } = this;
        const lastTime = times.pop();
        const lastKey = keys.pop();
        if (times.length === 0 || lastTime === undefined) return;
        const n = times.length;
        let at = 0;
        for (;;) {
            let child = 2 * at + 1;
            if (child >= n) break;
            if (child + 1 < n && times[child + 1] < times[child]) child++;
            if (times[child] >= lastTime) break;
            times[at] = times[child];
            keys[at] = keys[child];
            at = child;
        }
        times[at] = lastTime;
        keys[at] = lastKey;
    }

    /** Whether the queue holds more than twice the `live` timers (plus some slack): time to `rebuild`. */
    needsCompaction(live: number): boolean {
        return this.times.length > 2 * live + 1024;
    }

    /** Replaces the entries with `timers` (the live ones). */
    rebuild(timers: Iterable<[unknown, number]>): void {
        this.times = [];
        this.keys = [];
        for (const [key, time] of timers) this.push(time, key);
    }
}
