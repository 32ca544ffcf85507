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
import { stateKeyGroup } from '../../runtime/src/state/state-key-groups.js';

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
