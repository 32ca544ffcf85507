/**
 * Keyed state of one operator instance: a value per key. Operators use the map directly in their
 * hot loops; `snapshot` hands the live map to the checkpoint, which serialises it at once (see
 * StreamOperator.snapshotState), and `restore` adopts a deserialised one.
 */

/** A value per key, checkpointed as its live map. */
export class KeyedState<V> {
    /** The live entries; operators read and write it in their loops. */
    readonly map = new Map<unknown, V>();

    get size(): number {
        return this.map.size;
    }

    /** The live map, for a checkpoint to serialise before the next record (not a copy). */
    snapshot(): unknown {
        return this.map;
    }

    /** Replaces the state with a deserialised snapshot taken by `snapshot`. */
    restore(snapshot: unknown): void {
        this.map.clear();
        for (const [k, v] of snapshot as Map<unknown, V>) this.map.set(k, v);
    }
}
