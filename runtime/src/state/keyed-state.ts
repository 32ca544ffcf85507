/**
 * Keyed state of one operator instance: a value per key. Operators use the map directly in their
 * hot loops; `snapshot`/`restore` turn it into plain, structured-clone-safe data so checkpoints
 * (a later issue) can store it without knowing what the operator keeps.
 */
import { toPlainData, fromPlainData } from './plain-data.js';

/** A value per key, snapshot-able as plain data. */
export class KeyedState<V> {
    /** The live entries; operators read and write it in their loops. */
    readonly map = new Map<unknown, V>();

    get size(): number {
        return this.map.size;
    }

    /** The state as plain data (arrays and objects only). */
    snapshot(): unknown {
        return toPlainData([...this.map]);
    }

    /** Replaces the state with a snapshot taken by `snapshot`. */
    restore(snapshot: unknown): void {
        this.map.clear();
        for (const [k, v] of fromPlainData(snapshot) as [unknown, V][]) this.map.set(k, v);
    }
}
