/**
 * Debugging changes no result: a pipeline run under `flowline debug-adapter` with breakpoints on
 * its source, operators and sink, continued past every stop, prints exactly what `flowline run`
 * prints for it, in batch and streaming mode, at parallelism 1 and 2.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { runCli } from '../support/run-cli.js';
import { DapSession, SHOP, lineOf } from './dap-session.js';

const SOURCE = readFileSync(SHOP, 'utf8');
const line = (text: string): number => lineOf(text, SOURCE);

const BREAKPOINTS: Record<string, number[]> = {
    Totals: [line('source orders: Order = csv("orders.csv", header: true)'), line('| filter amount > 10'), line('| aggregate { country, orders'), line('sink perCountry -> print')],
    Hourly: [line('source orders: Order = csv("orders.csv", header: true) {'), line('| aggregate { country, hour'), line('sink hourly -> print')]
};

for (const pipeline of ['Totals', 'Hourly']) {
    for (const parallelism of [1, 2]) {
        test(`${pipeline} at parallelism ${parallelism} prints under the debugger what flowline run prints`, async () => {
            const normal = await runCli(['run', SHOP, '--pipeline', pipeline, '--parallelism', String(parallelism)]);
            assert.equal(normal.code, 0, normal.stderr);
            const expected = normal.stdout.split('\n').filter((l) => l !== '').sort();
            const session = await DapSession.start();
            try {
                const bps = await session.launch({ program: SHOP, pipeline, parallelism }, BREAKPOINTS[pipeline].map((l) => ({ line: l })));
                assert.ok(bps.every((b) => b.verified), JSON.stringify(bps));
                const stops = await session.continueToEnd();
                // Every record stops at the source; more at the operators and the sink.
                assert.ok(stops > 12, `only ${stops} stops`);
                assert.deepEqual(session.printed().sort(), expected);
                assert.match(session.console(), /Job FINISHED\./);
            } finally {
                await session.stop();
            }
        });
    }
}
