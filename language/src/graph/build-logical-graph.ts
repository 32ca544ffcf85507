/**
 * Translates a checked pipeline into its LogicalGraph: one node per source, operator and sink
 * (keyBy, window, rebalance, broadcast and parallelism shape edges and nodes rather than being
 * nodes, as in Flink), edges with ship strategies, output schemas, parallelism and source ranges.
 */
import * as path from 'node:path';
import { AstUtils, type AstNode } from 'langium';
import {
    logicalGraphVersionFor, type Expr, type LogicalEdge, type LogicalGraph, type LogicalNode, type NodeConfig,
    type SchemaField, type ShipStrategy, type SourceConfig, type SourceLocation, type WindowSpec
} from '../../../protocol/logical-graph.js';
import {
    type Connector, type Expression, type JoinOp, type Operator, type Pipeline, type Sink, type Source, type Stream,
    type StreamRef, type WindowOp, isBinaryExpr, isBroadcastOp, isGeneratedField, isJoinOp, isKeyByOp, isMemberAccess,
    isNameRef, isOnErrorOption, isParallelismOp, isRebalanceOp, isSessionWindow, isSink, isSlidingWindow, isSource,
    isStream, isStringLiteral, isWatermarkOption, isWindowOp, isBooleanLiteral, isNumberLiteral, isUnaryExpr, isCountWindow,
    isCumulateWindow
} from '../generated/ast.js';
import type { FlowServices } from '../flow-module.js';
import type { CheckpointingSettings } from '../../../protocol/checkpoints.js';
import { checkpointingOf, restartStrategyOf } from './job-settings.js';
import { durationToMs } from '../typing/durations.js';
import { toFlowType } from '../typing/flow-types.js';
import { pipelineMode, pipelineParallelism, sourcesUsedBy } from '../typing/pipeline-facts.js';
import { rowWindowOf } from '../typing/row-window.js';
import { finalOnWatermark } from '../typing/updating-rows.js';
import { topNConfig } from './top-n-config.js';
import { eventTimeFieldsAt, overTimeField, singleEventTimeFieldAt } from '../typing/over-time.js';
import type { StreamSchema } from '../typing/stream-schema.js';
import { ExpressionLowering, ORIGINAL_NAME, constantValue } from './lower-expression.js';
import { eventTimeEntries, sourcesUpstreamOf } from '../typing/event-time-fields.js';

/** Where records leave a node: its main output or one of its side outputs. */
interface Port { nodeId: string; sideOutput?: 'deadLetter' | 'late' }

/** An edge whose ship strategy may still be decided by parallelism (FORWARD or REBALANCE). */
type PendingEdge = Omit<LogicalEdge, 'ship'> & { ship?: ShipStrategy };

/** Connectors whose single file is written by one subtask (sinks), or read by one (a test's given sources, which keep their order). */
export const SINGLE_INSTANCE_CONNECTORS = new Set(['csv', 'jsonl', 'text', 'values', 'collect']);
/**
 * Sources that run as one instance: inline values. File sources (csv, jsonl, text) run at the
 * pipeline's parallelism, each subtask reading its splits of the files (docs/runtime.md).
 */
export const SINGLE_INSTANCE_SOURCES = new Set(['values']);

/** What a run may change of a pipeline as written (`flowline run --mode/--parallelism`). */
export interface PipelineOverrides {
    mode?: 'batch' | 'streaming';
    parallelism?: number;
}

export class LogicalGraphBuilder {
    private readonly lowering: ExpressionLowering;

    constructor(private readonly services: FlowServices) {
        this.lowering = new ExpressionLowering(services.typing.ExpressionTyper);
    }

    build(pipeline: Pipeline, overrides: PipelineOverrides = {}): LogicalGraph {
        return new PipelineTranslation(this.services, this.lowering, pipeline, overrides).translate();
    }
}

class PipelineTranslation {
    private readonly nodes: LogicalNode[] = [];
    private readonly edges: PendingEdge[] = [];
    private readonly ports = new Map<AstNode, Port>();
    private readonly mode: 'batch' | 'streaming';
    private readonly parallelism: number;
    private readonly baseDir: string;

