/**
 * The graph a test job runs: the plan's graph with every sink a `collect` sink (tests write no
 * files; the records come back to the runner) and a collect sink added at each node an
 * expectation looks at (a stream's output, a source's dead letters, a window's late records), so
 * what the test compares is exactly what that node emitted.
 */
import { DEAD_LETTER_SCHEMA, type LogicalEdge, type LogicalGraph, type LogicalNode, type SchemaField } from '../../protocol/logical-graph.js';
import type { TestTarget } from '../../protocol/pipeline-tests.js';

/** A plan that cannot run as written (a target naming a node the graph lacks, a source without dead letters). */
export class TestPlanError extends Error {}

/** The graph to submit and, per target, the collector nodes whose records it compares and their schema. */
export interface TestGraph {
    graph: LogicalGraph;
    /** By targetKey(target). */
    targets: Map<string, { collectors: string[]; schema: SchemaField[] }>;
}

/** A key equal for equal targets. */
export function targetKey(target: Exclude<TestTarget, { failure: true }>): string {
    if ('deadLetterOf' in target) return `deadLetter:${target.nodeId}`;
    if ('lateOf' in target) return `late:${target.nodeId}`;
    return `stream:${target.nodeIds.join(',')}`;
}

export function buildTestGraph(source: LogicalGraph, targets: Exclude<TestTarget, { failure: true }>[]): TestGraph {
    const nodes: LogicalNode[] = source.nodes.map((n) => n.config.kind === 'sink'
        ? { ...n, config: { kind: 'sink', connector: 'collect', options: {} } }
        : n);
    const edges: LogicalEdge[] = [...source.edges];
    const byId = new Map(nodes.map((n) => [n.id, n]));
    const collectorOf = new Map<string, string>();
    const addCollector = (node: LogicalNode, side: 'deadLetter' | 'late' | undefined, schema: SchemaField[]): string => {
        const key = `${node.id}#${side ?? 'out'}`;
        const known = collectorOf.get(key);
        if (known) return known;
        const id = `${node.id}#test-${side ?? 'output'}`;
        nodes.push({
            id, name: `test collector: ${node.name}${side ? ` (${side})` : ''}`, description: 'collects the records a test compares',
            config: { kind: 'sink', connector: 'collect', options: {} }, schema, parallelism: node.parallelism, location: node.location
        });
        edges.push({ source: node.id, target: id, ship: 'FORWARD', ...(side ? { sideOutput: side } : {}) });
        collectorOf.set(key, id);
        return id;
    };
    const need = (id: string, what: string): LogicalNode => {
        const node = byId.get(id);
        if (!node) throw new TestPlanError(`The test's ${what} names node '${id}', which the pipeline's graph does not have.`);
        return node;
    };
    const result = new Map<string, { collectors: string[]; schema: SchemaField[] }>();
    for (const target of targets) {
        const key = targetKey(target);
        if (result.has(key)) continue;
        if ('deadLetterOf' in target) {
            const node = need(target.nodeId, `expectation on ${target.deadLetterOf}.deadLetter`);
            if (node.config.kind !== 'source' || node.config.onError !== 'deadLetter') {
                throw new TestPlanError(`${target.deadLetterOf} has no dead letters to expect: its rows that cannot be read ${node.config.kind === 'source' && node.config.onError === 'skip' ? 'are skipped' : 'fail the run'}; declare it with onError deadLetter.`);
            }
            result.set(key, { collectors: [addCollector(node, 'deadLetter', DEAD_LETTER_SCHEMA)], schema: DEAD_LETTER_SCHEMA });
        } else if ('lateOf' in target) {
            const node = need(target.nodeId, `expectation on ${target.lateOf}.late`);
            const input = source.edges.find((e) => e.target === node.id && !e.sideOutput);
            const schema = input ? byId.get(input.source)?.schema ?? [] : [];
            result.set(key, { collectors: [addCollector(node, 'late', schema)], schema });
        } else {
            if (target.nodeIds.length === 0) throw new TestPlanError(`The test's expectation on ${target.stream} names no node.`);
            const targetNodes = target.nodeIds.map((id) => need(id, `expectation on ${target.stream}`));
            // A sink's records are its collector's; any other node gets a collector of its own.
            const collectors = targetNodes.map((n) => (n.config.kind === 'sink' ? n.id : addCollector(n, undefined, n.schema)));
            result.set(key, { collectors, schema: targetNodes[0].schema });
        }
    }
    return { graph: { ...source, nodes, edges }, targets: result };
}
