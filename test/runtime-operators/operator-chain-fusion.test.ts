/** The operator chain fuses runs of stateless operators, unless operator fusion is turned off. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OperatorChain, type ChainHost } from '../../runtime/src/cluster/taskmanager/operator-chain.js';
import type { Row } from '../../runtime/src/operators/operator.js';
import { bin, call, field, lit, node, schema } from './graph-nodes.js';

function host(operatorFusion: boolean, out: Row[]): ChainHost {
    return {
        subtaskIndex: 0, parallelism: 1, mode: 'batch', operatorFusion,
        emitTail: (rows) => { out.push(...rows); },
        emitSide: () => {}, countDropped: () => {}, countSinkRecords: () => {}, printText: () => {},
        collectRows: () => {}, pendingWrite: () => {}
    };
}

test('a filter, a map and the global aggregate after them are one fused link, or three links with fusion off, with the same result', async () => {
    const s = schema({ q: 'int' });
    const filter = node({ kind: 'filter', predicate: bin('<', field('q', 'int'), lit(24), 'boolean') }, s);
    const map = node({ kind: 'map', fields: [{ name: 'q', expr: bin('*', field('q', 'int'), lit(2), 'int') }] }, s);
    const agg = node({ kind: 'aggregate', keys: [], fields: [{ name: 'n', expr: call('count', [], 'long') }, { name: 'total', expr: call('sum', [field('q', 'int')], 'int') }], rolling: false }, schema({ n: 'long', total: 'int' }));
    const results: Record<string, Row[]> = {};
    for (const fusion of [true, false]) {
        const out: Row[] = [];
        const chain = new OperatorChain([filter, map, agg], host(fusion, out));
        assert.equal(chain.links.length, fusion ? 1 : 3);
        await chain.open();
        chain.processHead([{ q: 3 }, { q: 30 }, { q: 23 }], 0);
        chain.processHead([{ q: 24 }, { q: 7 }], 0);
        chain.endAll();
        results[fusion ? 'fused' : 'unfused'] = out;
    }
    assert.deepEqual(results.fused, [{ n: 3, total: 66 }]);
    assert.deepEqual(results.unfused, results.fused);
});