    constructor(
        private readonly services: FlowServices, private readonly lowering: ExpressionLowering, private readonly pipeline: Pipeline,
        overrides: PipelineOverrides
    ) {
        this.mode = overrides.mode ?? pipelineMode(pipeline, services.typing.SchemaInference);
        this.parallelism = overrides.parallelism ?? pipelineParallelism(pipeline);
        this.baseDir = path.dirname(AstUtils.getDocument(pipeline).uri.fsPath);
    }

    translate(): LogicalGraph {
        for (const source of sourcesUsedBy(this.pipeline)) {
            this.ports.set(source, { nodeId: this.addSource(source) });
        }
        for (const member of this.pipeline.members) {
            if (isStream(member)) {
                this.streamPort(member);
            }
        }
        this.pipeline.members.filter(isSink).forEach((sink, i) => this.addSink(sink, i));
        const byId = new Map(this.nodes.map((n) => [n.id, n]));
        const edges: LogicalEdge[] = this.edges.map((e) => ({
            ...e,
            ship: e.ship ?? (byId.get(e.source)!.parallelism === byId.get(e.target)!.parallelism ? 'FORWARD' : 'REBALANCE')
        }));
        const checkpointing = this.checkpointing();
        const restartStrategy = restartStrategyOf(this.pipeline);
        return {
            version: logicalGraphVersionFor(this.nodes), pipeline: this.pipeline.name, mode: this.mode, parallelism: this.parallelism,
            nodes: this.nodes, edges, location: locationOf(this.pipeline),
            ...(checkpointing ? { checkpointing } : {}), ...(restartStrategy ? { restartStrategy } : {})
        };
    }

    /** The header's `checkpoint every ...`; none in batch mode, where (as in Flink) a job takes no checkpoints. */
    private checkpointing(): CheckpointingSettings | undefined {
        return this.mode === 'batch' ? undefined : checkpointingOf(this.pipeline);
    }

    private get inference() {
        return this.services.typing.SchemaInference;
    }

    private addSource(source: Source): string {
        const id = `${this.pipeline.name}/source/${source.name}`;
        const schema = this.inference.schemaOfStream(source);
        const kind = source.connector.kind as SourceConfig['connector'];
        const options = this.connectorOptions(source.connector);
        const watermark = source.options.find(isWatermarkOption);
        const config: SourceConfig = {
            kind: 'source', sourceName: source.name, connector: kind, options, bounded: schema.bounded,
            onError: source.options.find(isOnErrorOption)?.policy ?? 'fail'
        };
        // A shared source of an imported file reads paths relative to that file.
        const filePath = this.connectorPath(source.connector, path.dirname(AstUtils.getDocument(source).uri.fsPath));
        if (filePath) config.path = filePath;
        if (watermark) {
            config.watermark = { field: watermark.field.field.$refText, delayMs: watermark.delay ? durationToMs(watermark.delay) : 0 };
            if (watermark.idle) config.watermark.idleMs = durationToMs(watermark.idle);
        }
        if (kind === 'values') {
            config.values = source.connector.args.map((a) => constantValue(this.lowering.lower(a.value)) as Record<string, unknown>);
        }
        if (kind === 'datagen') {
            config.generators = source.options.filter(isGeneratedField).map((g) => ({ name: g.name, expr: this.lowering.lower(g.value) }));
        }
        this.nodes.push({
            id, name: `source: ${source.name}`, description: `${source.name} = ${textOf(source.connector)}`, config,
            schema: fieldsOf(schema), parallelism: SINGLE_INSTANCE_SOURCES.has(kind) ? 1 : this.parallelism,
            ...(SINGLE_INSTANCE_SOURCES.has(kind) ? { parallelismPinned: true } : {}),
            location: locationOf(source), ...(config.onError === 'deadLetter' ? { sideOutputs: ['deadLetter' as const] } : {})
        });
        return id;
    }

    /** The port of a stream reference (translating the stream first if needed). */
    private refPort(ref: StreamRef): Port {
        const target = ref.stream.ref!;
        if (isSource(target)) {
            const port = this.ports.get(target)!;
            return ref.side === 'deadLetter' ? { nodeId: port.nodeId, sideOutput: 'deadLetter' } : port;
        }
        const port = this.streamPort(target);
        if (ref.side === 'late') {
            const windowAggregate = this.lateNodeOf(target);
            return { nodeId: windowAggregate, sideOutput: 'late' };
        }
        return port;
    }

