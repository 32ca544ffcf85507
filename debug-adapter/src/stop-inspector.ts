/**
 * What the editor shows of a stopped job: the threads (one per subtask), the stopped record's
 * path through the pipeline as the call stack (source -> ... -> the node it reached, each frame
 * on its line), and the variables of the stop: the record, its key, time (watermark, windows),
 * the operator's state for the key, the subtask's metrics, and the error at an exception stop.
 */
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Handles, Scope, Source, StackFrame, Thread } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { DebugStop, TypedValue } from '../../protocol/job-debugging.js';
import type { FlowType, LogicalGraph, LogicalNode } from '../../protocol/logical-graph.js';
import type { ExecutionGraph } from '../../runtime/src/planner/execution-graph.js';
import { childrenOf, isExpandable, plainText, timestampText, typeText, valueText } from './typed-values.js';

/** A named value the Variables view lists; `type` when the value is typed by the pipeline. */
export interface ShownValue {
    name: string;
    value: unknown;
    type?: FlowType;
    /** Text to show instead of the value's own (a readable time, a window range). */
    text?: string;
}

/** The variables of one expandable thing. */
type Container = ShownValue[];

export class StopInspector {
    private readonly handles = new Handles<Container>();
    private path: LogicalNode[] = [];

    constructor(private readonly graph: LogicalGraph, private readonly converters: { line(n: number): number; column(n: number): number }) {}

    /** One thread per subtask of the job: `operator (i/n) @ taskmanager-k, slot s`. */
    threads(executionGraph: ExecutionGraph | undefined): DebugProtocol.Thread[] {
        if (!executionGraph) return [new Thread(1, this.graph.pipeline)];
        return executionGraph.all().map((v, i) => {
            const where = v.taskManagerId ? ` @ ${v.taskManagerId}, slot ${v.slotIndex}` : '';
            return new Thread(i + 1, `${v.vertex.name} (${v.subtaskIndex + 1}/${v.vertex.parallelism})${where}`);
        });
    }

    /** The thread id of the subtask that stopped. */
    threadOf(executionGraph: ExecutionGraph | undefined, stop: DebugStop): number {
        const index = executionGraph?.all().findIndex((v) => v.vertex.id === stop.vertexId && v.subtaskIndex === stop.subtask) ?? -1;
        return index + 1 || 1;
    }

    /** Forgets the variables of the previous stop (their references are invalid once the job moved on). */
    reset(): void {
        this.handles.reset();
        this.path = [];
    }

    /**
     * The record's path, innermost first: the stopped node, then upstream along the input the
     * record came in on (at the stopped node; further up, a join's left input), to the source.
     */
    stackFrames(stop: DebugStop): DebugProtocol.StackFrame[] {
        const byId = new Map(this.graph.nodes.map((n) => [n.id, n]));
        const path: LogicalNode[] = [];
        let node = byId.get(stop.nodeId);
        let input = stop.input;
        while (node && !path.includes(node)) {
            path.push(node);
            const target = node.id;
            const edge = this.graph.edges.find((e) => e.target === target && inputIndex(e.input) === input)
                ?? this.graph.edges.find((e) => e.target === target);
            node = edge ? byId.get(edge.source) : undefined;
            input = 0;
        }
        this.path = path;
        return path.map((n, i) => {
            const file = fileURLToPath(n.location.uri);
            const start = n.location.range.start;
            const frame = new StackFrame(i + 1, frameName(n), new Source(basename(file), file), this.converters.line(start.line), this.converters.column(start.character));
            frame.endLine = this.converters.line(n.location.range.end.line);
            frame.endColumn = this.converters.column(n.location.range.end.character);
            return frame;
        });
    }

