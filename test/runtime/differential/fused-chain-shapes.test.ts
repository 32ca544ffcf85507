/**
 * Every chain shape the fuser sees (issue 7.1): each sequence of filter, map, select and flatMap
 * up to a length, alone or ending in aggregate, reduce or distinct, with and without keyBy, run
 * at parallelism 1, 2 and 4, in batch and streaming mode, fused and unfused, against the
 * reference evaluator. Sequences up to length 2 run in the suite; FLOWLINE_CHAIN_LENGTH=3 runs
 * the longer ones too.
 */
import { after, before, test } from 'node:test';
import { InProcessRunner } from './in-process-runner.js';
import { differences } from './differential-check.js';
import { SOURCE_SCHEMA } from './pipeline-arbitrary.js';
import { COUNT_FIELD, WINDOW_START_FIELD, type Pipeline, type Row, type StatelessStage, type Terminal } from './pipeline-model.js';

const MAX_LENGTH = Number(process.env.FLOWLINE_CHAIN_LENGTH ?? 2);

/** One of each stateless operator; each keeps the source's fields so any of them can follow any other. */
const STAGES: Record<string, StatelessStage> = {
    // The filter: passes its input record through unchanged.
    filter: { op: 'filter', cond: { k: 'cmp', op: '<', l: { k: 'field', name: 'q' }, r: { k: 'int', v: 24 } } },
    map: {
        op: 'map', keyword: 'map', items: SOURCE_SCHEMA.map((f) => ({
            name: f.name,
            expr: f.name === 'q' ? { k: 'arith', op: '-', l: { k: 'arith', op: '*', l: { k: 'field', name: 'q' }, r: { k: 'int', v: 2 } }, r: { k: 'int', v: 7 } } : null
        }))
    },
    select: {
        op: 'map', keyword: 'select', items: SOURCE_SCHEMA.map((f) => ({
            name: f.name,
            expr: f.name === 't' ? { k: 'coalesce', args: [{ k: 'field', name: 't' }, { k: 'field', name: 'k' }] } : null
        }))
    },
    // Replaces s by each of its dash-separated parts.
    flatMap: { op: 'flatMap', array: { k: 'split', s: { k: 'field', name: 's' } }, as: 's' }
};

const sum = (name: string) => ({ k: 'agg' as const, name: 'total', fn: 'sum' as const, distinct: false, arg: { k: 'field' as const, name } });
const TERMINALS: Record<string, Terminal | null> = {
    none: null,
    'global aggregate': { op: 'aggregate', keys: [], items: [{ k: 'count', name: COUNT_FIELD }, sum('q'), { k: 'agg', name: 'top', fn: 'max', distinct: false, arg: { k: 'field', name: 's' } }] },
    'keyBy + aggregate': { op: 'aggregate', keys: ['k'], items: [{ k: 'key', name: 'k' }, { k: 'count', name: COUNT_FIELD }, sum('q'), { k: 'agg', name: 'kinds', fn: 'count', distinct: true, arg: { k: 'field', name: 's' } }] },
    'keyBy + reduce': { op: 'reduce', keys: ['k', 's'], items: [{ k: 'key', name: 'k' }, { k: 'key', name: 's' }, { k: 'count', name: COUNT_FIELD }, sum('t')] },
    'keyBy + tumbling window + aggregate': {
        op: 'aggregate', keys: ['k'], window: { type: 'tumbling', size: 10 },
        items: [{ k: 'key', name: 'k' }, { k: 'windowStart', name: WINDOW_START_FIELD }, { k: 'count', name: COUNT_FIELD }, sum('q')]
    },
    distinct: { op: 'distinct', keys: [] },
    'keyBy + distinct': { op: 'distinct', keys: ['s'] }
};

/** Fixed input: repeated keys, duplicates, nulls, and strings with and without dashes. */
const ROWS: Row[] = Array.from({ length: 24 }, (_, i) => ({
    k: i % 4,
    q: (i * 7) % 31 - 3,
    s: ['a', 'a-b', 'b', '', 'b-a-a'][i % 5],
    t: i % 3 === 0 ? null : i % 6,
    u: i % 4 === 0 ? null : 'u',
    f: i % 5 === 0 ? null : i % 2 === 0,
    ts: Date.UTC(2026, 2, 2, 9, 0, 0) + ((i * 13) % 40) * 60_000
}));

/** Every sequence of the stateless operators of length 0..max. */
function sequences(max: number): string[][] {
    const all: string[][] = [[]];
    let previous: string[][] = [[]];
    for (let length = 1; length <= max; length++) {
        previous = previous.flatMap((seq) => Object.keys(STAGES).map((op) => [...seq, op]));
        all.push(...previous);
    }
    return all;
}

let runner: InProcessRunner;
before(async () => { runner = await InProcessRunner.start(); });
after(async () => { await runner.stop(); });

for (const [terminalName, terminal] of Object.entries(TERMINALS)) {
    test(`every chain of up to ${MAX_LENGTH} filter/map/select/flatMap operators then ${terminalName === 'none' ? 'a sink' : terminalName} gives the reference's records fused at parallelism 1, 2 and 4 and unfused at parallelism 1 and 2, in batch and streaming mode`, { timeout: 600_000 }, async () => {
        const problems: string[] = [];
        for (const sequence of sequences(MAX_LENGTH)) {
            const p: Pipeline = { source: 'values', schema: SOURCE_SCHEMA, rows: ROWS, unionRows: null, stages: sequence.map((op) => STAGES[op]), terminal, after: [] };
            const problem = await differences(runner, p);
            if (problem !== null) problems.push(`[${sequence.join(' | ') || 'no operator'}] ${problem}`);
        }
        if (problems.length > 0) throw new Error(`${problems.length} chain shapes differ:\n${problems.join('\n\n')}`);
    });
}