    private streamPort(stream: Stream): Port {
        const known = this.ports.get(stream);
        if (known) {
            return known;
        }
        let current = this.refPort(stream.input);
        let ship: ShipStrategy | undefined;
        let keys: Expr[] | undefined;
        let window: WindowOp | undefined;
        for (const [index, op] of stream.operators.entries()) {
            if (isKeyByOp(op)) {
                keys = op.keys.map((k) => this.lowering.lower(k));
                continue;
            }
            if (isWindowOp(op)) {
                window = op;
                continue;
            }
            if (op.$type === 'UpsertOp') {
                continue; // only marks the rows as plain rows: the nodes after it carry no changelog
            }
            if (isRebalanceOp(op) || isBroadcastOp(op)) {
                ship = isRebalanceOp(op) ? 'REBALANCE' : 'BROADCAST';
                continue;
            }
            if (isParallelismOp(op)) {
                const previous = this.nodes.find((n) => n.id === current.nodeId)!;
                previous.parallelism = op.value;
                previous.parallelismPinned = true;
                continue;
            }
            const id = `${this.pipeline.name}/${stream.name}/${index}-${opKind(op)}`;
            const node = this.operatorNode(id, op, keys, window);
            this.nodes.push(node);
            if (isJoinOp(op)) {
                this.addJoinEdges(op, node, current);
            } else {
                const keyed = (node.config.kind === 'aggregate' || node.config.kind === 'topN' || node.config.kind === 'over') && keys !== undefined;
                const distinct = node.config.kind === 'distinct';
                const edgeShip = keyed || distinct ? 'HASH' : ship;
                const edgeKeys = keyed ? keys : distinct ? this.allFields(this.inference.inputSchemaOf(op)) : undefined;
                this.addEdge(current, id, edgeShip, edgeKeys, 0);
                if (op.$type === 'UnionOp') {
                    op.others.forEach((other, i) => this.addEdge(this.refPort(other), id, ship, undefined, i + 1));
                }
            }
            if (node.config.kind === 'aggregate' || node.config.kind === 'topN' || node.config.kind === 'over') {
                keys = undefined;
                window = undefined;
            }
            ship = undefined;
            current = { nodeId: id };
        }
        this.ports.set(stream, current);
        return current;
    }

