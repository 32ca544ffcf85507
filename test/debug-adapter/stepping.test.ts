/**
 * Stepping, pausing, evaluating, exception stops and stopping the job, through a real DAP client
 * against `flowline debug-adapter` over stdio (fixtures/shop.flow).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { withSession, SHOP, lineOf } from './dap-session.js';

const SOURCE = readFileSync(SHOP, 'utf8');
const line = (text: string): number => lineOf(text, SOURCE);

test('step over lets the record move on and stops where it reaches the next operator', () => withSession(async (s) => {
    await s.launch({ program: SHOP, pipeline: 'Totals' }, [{ line: line('| filter amount > 10'), condition: 'id == "o5"' }]);
    const first = await s.nextStop();
    assert.equal(first.frames[0].line, line('| filter amount > 10'));
    await s.client.nextRequest({ threadId: first.event.body.threadId! });
    const second = await s.nextStop();
    assert.equal(second.event.body.reason, 'step');
    assert.deepEqual(second.frames.map((f) => f.line), [line('| map { id, customer'), line('| filter amount > 10'), line('source orders: Order = csv("orders.csv", header: true)')]);
    assert.equal((await s.scopes(second.frames[0].id)).Record.id.value, '"o5"');
    await s.client.nextRequest({ threadId: second.event.body.threadId! });
    const third = await s.nextStop();
    assert.equal(third.frames[0].line, line('| aggregate { country, orders'));
    assert.equal(third.event.body.reason, 'step');
    const record = (await s.scopes(third.frames[0].id)).Record;
    // After the map: an order in cents. Across the keyBy exchange the stop is at the next record
    // reaching the aggregate, which may be one already on its way there before o5 (docs/debugging.md).
    assert.equal(record.cents.type, 'long');
    assert.ok(['"o1"', '"o3"', '"o4"', '"o5"'].includes(record.id.value), record.id.value);
    await s.client.continueRequest({ threadId: third.event.body.threadId! });
    assert.equal(await s.continueToEnd(), 0);
}));

test('the Debug Console evaluates .flow expressions on the stopped record, and hovers show fields', () => withSession(async (s) => {
    await s.launch({ program: SHOP, pipeline: 'Totals' }, [{ line: line('| filter amount > 10'), hitCondition: '1' }]);
    const { event, frames } = await s.nextStop();
    const evaluate = (expression: string, context = 'repl') => s.client.evaluateRequest({ expression, context, frameId: frames[0].id });
    assert.deepEqual((await evaluate('amount * 2')).body.result, '241');
    assert.deepEqual((await evaluate('customer == "alice" and amount > 100')).body.result, 'true');
    assert.deepEqual((await evaluate('upper(country)')).body.result, '"DE"');
    assert.deepEqual((await evaluate('ts')).body.result, '2024-03-01T10:05:00.000Z');
    assert.deepEqual((await evaluate('customer', 'hover')).body.result, '"alice"');
    await assert.rejects(evaluate('custmer'), /Unknown field 'custmer'/);
    await s.client.continueRequest({ threadId: event.body.threadId! });
    assert.equal(await s.continueToEnd(), 0);
}));

test('an exception breakpoint stops on a bad input row before it is skipped, with the row and where it is', () => withSession(async (s) => {
    await s.launch({ program: SHOP, pipeline: 'BadRows' }, [], SHOP, ['badRows']);
    const { event, frames } = await s.nextStop();
    assert.equal(event.body.reason, 'exception');
    assert.equal(frames[0].line, line('source orders: Order = csv("bad-orders.csv", header: true) {'));
    const info = await s.client.exceptionInfoRequest({ threadId: event.body.threadId! });
    assert.match(info.body.description ?? '', /bad-orders\.csv:3/);
    const error = (await s.scopes(frames[0].id)).Error;
    assert.match(error.raw.value, /not-a-number/);
    assert.equal(error.line.value, '3');
    await s.client.continueRequest({ threadId: event.body.threadId! });
    assert.equal(await s.continueToEnd(), 0);
    // Skipped as the pipeline says: the two good rows are written.
    assert.equal(s.printed().length, 2);
}));

test('pause stops a running job at its next record, continue resumes it, and stop cancels it and frees its slots', () => withSession(async (s) => {
    await s.launch({ program: SHOP, pipeline: 'Ticks', parallelism: 1, restPort: 0 });
    const announced = /REST API of the debug cluster: (\S+) \(token (\w+)\)/.exec(s.console());
    assert.ok(announced, s.console());
    const [, url, token] = announced;
    const rest = async (path: string): Promise<Record<string, unknown>> =>
        (await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}` } })).json() as Promise<Record<string, unknown>>;
    await new Promise((resolve) => setTimeout(resolve, 300));
    await s.client.pauseRequest({ threadId: 1 });
    const paused = await s.nextStop();
    assert.equal(paused.event.body.reason, 'pause');
    const n = Number((await s.scopes(paused.frames[0].id)).Record.n.value);
    assert.ok(n >= 1, `n = ${n}`);
    // Paused means paused: the source reads no further.
    const read = async (): Promise<number> => {
        const jobs = (await rest('/jobs/overview')).jobs as { jid: string }[];
        const details = await rest(`/jobs/${jobs[0].jid}`);
        return (details.sources as { 'read-records': number }[])[0]['read-records'];
    };
    const before = await read();
    await new Promise((resolve) => setTimeout(resolve, 1200));
    assert.equal(await read(), before);
    await s.client.continueRequest({ threadId: paused.event.body.threadId! });
    // A pause sent at once may stop the same record at its next operator; wait for the source to read on.
    for (const deadline = Date.now() + 10_000; await read() === before;) {
        assert.ok(Date.now() < deadline, 'the source read no record within 10 s of continue');
        await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await s.client.pauseRequest({ threadId: 1 });
    const again = await s.nextStop();
    const later = Number((await s.scopes(again.frames[0].id)).Record.n.value);
    assert.ok(later > n, `paused at n = ${n}, then at n = ${later}`);

    const overview = await rest('/overview');
    assert.ok((overview['slots-available'] as number) < (overview['slots-total'] as number), JSON.stringify(overview));
    await s.client.terminateRequest({});
    assert.equal(await s.continueToEnd(), 0);
    const after = await rest('/overview');
    assert.equal(after['slots-available'], after['slots-total']);
    const jobs = (await rest('/jobs/overview')).jobs as { state: string }[];
    assert.equal(jobs[0].state, 'CANCELED');
    assert.match(s.console(), /Job CANCELED/);
}));
