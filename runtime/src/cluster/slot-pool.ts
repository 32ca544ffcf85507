/**
 * The task slots of the cluster. With slot sharing, a job takes as many slots as its highest
 * parallelism; slot k holds subtask k of every vertex (one slice of the whole pipeline). Slots
 * are taken round-robin across TaskManagers, so parallel slices run on different threads.
 */

/** One slot: TaskManager index and slot number inside it. */
export interface Slot { taskManager: number; index: number; jobId: string | null }

export class SlotPool {
    readonly slots: Slot[] = [];

    constructor(readonly taskManagers: number, readonly slotsPerTaskManager: number) {
        for (let tm = 0; tm < taskManagers; tm++) {
            for (let s = 0; s < slotsPerTaskManager; s++) this.slots.push({ taskManager: tm, index: s, jobId: null });
        }
    }

    get total(): number {
        return this.slots.length;
    }

    get free(): number {
        return this.slots.filter((s) => s.jobId === null).length;
    }

    freeOn(taskManager: number): number {
        return this.slots.filter((s) => s.taskManager === taskManager && s.jobId === null).length;
    }

    /** Takes `n` free slots for `jobId`, spread over the TaskManagers with the most free slots. */
    allocate(jobId: string, n: number): Slot[] {
        if (n > this.free) throw new Error(`Only ${this.free} of ${this.total} slots are free; ${n} requested.`);
        const taken: Slot[] = [];
        while (taken.length < n) {
            let best = -1;
            for (let tm = 0; tm < this.taskManagers; tm++) {
                if (this.freeOn(tm) > 0 && (best < 0 || this.freeOn(tm) > this.freeOn(best))) best = tm;
            }
            const slot = this.slots.find((s) => s.taskManager === best && s.jobId === null)!;
            slot.jobId = jobId;
            taken.push(slot);
        }
        return taken;
    }

    /** Returns every slot of `jobId`. */
    release(jobId: string): void {
        for (const slot of this.slots) if (slot.jobId === jobId) slot.jobId = null;
    }
}