    private operatorNode(id: string, op: Operator, keys: Expr[] | undefined, window: WindowOp | undefined): LogicalNode {
        const input = this.inference.inputSchemaOf(op);
        const output = this.inference.outputSchemaOf(op);
        let config: NodeConfig;
        let parallelism = this.parallelism;
        let pinned = false; // parallelism fixed by what the operator is
        let name: string = opKind(op);
        const sideOutputs: ('late')[] = [];
        switch (op.$type) {
            case 'FilterOp':
                config = op.udf
                    ? { kind: 'udf', role: 'filter', file: path.resolve(this.baseDir, op.udf.file), exportName: op.udf.export }
                    : { kind: 'filter', predicate: this.lowering.lower(op.condition!) };
                break;
            case 'MapOp':
                config = op.udf
                    ? { kind: 'udf', role: 'map', file: path.resolve(this.baseDir, op.udf.file), exportName: op.udf.export }
                    : { kind: 'map', fields: this.namedExprs(op.projection!.items, output) };
                break;
            case 'FlatMapOp':
                config = { kind: 'flatMap', value: this.lowering.lower(op.value), as: op.name };
                break;
            case 'AggregateOp':
            case 'ReduceOp': {
                const windowSpec = window ? this.windowSpec(window) : undefined;
                config = {
                    kind: 'aggregate', keys: keys ?? [], fields: this.namedExprs(op.projection.items, output),
                    // Batch mode emits final rows only, for reduce too; after a window, reduce emits
                    // when the window fires, like aggregate (docs/language.md, reduce).
                    rolling: this.mode === 'streaming' && !windowSpec
                };
                // Over updates (streaming; the checker let only whole update keys into a group): retract each replaced row.
                const updatingKey = this.mode === 'streaming' && !windowSpec ? input.updating?.keyFields : undefined;
                if (updatingKey) {
                    config.updatingInput = { keyFields: updatingKey };
                    name = `${name} (retracting updates)`;
                }
                if (windowSpec) {
                    config.window = windowSpec;
                    name = `window ${windowSpec.type} aggregate`;
                    if (windowSpec.timeField && windowSpec.type !== 'count') sideOutputs.push('late');
                }
                if (!keys) {
                    parallelism = 1; // a global aggregation has one instance
                    pinned = true;
                }
                break;
            }
            case 'JoinOp':
                config = this.joinConfig(op, input, output);
                if (op.asOf) name = 'temporal join';
                break;
            case 'UnionOp':
                config = { kind: 'union' };
                break;
            case 'DistinctOp':
                config = { kind: 'distinct' };
                break;
            case 'OrderByOp':
            case 'LimitOp': {
                // After a windowed aggregate: per window, unless `across windows` (Flink's window Top-N).
                const window = input.windowedRows && !op.acrossWindows ? rowWindowOf(input, this.inference) : undefined;
                const across = (input.windowedRows && op.acrossWindows) || input.acrossWindows === true;
                const where = window ? { window } : across ? { acrossWindows: true } : {};
                config = op.$type === 'LimitOp'
                    ? { kind: 'limit', count: op.count, ...where }
                    : { kind: 'orderBy', keys: op.keys.map((k) => ({ expr: this.lowering.lower(k.value), descending: k.direction === 'desc' })), ...where };
                parallelism = 1; // a ranking needs all the rows (of a window) in one instance
                pinned = true;
                break;
            }
            case 'TopOp':
            case 'KeepOp': {
                // Right after a windowed aggregate `top` ranks each window once it is complete (window Top-N).
                const rowWindow = op.$type === 'TopOp' && input.windowedRows ? rowWindowOf(input, this.inference) : undefined;
                // `until`: the output watermark waits for the open keys' rows, on their event-time fields.
                const timeFields = op.$type === 'KeepOp' && op.until ? eventTimeFieldsAt(op, this.inference) : undefined;
                config = topNConfig(op, keys, finalOnWatermark(op, input), (e) => this.lowering.lower(e), rowWindow, timeFields);
                name = op.$type === 'TopOp' ? (rowWindow ? 'window top' : 'top') : `keep ${op.which}`;
                if (!keys) {
                    parallelism = 1; // one global ranking
                    pinned = true;
                }
                break;
            }
            case 'OverOp': {
                const timeField = overTimeField(op, this.inference);
                if (!timeField) throw new Error(`internal: ${textOf(op)} has no event-time field (the checker reports this)`);
                config = {
                    kind: 'over', keys: keys ?? [], timeField, fields: op.projection.items.map((item) => ({ name: item.name ?? '', expr: this.lowering.lower(item.value) })),
                    ...(op.rows !== undefined ? { rows: op.rows } : { rangeMs: durationToMs(op.range!) })
                };
                name = op.rows !== undefined ? `over last ${op.rows} rows` : `over last ${op.range}`;
                if (!keys) {
                    parallelism = 1; // one ordering of all the rows
                    pinned = true;
                }
                break;
            }
            default:
                throw new Error(`Operator ${op.$type} has no node.`);
        }
        return {
            id, name, description: textOf(op), config, schema: fieldsOf(output), parallelism,
            ...(pinned ? { parallelismPinned: true } : {}),
            location: locationOf(op), ...(sideOutputs.length ? { sideOutputs } : {}),
            ...this.changelogOf(output)
        };
    }

    /** The changelog a node's output is, in streaming mode (batch mode emits final rows). */
    private changelogOf(schema: StreamSchema): Pick<LogicalNode, 'changelog'> {
        if (this.mode !== 'streaming' || !schema.updating) return {};
        const keyFields = schema.updating.keyFields;
        return { changelog: { kind: 'upsert', ...(keyFields ? { keyFields } : {}) } };
    }

