/**
 * One differential check: a pipeline run in every mode and parallelism, with operator fusion on
 * and off, against the reference evaluator's records.
 */
import assert from 'node:assert/strict';
import type { InProcessRunner } from './in-process-runner.js';
import { dataFiles, flowText, type Pipeline } from './pipeline-model.js';
import { evaluate } from './reference-evaluator.js';
import { finalRowsOfUpdates, multiset, rollingTerminal } from './result-comparison.js';

const MODES = ['batch', 'streaming'] as const;
const PARALLELISMS = [1, 2, 4];
/** Unfused runs (a different code path for every chain) at these parallelisms by default. */
const UNFUSED_PARALLELISMS: ReadonlySet<number> = new Set([1, 2]);

/** What is wrong with the runs of `p`, or null when every run gives the reference's records. */
export async function differences(runner: InProcessRunner, p: Pipeline, unfusedParallelisms: ReadonlySet<number> = UNFUSED_PARALLELISMS): Promise<string | null> {
    const text = flowText(p);
    const expected = multiset(evaluate(p));
    const rolling = rollingTerminal(p);
    // A rolling aggregate streams updates: only its final rows compare, and only when nothing follows it.
    const modes = MODES.filter((mode) => !(mode === 'streaming' && rolling && p.after.length > 0));
    const translations = modes.flatMap((mode) => PARALLELISMS.map((parallelism) => ({ mode, parallelism })));
    const graphs = await runner.translate(text, translations, dataFiles(p));
    if (typeof graphs === 'string') return `${graphs}\n${text}`;
    for (const [i, { mode, parallelism }] of translations.entries()) {
        for (const fusion of unfusedParallelisms.has(parallelism) ? [true, false] : [true]) {
            const where = `${mode}, parallelism ${parallelism}, fusion ${fusion ? 'on' : 'off'}`;
            const result = await runner.run(graphs[i], fusion);
            if (!result.ok) return `${where}: ${result.error}\n${text}`;
            let rows = result.rows;
            if (mode === 'streaming' && rolling) {
                const finals = finalRowsOfUpdates(rolling, rows);
                if (typeof finals === 'string') return `${where}: ${finals}\n${text}`;
                rows = finals;
            }
            try {
                assert.deepEqual(multiset(rows), expected);
            } catch (error) {
                return `${where}: records differ from the reference\n${text}\n${(error as Error).message}`;
            }
        }
    }
    return null;
}
