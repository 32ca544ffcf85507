/**
 * `buildTestPlans`: every `test` block of a .flow file lowered to a PipelineTestPlan, for
 * `flowline test` and the editor. Only a file that checks without errors gets plans; otherwise its
 * diagnostics say why (file:line:column, as `flowline check` prints them).
 */
import type { LangiumDocument } from 'langium';
import type { PipelineTestPlan } from '../../../protocol/pipeline-tests.js';
import type { FlowServices } from '../flow-module.js';
import { isPipelineTest, type Model } from '../generated/ast.js';
import { type FileDiagnostic, loadFlowWorkspace } from '../workspace/flow-workspace.js';
import { TestLowering } from './lower-test.js';

export interface TestPlans {
    /** One plan per test block, in the order of the file (none when the file has errors). */
    plans: PipelineTestPlan[];
    /** The file's diagnostics (errors and warnings). */
    diagnostics: FileDiagnostic[];
}

/** The test plans of a file on disk (loaded with what it imports). `texts` as in loadFlowWorkspace. */
export async function buildTestPlans(file: string, texts?: ReadonlyMap<string, string>): Promise<TestPlans>;
/** The test plans of a document already built and validated by `services` (the language server). */
export async function buildTestPlans(document: LangiumDocument, services: FlowServices): Promise<TestPlans>;
export async function buildTestPlans(input: string | LangiumDocument, extra?: FlowServices | ReadonlyMap<string, string>): Promise<TestPlans> {
    if (typeof input === 'string') {
        const { services, documents, diagnostics } = await loadFlowWorkspace([input], extra as ReadonlyMap<string, string> | undefined);
        const plans = diagnostics.some((d) => d.severity === 'error') ? [] : testPlansOf(documents[0], services);
        return { plans, diagnostics };
    }
    const services = extra as FlowServices;
    const errors = (input.diagnostics ?? []).filter((d) => (d.severity ?? 1) === 1);
    return { plans: errors.length > 0 ? [] : testPlansOf(input, services), diagnostics: [] };
}

/** The plans of a document without errors. */
export function testPlansOf(document: LangiumDocument, services: FlowServices): PipelineTestPlan[] {
    const lowering = new TestLowering(services);
    return (document.parseResult.value as Model).elements.filter(isPipelineTest).map((t) => lowering.lower(t));
}