    /** The scopes of a frame: the stopped node's frame has the record and everything around it; upstream frames describe their node. */
    scopes(stop: DebugStop, frameId: number): DebugProtocol.Scope[] {
        if (this.path.length === 0) this.stackFrames(stop);
        const node = this.path[frameId - 1];
        if (!node) return [];
        if (frameId > 1) return [this.scope('Node', nodeFacts(node))];
        const scopes: DebugProtocol.Scope[] = [];
        if (stop.error) {
            const e = stop.error;
            scopes.push(this.scope('Error', [
                { name: 'name', value: e.name }, { name: 'message', value: e.message },
                ...(e.file !== undefined ? [{ name: 'file', value: e.file }] : []),
                ...(e.line !== undefined ? [{ name: 'line', value: e.line }] : []),
                ...(e.raw !== undefined ? [{ name: 'raw', value: e.raw }] : [])
            ]));
        }
        if (stop.record) scopes.push(this.scope('Record', stop.record.map(typed), 'locals'));
        if (stop.key) scopes.push(this.scope('Key', stop.key.map(typed)));
        scopes.push(this.scope('Time', timeValues(stop, this.graph.mode)));
        if (stop.state.length > 0) scopes.push(this.scope('State', stop.state.map((s) => ({ name: s.label, value: s.value }))));
        scopes.push(this.scope('Metrics', Object.entries(stop.metrics).map(([name, value]) => ({ name, value }))));
        return scopes;
    }

    /** The children of a variables reference handed out before. */
    variables(reference: number): DebugProtocol.Variable[] {
        const container = this.handles.get(reference);
        return (container ?? []).map((v) => this.variable(v));
    }

    /** A value as the Variables view and the Debug Console show it (expandable when it has children). */
    variable(shown: ShownValue): DebugProtocol.Variable {
        const expandable = isExpandable(shown.value);
        const children = expandable ? childrenOf(shown.value, shown.type) : [];
        return {
            name: shown.name,
            value: shown.text ?? (shown.type ? valueText(shown.value, shown.type) : plainText(shown.value)),
            ...(shown.type ? { type: typeText(shown.type) } : {}),
            variablesReference: children.length > 0 ? this.handles.create(children) : 0
        };
    }

    private scope(name: string, values: ShownValue[], hint?: DebugProtocol.Scope['presentationHint']): DebugProtocol.Scope {
        const scope: DebugProtocol.Scope = new Scope(name, this.handles.create(values), false);
        if (hint) scope.presentationHint = hint;
        return scope;
    }
}

function inputIndex(input: LogicalGraph['edges'][number]['input']): number {
    return input === 'right' ? 1 : typeof input === 'number' ? input : 0;
}

function typed(value: TypedValue): ShownValue {
    return { name: value.name, value: value.value, type: value.type };
}

/** `filter amount > 100` (a source: `source orders`, a sink: `sink hourly -> print`), on one line. */
function frameName(node: LogicalNode): string {
    const text = node.config.kind === 'source' ? `source ${node.description}` : node.config.kind === 'sink' ? `sink ${node.description}` : node.description;
    return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}

/** The watermark and the windows the record falls in, as readable times. */
function timeValues(stop: DebugStop, mode: 'batch' | 'streaming'): ShownValue[] {
    const timestamp: FlowType = { kind: 'timestamp' };
    const values: ShownValue[] = [stop.watermark === null
        ? { name: 'watermark', value: null, text: mode === 'batch' ? 'none (batch mode: no watermarks)' : 'none yet' }
        : { name: 'watermark', value: stop.watermark, type: timestamp }];
    const window = (w: { start: number; end: number }, name: string): ShownValue => ({
        name, value: w, text: `[${timestampText(w.start)}, ${timestampText(w.end)})`,
        type: { kind: 'record', fields: [{ name: 'start', type: timestamp }, { name: 'end', type: timestamp }] }
    });
    if (stop.windows.length === 1) values.push(window(stop.windows[0], 'window'));
    else stop.windows.forEach((w, i) => values.push(window(w, `window ${i + 1}`)));
    return values;
}

/** What an upstream frame shows: the node itself (its record has moved on). */
function nodeFacts(node: LogicalNode): ShownValue[] {
    return [
        { name: 'node', value: node.id },
        { name: 'operator', value: node.description },
        { name: 'parallelism', value: node.parallelism },
        { name: 'output', value: node.schema.map((f) => `${f.name}: ${typeText(f.type)}`).join(', '), text: `{ ${node.schema.map((f) => `${f.name}: ${typeText(f.type)}`).join(', ')} }` }
    ];
}
