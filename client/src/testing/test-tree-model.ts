/**
 * The Testing view's tree of one `.flow` file, from the language server's discovered tests:
 * file → pipeline → test. Pure (no vscode) so the mapping is tested on the server's real answers;
 * the controller turns it into TestItems.
 */
import type { DiscoveredTest } from '../../../protocol/pipeline-tests.js';

type LspRange = DiscoveredTest['range'];

/** A test of the tree: the id is the discovered id (`<uri>::<name>`), which run results map back to. */
export interface TestNode {
    id: string;
    label: string;
    range: LspRange;
}

/** The tests of one pipeline in one file, in the order they are written. */
export interface PipelineNode {
    id: string;
    label: string;
    /** The first test's range: the pipeline group sorts where its tests start. */
    range: LspRange;
    tests: TestNode[];
}

/** One file with tests; files without tests have no node. */
export interface FileNode {
    id: string;
    uri: string;
    pipelines: PipelineNode[];
}

/** The id of a pipeline group in a file (distinct from every test id, which carry a quoted name). */
export function pipelineNodeId(uri: string, pipeline: string): string {
    return `${uri}#pipeline:${pipeline}`;
}

/** Groups a file's discovered tests by pipeline; undefined when the file has none. */
export function fileTestTree(uri: string, discovered: readonly DiscoveredTest[]): FileNode | undefined {
    if (discovered.length === 0) return undefined;
    const byPipeline = new Map<string, PipelineNode>();
    const sorted = [...discovered].sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
    for (const test of sorted) {
        let group = byPipeline.get(test.pipeline);
        if (!group) {
            group = { id: pipelineNodeId(uri, test.pipeline), label: test.pipeline, range: test.range, tests: [] };
            byPipeline.set(test.pipeline, group);
        }
        // Two tests with one name in a file share an id: the language reports it, the tree keeps the first.
        if (group.tests.some((t) => t.id === test.id)) continue;
        group.tests.push({ id: test.id, label: test.name, range: test.range });
    }
    return { id: uri, uri, pipelines: [...byPipeline.values()] };
}
