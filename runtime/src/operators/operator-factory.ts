/**
 * Creates the operator, source or sink instance for a LogicalGraph node: the one place that maps
 * node kinds and connectors to implementations. The engine calls these once per subtask.
 */
import type { LogicalNode } from '../../../protocol/logical-graph.js';
import { BlackholeSink } from '../connectors/blackhole/blackhole-sink.js';
import { CollectSink } from '../connectors/collect/collect-sink.js';
import { CsvSink } from '../connectors/csv/csv-sink.js';
import { CsvSource } from '../connectors/csv/csv-source.js';
import { DatagenSource } from '../connectors/datagen/datagen-source.js';
import { NexmarkSource } from '../connectors/nexmark/nexmark-source.js';
import { JsonlSink } from '../connectors/jsonl/jsonl-sink.js';
import { JsonlSource } from '../connectors/jsonl/jsonl-source.js';
import { PrintSink } from '../connectors/print/print-sink.js';
import { TextSource } from '../connectors/text/text-source.js';
import { ValuesSource } from '../connectors/values/values-source.js';
import { AggregateOperator } from './aggregate-operator.js';
import { DistinctOperator } from './distinct-operator.js';
import { createFilterOperator } from './filter-operator.js';
import { createFlatMapOperator } from './flat-map-operator.js';
import { IntervalJoinOperator } from './interval-join-operator.js';
import { JoinOperator } from './join-operator.js';
import { LimitOperator } from './limit-operator.js';
import { createMapOperator } from './map-operator.js';
import type { SinkFunction, SourceFunction, StreamOperator } from './operator.js';
import { OrderByOperator } from './order-by-operator.js';
import { SessionWindowOperator } from './session-window-operator.js';
import { TemporalJoinOperator } from './temporal-join-operator.js';
import { TopNOperator } from './top-n-operator.js';
import { WindowTopNOperator } from './window-top-n-operator.js';
import { OverOperator } from './over-operator.js';
import { CountWindowOperator } from './count-window-operator.js';
import { UdfOperator } from './udf-operator.js';
import { UnionOperator } from './union-operator.js';
import { UpdatingAggregateOperator } from './updating-aggregate-operator.js';
import { WindowAggregateOperator } from './window-aggregate-operator.js';

export { canEndFusedChain, fuseStatelessChain, isFusable } from './stateless-chain.js';

/** The operator for a non-source, non-sink node. */
export function createOperator(node: LogicalNode, mode: 'batch' | 'streaming'): StreamOperator {
    const config = node.config;
    switch (config.kind) {
        case 'filter': return createFilterOperator(node);
        case 'map': return createMapOperator(node);
        case 'flatMap': return createFlatMapOperator(node);
        case 'udf': return new UdfOperator(node);
        case 'aggregate':
            if (!config.window) return config.updatingInput ? new UpdatingAggregateOperator(node) : new AggregateOperator(node);
            if (config.window.type === 'count') return new CountWindowOperator(node);
            return config.window.type === 'session' ? new SessionWindowOperator(node) : new WindowAggregateOperator(node);
        case 'join':
            if (config.temporal) return new TemporalJoinOperator(node, mode);
            // The time bound applies in batch mode too, so both modes give the same result.
            return config.withinMs !== undefined ? new IntervalJoinOperator(node) : new JoinOperator(node, mode);
        case 'union': return new UnionOperator();
        case 'distinct': return new DistinctOperator(node);
        case 'orderBy': return new OrderByOperator(node);
        case 'limit': return new LimitOperator(node);
        case 'topN': return config.window ? new WindowTopNOperator(node) : new TopNOperator(node);
        case 'over': return new OverOperator(node);
        case 'source': case 'sink':
            throw new Error(`${node.name} is a ${config.kind}: use create${config.kind === 'source' ? 'Source' : 'Sink'}`);
    }
}

/** The source function for a source node. */
export function createSource(node: LogicalNode, mode: 'batch' | 'streaming'): SourceFunction {
    const config = node.config;
    if (config.kind !== 'source') throw new Error(`${node.name} is not a source`);
    if (mode === 'batch' && !config.bounded) throw new Error(`${node.name} is unbounded and cannot run in batch mode`);
    switch (config.connector) {
        case 'csv': return new CsvSource(node);
        case 'jsonl': return new JsonlSource(node);
        case 'text': return new TextSource(node);
        case 'values': return new ValuesSource(node);
        case 'datagen': return new DatagenSource(node);
        case 'nexmark.person': case 'nexmark.auction': case 'nexmark.bid': return new NexmarkSource(node);
        default: throw new Error(`${node.name}: unknown source connector "${(config as { connector: string }).connector}"`);
    }
}

/** The sink function for a sink node. */
export function createSink(node: LogicalNode): SinkFunction {
    const config = node.config;
    if (config.kind !== 'sink') throw new Error(`${node.name} is not a sink`);
    switch (config.connector) {
        case 'print': return new PrintSink(node);
        case 'csv': return new CsvSink(node);
        case 'jsonl': return new JsonlSink(node);
        case 'collect': return new CollectSink();
        case 'blackhole': return new BlackholeSink();
        default: throw new Error(`${node.name}: unknown sink connector "${(config as { connector: string }).connector}"`);
    }
}
