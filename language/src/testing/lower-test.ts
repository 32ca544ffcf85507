/**
 * Lowers one checked `test` block to a PipelineTestPlan (protocol/pipeline-tests.ts): the
 * pipeline's LogicalGraph with the given sources replaced, and the steps as a timeline with every
 * expectation resolved to the node whose output it compares.
 */
import * as path from 'node:path';
import { AstUtils } from 'langium';
import type { LogicalEdge, LogicalGraph, LogicalNode, SourceConfig } from '../../../protocol/logical-graph.js';
import {
    pipelineTestId, testNameSlug, type PipelineTestPlan, type TestExpectation, type TestStep, type TestTarget
} from '../../../protocol/pipeline-tests.js';
import { streamOutputNode } from '../../../protocol/stream-nodes.js';
import {
    type ExpectStep, type GivenStep, type PipelineTest, type Source, type StreamRef, isExpectStep, isGivenStep, isSource,
    isStringLiteral, isThenStep
} from '../generated/ast.js';
import type { FlowServices } from '../flow-module.js';
import { LogicalGraphBuilder, SINGLE_INSTANCE_CONNECTORS, connectorOptions, locationOf } from '../graph/build-logical-graph.js';
import { ExpressionLowering, constantValue } from '../graph/lower-expression.js';
import { FILE_CONNECTORS, thenStepTime } from './test-facts.js';

export class TestLowering {
    private readonly graphs: LogicalGraphBuilder;
    private readonly expressions: ExpressionLowering;

    constructor(services: FlowServices) {
        this.graphs = new LogicalGraphBuilder(services);
        this.expressions = new ExpressionLowering(services.typing.ExpressionTyper);
    }

    /** The plan of a test block of a document without errors (the checker guarantees what is assumed here). */
    lower(test: PipelineTest): PipelineTestPlan {
        const pipeline = test.pipeline.ref;
        if (!pipeline) throw new Error(`The test "${test.name}" names no known pipeline.`);
        const uri = AstUtils.getDocument(test).uri;
        const testDir = path.dirname(uri.fsPath);
        const graph = this.graphs.build(pipeline);
        const givens = test.steps.filter(isGivenStep);
        for (const source of new Set(givens.map((g) => g.source.ref!))) {
            this.replaceSource(graph, source, givens.filter((g) => g.source.ref === source), testDir);
        }
        return {
            id: pipelineTestId(uri.toString(), test.name), name: test.name, file: uri.toString(), pipeline: pipeline.name,
            location: locationOf(test), graph, steps: this.steps(test, graph, uri.fsPath)
        };
    }

    /** The source's node reads the given rows (all `given`s of it, in order) or the fixture file instead. */
    private replaceSource(graph: LogicalGraph, source: Source, givens: GivenStep[], testDir: string): void {
        const node = graph.nodes.find((n) => n.id === sourceNodeId(graph, source))!;
        const original = node.config as SourceConfig;
        const connector = givens[0].connector;
        const config: SourceConfig = {
            kind: 'source', sourceName: original.sourceName, connector: connector.kind as SourceConfig['connector'],
            options: connectorOptions(connector), bounded: true, onError: original.onError,
            ...(original.watermark ? { watermark: original.watermark } : {})
        };
        if (connector.kind === 'values') {
            config.values = givens.flatMap((g) => g.connector.args.map((a) => constantValue(this.expressions.lower(a.value)) as Record<string, unknown>));
        } else {
            const file = connector.args.find((a) => !a.name)?.value;
            config.path = path.resolve(testDir, isStringLiteral(file) ? file.value : '');
        }
        node.config = config;
        node.description = `${source.name} = ${givens.map((g) => textOf(g.connector)).join(' + ')} (given)`;
        if (SINGLE_INSTANCE_CONNECTORS.has(connector.kind) && node.parallelism !== 1) {
            node.parallelism = 1;
            node.parallelismPinned = true;
            // A FORWARD edge needs equal parallelism on both ends (as the graph builder decides it).
            graph.edges.filter((e) => e.source === node.id && e.ship === 'FORWARD')
                .forEach((e: LogicalEdge) => { e.ship = nodeById(graph, e.target).parallelism === 1 ? 'FORWARD' : 'REBALANCE'; });
        }
    }

