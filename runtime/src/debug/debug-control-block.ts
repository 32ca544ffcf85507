/**
 * The "debug control block" of one debugged job: a SharedArrayBuffer every subtask of the job
 * shares with the JobManager. An Int32 header (who holds the stop, the command for the holder, the
 * settings version, cancelled), one hit counter per breakpoint, and a byte area with the current
 * settings as JSON. Only the JobManager writes the settings (a seqlock: the version is odd while
 * it writes); subtasks re-read them when the version changed, so a subtask's hot path is one
 * Atomics.load of the owner word and one of the version per batch.
 */
import type { DebugSettings } from '../../../protocol/job-debugging.js';

/** Int32 header slots. */
export const OWNER = 0;      // 0: running; else the id of the TaskManager thread holding the stop (index + 1)
export const COMMAND = 1;    // for the stop holder: 0 none yet, CONTINUE, STEP
export const VERSION = 2;    // settings version, odd while being written
export const CANCELLED = 3;  // 1 once the job is cancelled: every waiter returns
export const LENGTH = 4;     // bytes of settings JSON
const HEADER_SLOTS = 8;

export const CONTINUE = 1;
export const STEP = 2;

/** Hit counters: one Int32 per breakpoint slot (slots are assigned by the JobManager, per breakpoint id). */
export const MAX_BREAKPOINTS = 1024;
const SETTINGS_BYTES = 1 << 20;

/** What the JobManager publishes: the debugger's settings plus the runtime's own requests. */
export interface PublishedSettings {
    settings: DebugSettings;
    /** Breakpoint id -> its hit counter slot. */
    counterSlots: Record<number, number>;
    /** Stop at the first record any source reads (stopOnEntry). */
    entry: boolean;
    /** Stop at the next record anywhere (Pause). */
    pause: boolean;
    /** Step over in progress: stop at the next record reaching one of `targets` (empty: any node). */
    step: { from: string; targets: string[] } | null;
}

export class DebugControlBlock {
    readonly header: Int32Array;
    readonly counters: Int32Array;
    private readonly bytes: Uint8Array;

    constructor(readonly buffer: SharedArrayBuffer) {
        this.header = new Int32Array(buffer, 0, HEADER_SLOTS);
        this.counters = new Int32Array(buffer, HEADER_SLOTS * 4, MAX_BREAKPOINTS);
        this.bytes = new Uint8Array(buffer, (HEADER_SLOTS + MAX_BREAKPOINTS) * 4);
    }

    static create(): DebugControlBlock {
        return new DebugControlBlock(new SharedArrayBuffer((HEADER_SLOTS + MAX_BREAKPOINTS) * 4 + SETTINGS_BYTES));
    }

    /** JobManager only: publishes new settings (version goes odd, bytes, version goes even). */
    publish(published: PublishedSettings): void {
        const encoded = new TextEncoder().encode(JSON.stringify(published));
        if (encoded.length > this.bytes.length) {
            throw new Error(`The debug settings take ${encoded.length} bytes as JSON, more than the ${this.bytes.length} the runtime reserves for them: set fewer breakpoints or shorter conditions.`);
        }
        Atomics.add(this.header, VERSION, 1);
        this.bytes.set(encoded);
        Atomics.store(this.header, LENGTH, encoded.length);
        Atomics.add(this.header, VERSION, 1);
    }

    /** Subtasks: the settings and their version, read consistently (retries while the JobManager writes). */
    read(): { version: number; published: PublishedSettings } {
        for (;;) {
            const before = Atomics.load(this.header, VERSION);
            if (before % 2 === 1) continue;
            const length = Atomics.load(this.header, LENGTH);
            // TextDecoder does not read shared memory: copy out first.
            const copy = this.bytes.slice(0, length);
            if (Atomics.load(this.header, VERSION) !== before) continue;
            return { version: before, published: JSON.parse(new TextDecoder().decode(copy)) as PublishedSettings };
        }
    }

    get cancelled(): boolean {
        return Atomics.load(this.header, CANCELLED) === 1;
    }
}
