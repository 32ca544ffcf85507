/**
 * The Debug Console and hovers at a stop: a .flow expression compiled by the checker over the
 * record reaching the stopped node (on the input it came in on), then evaluated on that record
 * with the runtime's own expression compiler, so it means what it would mean in the pipeline.
 */
import type { DebugStop } from '../../protocol/job-debugging.js';
import type { FlowType } from '../../protocol/logical-graph.js';
import { compileNodeExpression } from '../../language/src/graph/node-expression.js';
import { compileExpression } from '../../runtime/src/expressions/compile-expression.js';
import type { DebuggedProgram } from './debugged-program.js';

/** The value of `text` on the stopped record, or why there is none. */
export async function evaluateAtStop(program: DebuggedProgram, stop: DebugStop, text: string): Promise<{ value: unknown; type: FlowType } | { error: string }> {
    if (!stop.record) return { error: 'This stop has no record to evaluate on (the error happened outside one).' };
    const compiled = await compileNodeExpression({
        uri: program.uri, pipeline: program.graph.pipeline, nodeId: stop.nodeId, text, at: 'input', expect: 'value', input: stop.input
    });
    if ('errors' in compiled) return { error: compiled.errors.map((e) => `${e.message} (column ${e.column + 1})`).join(' ') };
    const row = Object.fromEntries(stop.record.map((v) => [v.name, v.value]));
    try {
        return { value: compileExpression(compiled.expr)(row), type: compiled.type };
    } catch (error) {
        return { error: `${text}: ${error instanceof Error ? error.message : String(error)}` };
    }
}
