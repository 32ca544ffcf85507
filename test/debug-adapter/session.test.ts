/**
 * The session around the job, through a real DAP client against `flowline debug-adapter`: user
 * functions (Step Into, errors they throw), restart, and launches that cannot start.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { withSession, FIXTURES, SHOP, lineOf } from './dap-session.js';

const UDF = path.join(FIXTURES, 'udf.flow');
const UDF_SOURCE = readFileSync(UDF, 'utf8');

test('step into a user function says in the Debug Console why it does not open, and steps over it', () => withSession(async (s) => {
    const mapLine = lineOf('| map fn("udfs.ts", "label")', UDF_SOURCE);
    await s.launch({ program: UDF, pipeline: 'Labelled' }, [{ line: mapLine, hitCondition: '1' }], UDF);
    const first = await s.nextStop();
    assert.equal(first.frames[0].line, mapLine);
    await s.client.stepInRequest({ threadId: first.event.body.threadId! });
    const next = await s.nextStop();
    assert.equal(next.event.body.reason, 'step');
    assert.equal(next.frames[0].line, lineOf('| filter size == "large"', UDF_SOURCE));
    assert.equal((await s.scopes(next.frames[0].id)).Record.size.value, '"large"');
    assert.match(s.console(), /Step Into: udfs\.ts label\(\) is a user function; Flowline cannot open it in Node's debugger/);
    await s.client.continueRequest({ threadId: next.event.body.threadId! });
    assert.equal(await s.continueToEnd(), 0);
}));

test('an operator-errors exception breakpoint stops where a user function throws, before the job fails', () => withSession(async (s) => {
    await s.launch({ program: UDF, pipeline: 'Failing' }, [], UDF, ['operatorErrors']);
    const { event, frames } = await s.nextStop();
    assert.equal(event.body.reason, 'exception');
    assert.equal(frames[0].line, lineOf('| filter fn("udfs.ts", "priced")', UDF_SOURCE));
    const scopes = await s.scopes(frames[0].id);
    assert.match(scopes.Error.message.value, /cannot price order o9/);
    // The record the function failed on, when the runtime could name it.
    if (scopes.Record) assert.equal(scopes.Record.id.value, '"o9"');
    const exited = s.client.waitForEvent('exited') as Promise<DebugProtocol.ExitedEvent>;
    await s.client.continueRequest({ threadId: event.body.threadId! });
    assert.equal(await s.continueToEnd(), 0);
    assert.equal((await exited).body.exitCode, 1);
    assert.match(s.console(), /Job FAILED/);
}));

test('restart cancels the job and runs the pipeline again, stopping at the breakpoints again', () => withSession(async (s) => {
    const filterLine = lineOf('| filter amount > 10', readFileSync(SHOP, 'utf8'));
    await s.launch({ program: SHOP, pipeline: 'Totals' }, [{ line: filterLine, condition: 'id == "o2"' }]);
    const first = await s.nextStop();
    assert.equal((await s.scopes(first.frames[0].id)).Record.id.value, '"o2"');
    await s.client.restartRequest({});
    const again = await s.nextStop();
    assert.equal((await s.scopes(again.frames[0].id)).Record.id.value, '"o2"');
    await s.client.continueRequest({ threadId: again.event.body.threadId! });
    assert.equal(await s.continueToEnd(), 0);
    // The first run was cancelled quietly: one run's output, one end.
    assert.equal(s.printed().length, 3);
    assert.equal(s.console().match(/Job FINISHED/g)?.length, 1);
}));

test("a program that does not check fails the launch with the checker's errors", () => withSession(async (s) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'flowline-dap-'));
    const broken = path.join(dir, 'broken.flow');
    writeFileSync(broken, 'pipeline P {\n    source s: { a: int } = values({ a: 1 })\n    stream t = s | filter b > 1\n    sink t -> print\n}\n');
    await assert.rejects(s.client.launchRequest({ program: broken } as never), /broken\.flow:3:.*Unknown field 'b'/);
}));

test('wrong launch attributes fail the launch, each named', () => withSession(async (s) => {
    await assert.rejects(s.client.launchRequest({ program: SHOP, pipeline: 'Totals', parallelism: 'two', mode: 'fast' } as never),
        /'mode' must be "batch" or "streaming", not "fast"\. 'parallelism' must be a whole number from 1, not "two"\./);
}));
