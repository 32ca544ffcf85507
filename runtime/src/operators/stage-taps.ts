/**
 * Taps inside a fused loop: the records a stage of a fused filter/map/flatMap loop produces never
 * leave the loop, so a tap on such a node needs a hook in the loop itself. The operator keeps its
 * plain loop while no tap is open (the check is once per batch, not per record) and switches to a
 * variant compiled with a hook call after each stage while one is.
 */
import type { Row } from './operator.js';

/** Called with each record a tapped node produces while a tap is open. Must not throw. */
export type RecordHook = (row: Row) => void;

/** The tap hooks of the stages of one fused loop, by stage index. */
export class StageTaps {
    /** Read by the tapped loop variant, which calls `hooks[i]` after stage i when it is set. */
    readonly hooks: (RecordHook | null)[];
    /** True while any hook is set: the operator then runs its tapped loop variant. */
    active = false;

    constructor(stages: number) {
        this.hooks = new Array<RecordHook | null>(stages).fill(null);
    }

    set(stage: number, hook: RecordHook | null): void {
        this.hooks[stage] = hook;
        this.active = this.hooks.some((h) => h !== null);
    }
}
