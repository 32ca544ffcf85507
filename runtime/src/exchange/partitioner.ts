/**
 * Partitioners decide which downstream channel each record goes to; they know nothing about
 * operators, and operators know nothing about them.
 */
import type { Expr, ShipStrategy } from '../../../protocol/logical-graph.js';
import type { ColumnBatch } from '../operators/column-batch.js';
import type { Row } from '../operators/operator.js';
import { BroadcastPartitioner } from './broadcast-partitioner.js';
import { ForwardPartitioner } from './forward-partitioner.js';
import { HashPartitioner } from './hash-partitioner.js';
import { RebalancePartitioner } from './rebalance-partitioner.js';

/** Appends each row of a batch to the buffer of the channel(s) it goes to. */
export interface Partitioner {
    partition(rows: Row[], buffers: Row[][]): void;
    /** Keyed partitioners: the channel (of `channels`) a record goes to. */
    channelOf?(row: Row, channels: number): number;
    /**
     * Keyed partitioners: fills `targets[i]` with the channel of record i of a column batch, from
     * its key columns; false when it cannot (the caller routes rows instead).
     */
    channelsOfColumns?(batch: ColumnBatch, targets: Int32Array, channels: number): boolean;
}

/** The partitioner for an edge's ship strategy; `subtaskIndex` staggers round-robin starts. */
export function createPartitioner(ship: ShipStrategy, keys: Expr[] | undefined, subtaskIndex: number): Partitioner {
    switch (ship) {
        case 'FORWARD': return new ForwardPartitioner();
        case 'REBALANCE': return new RebalancePartitioner(subtaskIndex);
        case 'BROADCAST': return new BroadcastPartitioner();
        case 'HASH': return new HashPartitioner(keys ?? []);
    }
}