    private joinConfig(op: JoinOp, left: StreamSchema, output: StreamSchema): NodeConfig {
        const pairs = equalities(op.condition);
        const rightName = op.right.stream.$refText;
        const leftKeys: Expr[] = [];
        const rightKeys: Expr[] = [];
        for (const [a, b] of pairs) {
            const aIsRight = refersTo(a, rightName, left);
            const [l, r] = aIsRight ? [b, a] : [a, b];
            leftKeys.push(this.lowering.lower(l));
            rightKeys.push(this.lowering.lower(r, ORIGINAL_NAME));
        }
        return {
            kind: 'join', joinType: op.left ? 'left' : 'inner', leftKeys, rightKeys,
            ...(op.within ? { withinMs: durationToMs(op.within) } : {}),
            ...(op.asOf ? this.temporalTimes(op, left) : {}),
            leftFields: left.fields.map((f) => f.name),
            // The join's output lists the left fields, then the right ones (renamed where they clash).
            rightFields: output.fields.slice(left.fields.length)
                .map((f) => ({ from: f.originalName ?? f.name, as: f.name }))
        };
    }

    /** A temporal join's two times: the left record's (`as of`) and the right side's version time. */
    private temporalTimes(op: JoinOp, left: StreamSchema): { temporal: true; leftTimeField: string; rightTimeField: string } {
        const leftTime = left.fields.find((f) => f.declaration !== undefined && f.declaration === op.asOf?.field.ref)?.name ?? op.asOf!.field.$refText;
        const right = this.inference.schemaOfStreamRef(op.right);
        const rightTime = eventTimeEntries(right, sourcesUpstreamOf([op.right]))[0];
        if (!rightTime) throw new Error(`internal: the temporal join ${textOf(op)} has no version time on its right side (the checker reports this)`);
        return { temporal: true, leftTimeField: leftTime, rightTimeField: rightTime.name };
    }

    private addJoinEdges(op: JoinOp, node: LogicalNode, leftPort: Port): void {
        if (node.config.kind !== 'join') return;
        this.addEdge(leftPort, node.id, 'HASH', node.config.leftKeys, 'left');
        this.addEdge(this.refPort(op.right), node.id, 'HASH', node.config.rightKeys, 'right');
    }

    private addSink(sink: Sink, index: number): void {
        const id = `${this.pipeline.name}/sink/${index}`;
        const connector = sink.connector.kind as 'print' | 'csv' | 'jsonl' | 'collect' | 'blackhole';
        const port = this.refPort(sink.input);
        const from = this.nodes.find((n) => n.id === port.nodeId)!;
        const schema = fieldsOf(this.inference.schemaOfStreamRef(sink.input));
        const filePath = this.connectorPath(sink.connector);
        const partitionBy = sink.partitionBy.map((f) => f.field?.$refText ?? '');
        const partitions = partitionBy.length > 0 ? ` partitioned by ${partitionBy.join(', ')}` : '';
        this.nodes.push({
            id, name: `sink: ${connector}`, description: `${textOf(sink.input)} -> ${textOf(sink.connector)}${partitions}`,
            config: {
                kind: 'sink', connector, options: this.connectorOptions(sink.connector), ...(filePath ? { path: filePath } : {}),
                ...(partitionBy.length > 0 ? { partitionBy } : {})
            },
            schema, parallelism: SINGLE_INSTANCE_CONNECTORS.has(connector) ? 1 : from.parallelism,
            ...(SINGLE_INSTANCE_CONNECTORS.has(connector) || from.parallelismPinned ? { parallelismPinned: true } : {}),
            location: locationOf(sink), ...this.changelogOf(this.inference.schemaOfStreamRef(sink.input))
        });
        this.addEdge(port, id, undefined, undefined, 0);
    }

    private addEdge(from: Port, target: string, ship: ShipStrategy | undefined, keys: Expr[] | undefined, input: LogicalEdge['input']): void {
        const edge: PendingEdge = { source: from.nodeId, target, input };
        if (ship) edge.ship = ship;
        if (keys) edge.keys = keys;
        if (from.sideOutput) edge.sideOutput = from.sideOutput;
        this.edges.push(edge);
    }

    private lateNodeOf(stream: Stream): string {
        const index = stream.operators.findIndex((o, i) => i > stream.operators.findIndex(isWindowOp) && (o.$type === 'AggregateOp' || o.$type === 'ReduceOp'));
        return `${this.pipeline.name}/${stream.name}/${index}-${opKind(stream.operators[index])}`;
    }

