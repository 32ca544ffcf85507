/**
 * Keyed state is redistributed by key group on a restore at another parallelism, so the key
 * group read back from a state key (state/state-key-groups.ts) must be the one the HASH
 * partitioner sent the record to: generated records with one or several keys of every runtime
 * type (long, double, string, boolean, timestamp, nulls), compared against the partitioner at
 * parallelism MAX_PARALLELISM (where a record's channel is its key group).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { Expr, PrimitiveTypeName } from '../../protocol/logical-graph.js';
import { HashPartitioner } from '../../runtime/src/exchange/hash-partitioner.js';
import { MAX_PARALLELISM } from '../../runtime/src/exchange/key-groups.js';
import { compileStateKey } from '../../runtime/src/expressions/key-codegen.js';
import { keyGroupRange } from '../../runtime/src/checkpoint/savepoint-restore.js';
import { keepRowsOfKeyGroups, stateKeyGroup } from '../../runtime/src/state/state-key-groups.js';

const kinds: PrimitiveTypeName[] = ['long', 'double', 'string', 'boolean', 'timestamp'];
const valueOf: Record<string, fc.Arbitrary<unknown>> = {
    long: fc.integer({ min: -1e12, max: 1e12 }),
    double: fc.double({ noNaN: true, noDefaultInfinity: true }),
    string: fc.string({ maxLength: 8 }).filter((s) => !s.includes('\u0000') && s !== '\u0001'),
    boolean: fc.boolean(),
    timestamp: fc.integer({ min: 0, max: 4e12 })
};

test('the key group of a state key is the one the HASH partitioner sent its record to, for one key and composite keys of every type, with nulls', () => {
    const schema = fc.array(fc.constantFrom(...kinds), { minLength: 1, maxLength: 3 });
    const caseOf = schema.chain((types) => fc.tuple(fc.constant(types), fc.array(fc.tuple(...types.map((t) => fc.option(valueOf[t], { freq: 6 }))), { minLength: 1, maxLength: 20 })));
    fc.assert(fc.property(caseOf, ([types, rows]) => {
        const keys: Expr[] = types.map((t, i) => ({ k: 'field', name: `f${i}`, type: { kind: t, nullable: true } }));
        const partitioner = new HashPartitioner(keys);
        const stateKey = compileStateKey(keys);
        for (const values of rows) {
            const row = Object.fromEntries(values.map((v, i) => [`f${i}`, v]));
            assert.equal(stateKeyGroup(keys, stateKey(row)), partitioner.channelOf(row, MAX_PARALLELISM), JSON.stringify(row));
        }
    }), { seed: 12, numRuns: 300 });
});

test('buffered rows kept by p old subtasks are dealt to q new subtasks by key group: each row to exactly the one that owns its key', () => {
    const keys: Expr[] = [{ k: 'field', name: 'k', type: { kind: 'long', nullable: true } }];
    const partitioner = new HashPartitioner(keys);
    const stateKey = compileStateKey(keys);
    const caseOf = fc.tuple(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 8 }), fc.array(fc.option(fc.integer({ min: -1000, max: 1000 }), { freq: 8 }), { maxLength: 60 }));
    fc.assert(fc.property(caseOf, ([p, q, ks]) => {
        const rows = ks.map((k, seq) => ({ k, seq }));
        // Each old subtask keeps the rows the partitioner sent it.
        const pieces = Array.from({ length: p }, (_, i) => ({ rows: rows.filter((r) => partitioner.channelOf(r, p) === i), keyGroups: keyGroupRange(i, p) }));
        const dealt = Array.from({ length: q }, (_, j) => keepRowsOfKeyGroups(keys, stateKey, pieces, keyGroupRange(j, q)));
        assert.deepEqual(dealt.flat().map((r) => r.seq).sort((a, b) => a - b), rows.map((r) => r.seq));
        dealt.forEach((kept, j) => { for (const r of kept) assert.equal(partitioner.channelOf(r, q), j, JSON.stringify(r)); });
    }), { seed: 13, numRuns: 200 });
});

test('a buffered row outside the key groups of the subtask that kept it is refused, not moved', () => {
    const keys: Expr[] = [{ k: 'field', name: 'k', type: { kind: 'long', nullable: false } }];
    const stateKey = compileStateKey(keys);
    const partitioner = new HashPartitioner(keys);
    const row = { k: 1 };
    const wrong = partitioner.channelOf(row, 2) === 0 ? 1 : 0;
    assert.throws(() => keepRowsOfKeyGroups(keys, stateKey, [{ rows: [row], keyGroups: keyGroupRange(wrong, 2) }], keyGroupRange(0, 1)), /outside the key groups/);
});
