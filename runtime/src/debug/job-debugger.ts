/**
 * The JobManager's side of debugging one job: it owns the job's debug control block, publishes
 * the debugger's settings into it, hears the stops and log lines of the subtasks, and wakes the
 * stopped thread with continue or step. The subtasks do the stopping (task-debug-agent.ts).
 */
import { EventEmitter } from 'node:events';
import type { DebugLogLine, DebugSettings, DebugStop } from '../../../protocol/job-debugging.js';
import type { LogicalGraph } from '../../../protocol/logical-graph.js';
import { CANCELLED, COMMAND, CONTINUE, DebugControlBlock, MAX_BREAKPOINTS, OWNER, STEP, type PublishedSettings } from './debug-control-block.js';

export interface JobDebuggerEvents {
    stopped: [DebugStop];
    continued: [];
    log: [DebugLogLine];
}

export class JobDebugger extends EventEmitter<JobDebuggerEvents> {
    readonly control = DebugControlBlock.create();
    private current: DebugStop | undefined;
    private readonly published: PublishedSettings;
    private readonly slotsById = new Map<number, number>();
    private ended = false;

    constructor(private readonly graph: LogicalGraph, settings: DebugSettings, stopOnEntry: boolean) {
        super();
        this.published = { settings, counterSlots: {}, entry: stopOnEntry, pause: false, step: null };
        this.assignCounters(settings);
        this.control.publish(this.published);
    }

    /** The current stop while the job is paused, else undefined. */
    get stop(): DebugStop | undefined {
        return this.current;
    }

    /** Replaces breakpoints and exception stops; subtasks pick them up at their next batch (a paused one on resume). */
    update(settings: DebugSettings): void {
        this.published.settings = settings;
        this.assignCounters(settings);
        this.control.publish(this.published);
    }

    /** Continues the stopped job. */
    resume(): void {
        if (!this.current) return;
        this.current = undefined;
        this.command(CONTINUE);
        this.emit('continued');
    }

    /**
     * Step over: the stopped record moves on alone; the job stops (reason `step`) at the next
     * record reaching a node right after the stopped one (any node when it has none). After an
     * exception stop it is a plain continue: the error goes on.
     */
    stepOver(): void {
        const stop = this.current;
        if (!stop) return;
        if (stop.reason === 'exception') {
            this.resume();
            return;
        }
        const targets = [...new Set(this.graph.edges.filter((e) => e.source === stop.nodeId && !e.sideOutput).map((e) => e.target))];
        this.published.step = { from: stop.nodeId, targets };
        this.control.publish(this.published);
        this.current = undefined;
        this.command(STEP);
        this.emit('continued');
    }

    /** Stops at the next record any subtask handles (reason `pause`). */
    pause(): void {
        if (this.current || this.ended) return;
        this.published.pause = true;
        this.control.publish(this.published);
    }

    /** A subtask stopped (TaskManager message). */
    onStop(stop: DebugStop): void {
        if (this.ended) return;
        // The requests that led here are fulfilled: cleared before anyone can continue.
        this.published.pause = false;
        this.published.entry = false;
        this.published.step = null;
        this.control.publish(this.published);
        this.current = stop;
        this.emit('stopped', stop);
    }

    /** A logpoint's line or a runtime note (TaskManager message). */
    onLog(line: DebugLogLine): void {
        this.emit('log', line);
    }

    /** The job is cancelled or failing: every waiting thread wakes and its task ends. */
    end(): void {
        if (this.ended) return;
        this.ended = true;
        this.current = undefined;
        const header = this.control.header;
        Atomics.store(header, CANCELLED, 1);
        Atomics.notify(header, OWNER);
        Atomics.notify(header, COMMAND);
    }

    private command(command: number): void {
        Atomics.store(this.control.header, COMMAND, command);
        Atomics.notify(this.control.header, COMMAND);
    }

    /** One hit counter per breakpoint id, kept while the breakpoint exists; freed slots restart at 0. */
    private assignCounters(settings: DebugSettings): void {
        const live = new Set(settings.breakpoints.map((b) => b.id));
        for (const id of [...this.slotsById.keys()]) if (!live.has(id)) this.slotsById.delete(id);
        const used = new Set(this.slotsById.values());
        let next = 0;
        for (const id of live) {
            if (this.slotsById.has(id)) continue;
            while (used.has(next)) next++;
            if (next >= MAX_BREAKPOINTS) throw new Error(`A debugged job can have at most ${MAX_BREAKPOINTS} breakpoints.`);
            used.add(next);
            this.slotsById.set(id, next);
            Atomics.store(this.control.counters, next, 0);
        }
        this.published.counterSlots = Object.fromEntries(this.slotsById);
    }
}