    private windowSpec(window: WindowOp): WindowSpec {
        const kind = window.kind;
        if (isCountWindow(kind)) {
            // Counted in event-time order when the stream has an event time, so every run counts the same rows together.
            const timeField = singleEventTimeFieldAt(window, this.inference);
            return { type: 'count', size: kind.size, ...(kind.slide !== undefined ? { slide: kind.slide } : {}), ...(timeField ? { timeField } : {}) };
        }
        const timeField = window.timeField?.field.$refText;
        if (isCumulateWindow(kind)) {
            const spec: WindowSpec = { type: 'cumulate', sizeMs: durationToMs(kind.size), stepMs: durationToMs(kind.step) };
            return timeField ? { ...spec, timeField } : spec;
        }
        const spec: WindowSpec = isSessionWindow(kind) ? { type: 'session', gapMs: durationToMs(kind.gap) }
            : isSlidingWindow(kind) ? { type: 'sliding', sizeMs: durationToMs(kind.size), slideMs: durationToMs(kind.slide) }
                : { type: 'tumbling', sizeMs: durationToMs(kind.size) };
        return timeField ? { ...spec, timeField } : spec;
    }

    private namedExprs(items: { name?: string; value: Expression }[], output: StreamSchema) {
        return items.map((item, i) => ({ name: output.fields[i]?.name ?? item.name ?? `column${i}`, expr: this.lowering.lower(item.value) }));
    }

    private allFields(schema: StreamSchema): Expr[] {
        return schema.fields.map((f) => ({ k: 'field' as const, name: f.name, type: toFlowType(f.type) }));
    }

    private connectorPath(connector: Connector, baseDir = this.baseDir): string | undefined {
        const first = connector.args.find((a) => !a.name);
        return first && isStringLiteral(first.value) && connector.kind !== 'values' ? path.resolve(baseDir, first.value.value) : undefined;
    }

    private connectorOptions(connector: Connector): Record<string, string | number | boolean> {
        return connectorOptions(connector);
    }
}

/** The named arguments of a connector call, as the LogicalGraph's options (also a test's given fixture file). */
export function connectorOptions(connector: Connector): Record<string, string | number | boolean> {
    const options: Record<string, string | number | boolean> = {};
    for (const arg of connector.args) {
        if (!arg.name) continue;
        const v = arg.value;
        if (isStringLiteral(v) || isNumberLiteral(v)) options[arg.name] = v.value;
        else if (isBooleanLiteral(v)) options[arg.name] = v.value === true;
        else if (isUnaryExpr(v) && isNumberLiteral(v.operand)) options[arg.name] = -v.operand.value;
    }
    return options;
}

/** The kind part of an operator node's id (`<pipeline>/<stream>/<index>-<kind>`): `filter`, `keyBy`, ... */
export function opKind(op: Operator): string {
    return op.$type.replace(/Op$/, '').replace(/^./, (c) => c.toLowerCase());
}

function fieldsOf(schema: StreamSchema): SchemaField[] {
    return schema.fields.map((f) => ({ name: f.name, type: toFlowType(f.type) }));
}

function textOf(node: AstNode): string {
    return (node.$cstNode?.text ?? '').replace(/\s+/g, ' ').trim();
}

export function locationOf(node: AstNode): SourceLocation {
    const range = node.$cstNode?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    return { uri: AstUtils.getDocument(node).uri.toString(), range: { start: { ...range.start }, end: { ...range.end } } };
}

function equalities(condition: Expression): [Expression, Expression][] {
    if (isBinaryExpr(condition) && condition.operator === 'and') {
        return [...equalities(condition.left), ...equalities(condition.right)];
    }
    return isBinaryExpr(condition) && condition.operator === '==' ? [[condition.left, condition.right]] : [];
}

/** True when a join-condition operand names the right-hand stream's field. */
function refersTo(expr: Expression, rightName: string, left: StreamSchema): boolean {
    if (isMemberAccess(expr) && isNameRef(expr.receiver)) {
        return expr.receiver.ref.$refText === rightName;
    }
    if (isNameRef(expr)) {
        return !left.fields.some((f) => f.name === expr.ref.$refText);
    }
    return false;
}
