/**
 * "Debug Test": the launch attribute `test` names a test block of `program`; the debugged job is
 * that test's graph as the language lowers it (buildTestPlans): the given rows in place of the
 * sources. File sinks become collect sinks (as `flowline test` collects every sink), so debugging
 * a test writes no file; print sinks still print to the Debug Console. Breakpoints go on the
 * pipeline's lines, in the file that declares it.
 *
 * What the debugger does not do is the test's timeline: every given row is there from the start,
 * `then watermark` steps are not replayed (event time moves as the sources' watermarks say) and
 * no expectation is compared. `describeTestDebugging` says so in the Debug Console.
 */
import { fileURLToPath } from 'node:url';
import type { LogicalGraph, LogicalNode } from '../../protocol/logical-graph.js';
import type { PipelineTestPlan } from '../../protocol/pipeline-tests.js';
import { formatDiagnostic } from '../../language/src/workspace/flow-workspace.js';
import { loadLogicalGraphs } from '../../language/src/graph/load-logical-graphs.js';
import { buildTestPlans } from '../../language/src/testing/build-test-plans.js';
import { LaunchError, programPath, type DebuggedProgram } from './debugged-program.js';

/** The debugged test: the program whose graph runs, and the plan it came from. */
export interface DebuggedTest extends DebuggedProgram {
    plan: PipelineTestPlan;
}

/** Loads the test `test` of the file `program`; throws LaunchError with the checker's errors or the tests to choose from. */
export async function loadDebuggedTest(program: string, test: string): Promise<DebuggedTest> {
    const path = programPath(program);
    let plans: PipelineTestPlan[];
    try {
        const built = await buildTestPlans(path);
        const errors = built.diagnostics.filter((d) => d.severity === 'error');
        if (errors.length > 0) throw new LaunchError(`${errors.length} error${errors.length === 1 ? '' : 's'} in ${program}:\n${errors.map(formatDiagnostic).join('\n')}`);
        plans = built.plans;
    } catch (error) {
        if (error instanceof LaunchError) throw error;
        throw new LaunchError(error instanceof Error ? error.message : String(error));
    }
    const plan = plans.find((p) => p.name === test);
    if (!plan) {
        const names = plans.map((p) => `"${p.name}"`);
        throw new LaunchError(`${program} has no test "${test}"; ${names.length > 0 ? `it has ${names.join(', ')}` : 'it has no test block'}.`);
    }
    const graph = withCollectedSinks(plan.graph);
    // Breakpoints and Debug Console expressions are resolved in the file that declares the pipeline.
    const pipelineUri = graph.location.uri;
    let pipelines: DebuggedProgram['pipelines'];
    try {
        pipelines = (await loadLogicalGraphs(fileURLToPath(pipelineUri))).graphs.map((g) => ({ name: g.pipeline, location: g.location }));
    } catch (error) {
        throw new LaunchError(error instanceof Error ? error.message : String(error));
    }
    return { path: fileURLToPath(pipelineUri), uri: pipelineUri, graph, pipelines, plan };
}

/** What the Debug Console says when a test's job starts: what is and is not the test's run. */
export function describeTestDebugging(plan: PipelineTestPlan): string[] {
    const watermarks = plan.steps.filter((s) => s.kind === 'watermark').length;
    const expectations = plan.steps.filter((s) => s.kind === 'expect').length;
    return [
        `Debugging test "${plan.name}" of ${plan.pipeline}: its given rows in place of the sources; file sinks are collected, not written.`,
        `Under the debugger all given rows arrive at once${watermarks > 0 ? `, the ${watermarks} 'then watermark' step${watermarks === 1 ? ' is' : 's are'} not replayed` : ''} and the ${expectations} expectation${expectations === 1 ? ' is' : 's are'} not compared: run the test for its outcome.`
    ];
}

function withCollectedSinks(graph: LogicalGraph): LogicalGraph {
    const nodes = graph.nodes.map((node): LogicalNode => {
        if (node.config.kind !== 'sink' || (node.config.connector !== 'csv' && node.config.connector !== 'jsonl')) return node;
        return { ...node, config: { kind: 'sink', connector: 'collect', options: {} } };
    });
    return { ...graph, nodes };
}
