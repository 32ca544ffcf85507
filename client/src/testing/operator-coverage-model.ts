/**
 * Pipeline coverage of a test run: the operators of each tested pipeline that no test's records
 * reached, where they are written. A pipeline tested by several tests counts an operator as
 * reached when any of them reached it. Pure (no vscode), tested on reports of the real CLI.
 */
import type { SourceLocation } from '../../../protocol/logical-graph.js';
import type { PipelineTestResult } from '../../../protocol/pipeline-tests.js';

/** An operator no test of the run reached. */
export interface UnreachedOperator {
    pipeline: string;
    nodeId: string;
    /** Where the operator is written; absent when the report does not say. */
    location?: SourceLocation;
}

/** The coverage of one pipeline over the run's tests. */
export interface PipelineCoverage {
    pipeline: string;
    /** Names of the tests that ran it. */
    tests: string[];
    operators: number;
    reached: number;
    unreached: UnreachedOperator[];
}

/** Coverage per tested pipeline, in the order the pipelines first appear in the results. */
export function pipelineCoverage(results: readonly PipelineTestResult[]): PipelineCoverage[] {
    const byPipeline = new Map<string, { tests: string[]; nodes: Set<string>; reached: Set<string>; locations: Map<string, SourceLocation> }>();
    for (const result of results) {
        // A test that could not run (errored) says nothing about which operators its records reach.
        if (result.status === 'errored') continue;
        let entry = byPipeline.get(result.pipeline);
        if (!entry) {
            entry = { tests: [], nodes: new Set(), reached: new Set(), locations: new Map() };
            byPipeline.set(result.pipeline, entry);
        }
        entry.tests.push(result.name);
        for (const id of result.coverage.nodeIds) entry.nodes.add(id);
        for (const id of result.coverage.reachedNodeIds) entry.reached.add(id);
        for (const [id, location] of Object.entries(result.coverage.locations ?? {})) entry.locations.set(id, location);
    }
    return [...byPipeline].map(([pipeline, entry]) => {
        const unreached = [...entry.nodes].filter((id) => !entry.reached.has(id))
            .map((nodeId) => ({ pipeline, nodeId, location: entry.locations.get(nodeId) }));
        return { pipeline, tests: entry.tests, operators: entry.nodes.size, reached: entry.nodes.size - unreached.length, unreached };
    });
}

/** The note the test results show for one pipeline (one line, then a line per unreached operator). */
export function coverageNote(coverage: PipelineCoverage, relativePath: (uri: string) => string): string[] {
    const head = `Pipeline coverage of ${coverage.pipeline}: ${coverage.reached} of ${coverage.operators} operators reached by ${coverage.tests.length} test${coverage.tests.length === 1 ? '' : 's'}`;
    if (coverage.unreached.length === 0) return [`${head}.`];
    return [`${head}; no test's records reached:`, ...coverage.unreached.map((op) =>
        `  ${op.nodeId}${op.location ? ` (${relativePath(op.location.uri)}:${op.location.range.start.line + 1})` : ''}`)];
}
