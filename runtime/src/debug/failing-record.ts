/**
 * Which record of a batch made a stateless operator throw. A batch that nothing armed passes an
 * operator whole, so when it throws, the debugger replays the batch one record at a time through
 * a fresh instance of the same operator that emits nowhere: the same expressions throw on the
 * same record. Stateful operators cannot be replayed (their state moved on): no record then.
 */
import type { LogicalNode } from '../../../protocol/logical-graph.js';
import { createOperator } from '../operators/operator-factory.js';
import type { Row } from '../operators/operator.js';

const REPLAYABLE = new Set(['filter', 'map', 'flatMap']);

/** The first record of `rows` on which `node`'s operator throws, or null when it cannot be told. */
export function failingRecord(node: LogicalNode, mode: 'batch' | 'streaming', subtaskIndex: number, parallelism: number, rows: Row[]): Row | null {
    if (!REPLAYABLE.has(node.config.kind)) return null;
    try {
        const replica = createOperator(node, mode);
        void replica.open?.({
            node, subtaskIndex, parallelism, mode,
            emit: () => undefined, emitSide: () => undefined, processingTime: () => Date.now(), countDropped: () => undefined
        });
        for (const row of rows) {
            try {
                replica.processBatch([row], 0);
            } catch {
                return row;
            }
        }
    } catch {
        // The replica could not be built: the stop shows no record.
    }
    return null;
}
