/**
 * The tests of a document for the editor's Test Explorer (`flowline/discoverTests`): read from the
 * syntax tree alone, so tests stay listed while the file has errors elsewhere (as you type).
 */
import type { LangiumDocument } from 'langium';
import { pipelineTestId, type DiscoveredTest, type LspRange } from '../../../protocol/pipeline-tests.js';
import { isExpectStep, isPipelineTest, type Model } from '../generated/ast.js';
import { expectLabel } from './lower-test.js';

/** Every named test block of the document, in order; a repeated name (an error) is listed once, at its first block. */
export function discoverTests(document: LangiumDocument): DiscoveredTest[] {
    const uri = document.uri.toString();
    const tests: DiscoveredTest[] = [];
    for (const test of (document.parseResult.value as Model).elements.filter(isPipelineTest)) {
        const cst = test.$cstNode;
        if (test.name === undefined || !cst || tests.some((t) => t.name === test.name)) continue;
        tests.push({
            id: pipelineTestId(uri, test.name), name: test.name, pipeline: test.pipeline?.$refText ?? '', uri, range: copy(cst.range),
            expectations: test.steps.filter(isExpectStep).filter((s) => s.$cstNode)
                .map((step) => ({ label: expectLabel(step), range: copy(step.$cstNode!.range) }))
        });
    }
    return tests;
}

function copy(range: LspRange): LspRange {
    return { start: { ...range.start }, end: { ...range.end } };
}