    private steps(test: PipelineTest, graph: LogicalGraph, testFile: string): TestStep[] {
        const steps: TestStep[] = [];
        for (const step of test.steps) {
            if (isGivenStep(step)) {
                const source = step.source.ref!;
                const rows = FILE_CONNECTORS.has(step.connector.kind) ? 'all' as const : step.connector.args.length;
                steps.push({ kind: 'given', source: source.name, nodeId: sourceNodeId(graph, source), rows, location: locationOf(step) });
            } else if (isThenStep(step)) {
                if (step.end) {
                    if (!steps.some((s) => s.kind === 'end')) steps.push({ kind: 'end', location: locationOf(step) });
                } else {
                    steps.push({ kind: 'watermark', time: thenStepTime(step)!, location: locationOf(step) });
                }
            } else if (isExpectStep(step)) {
                steps.push({
                    kind: 'expect', label: expectLabel(step), target: this.target(step, graph),
                    expectation: this.expectation(step, test, testFile), location: locationOf(step)
                });
            }
        }
        if (!steps.some((s) => s.kind === 'end')) {
            // No `then end`: the input ends after the last given when the test has no `then` step
            // (so its expectations see the finished run), else after everything.
            const hasThen = test.steps.some(isThenStep);
            const lastGiven = steps.map((s) => s.kind).lastIndexOf('given');
            const at = hasThen ? steps.length : lastGiven + 1;
            steps.splice(at, 0, { kind: 'end', location: locationOf(test) });
        }
        return steps;
    }

    private target(step: ExpectStep, graph: LogicalGraph): TestTarget {
        return step.failure ? { failure: true } : targetOf(step.target!, graph, step.target!.stream.ref!.name);
    }

    private expectation(step: ExpectStep, test: PipelineTest, testFile: string): TestExpectation {
        if (step.failure) return { kind: 'failure', messageContains: step.message ?? '' };
        if (step.empty) return { kind: 'empty' };
        if (step.count !== undefined) return { kind: 'count', count: step.count };
        if (step.snapshot) {
            const target = textOf(step.target!).replace(/\s+/g, '');
            const file = `${path.basename(testFile)}.${testNameSlug(test.name)}.${target}.jsonl`;
            return { kind: 'snapshot', snapshotPath: path.join(path.dirname(testFile), '__snapshots__', file) };
        }
        const rows = step.rows!.args.map((a) => constantValue(this.expressions.lower(a.value)) as Record<string, unknown>);
        return { kind: 'rows', rows, inOrder: step.inOrder, ...(step.tolerance !== undefined ? { tolerance: step.tolerance } : {}) };
    }
}

/** What an expect line checks, without its rows: `perCountry in order`, `orders.deadLetter count 1`. */
export function expectLabel(step: ExpectStep): string {
    if (step.failure) return `failure ${JSON.stringify(step.message ?? '')}`;
    const target = step.target ? textOf(step.target).replace(/\s+/g, '') : '?';
    if (step.empty) return `${target} is empty`;
    if (step.snapshot) return `${target} matches snapshot`;
    if (step.count !== undefined) return `${target} count ${step.count}`;
    const options = [step.inOrder ? 'in order' : '', step.tolerance !== undefined ? `within ${step.tolerance}` : ''].filter(Boolean);
    const rows = step.rows?.args.length ?? 0;
    return `${[target, ...options].join(' ')} = ${rows} row${rows === 1 ? '' : 's'}`;
}

function sourceNodeId(graph: LogicalGraph, source: Source): string {
    return `${graph.pipeline}/source/${source.name}`;
}

function nodeById(graph: LogicalGraph, id: string): LogicalNode {
    return graph.nodes.find((n) => n.id === id)!;
}

/**
 * The records a stream reference names: a side output, the output of a stream's last operator or
 * of a source; a stream without operators (`stream all = orders`) has its input's records.
 */
function targetOf(ref: StreamRef, graph: LogicalGraph, label: string): TestTarget {
    const named = ref.stream.ref!;
    if (ref.side === 'deadLetter') return { deadLetterOf: named.name, nodeId: sourceNodeId(graph, named as Source) };
    if (ref.side === 'late') {
        const late = graph.nodes.find((n) => n.id.startsWith(`${graph.pipeline}/${named.name}/`) && n.sideOutputs?.includes('late'))!;
        return { lateOf: named.name, nodeId: late.id };
    }
    const node = streamOutputNode(graph, named.name);
    if (node) return { stream: label, nodeIds: [node.id] };
    if (isSource(named)) return { stream: label, nodeIds: [sourceNodeId(graph, named)] };
    return targetOf(named.input, graph, label);
}

function textOf(node: { $cstNode?: { text: string } }): string {
    return (node.$cstNode?.text ?? '').replace(/\s+/g, ' ').trim();
}
