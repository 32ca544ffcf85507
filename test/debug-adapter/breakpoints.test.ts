/**
 * Breakpoints through a real DAP client against `flowline debug-adapter` over stdio, on the
 * pipelines of fixtures/shop.flow (orders.csv: 12 orders in DE, FR and NL over three hours).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { DapSession, withSession, SHOP, lineOf } from './dap-session.js';

const SOURCE = readFileSync(SHOP, 'utf8');
const line = (text: string): number => lineOf(text, SOURCE);
const HOURLY_AGGREGATE = line('| aggregate { country, hour');
const TOTALS_FILTER = line('| filter amount > 10');
const TOTALS_SOURCE = line('source orders: Order = csv("orders.csv", header: true)');

test('a breakpoint on a window aggregate stops with the record, its key, its window and the state for the key', () => withSession(async (s) => {
    const [bp] = await s.launch({ program: SHOP, pipeline: 'Hourly' }, [{ line: HOURLY_AGGREGATE, condition: 'country == "DE"', hitCondition: '2' }]);
    assert.equal(bp.verified, true, bp.message);
    const { event, frames } = await s.nextStop();
    assert.equal(event.body.reason, 'breakpoint');
    assert.deepEqual(event.body.hitBreakpointIds, [bp.id]);
    assert.equal(event.body.allThreadsStopped, true);
    // The call stack is the record's path: the aggregate, then the source it was read by.
    assert.deepEqual(frames.map((f) => f.line), [HOURLY_AGGREGATE, line('source orders: Order = csv("orders.csv", header: true) {')]);
    const threads = (await s.client.threadsRequest()).body.threads;
    const stopped = threads.find((t) => t.id === event.body.threadId)!;
    assert.match(stopped.name, /^window tumbling aggregate -> sink: print \(1\/1\) @ taskmanager-\d, slot \d$/);

    const scopes = await s.scopes(frames[0].id);
    // The second DE order is o3 (42.0 at 10:20), in the 10:00-11:00 window after o1.
    assert.deepEqual(scopes.Record.id, { value: '"o3"', type: 'string', ref: 0 });
    assert.deepEqual(scopes.Record.amount, { value: '42', type: 'double', ref: 0 });
    assert.deepEqual(scopes.Record.ts, { value: '2024-03-01T10:20:00.000Z', type: 'timestamp', ref: 0 });
    assert.deepEqual(scopes.Key.country, { value: '"DE"', type: 'string', ref: 0 });
    assert.equal(scopes.Time.window.value, '[2024-03-01T10:00:00.000Z, 2024-03-01T11:00:00.000Z)');
    const windowBounds = await s.variables(scopes.Time.window.ref);
    assert.equal(windowBounds.start.value, '2024-03-01T10:00:00.000Z');
    assert.equal(windowBounds.end.value, '2024-03-01T11:00:00.000Z');
    // The state of the DE window so far holds o1 (and not yet o3).
    assert.ok(scopes.State, 'a State scope');
    const stateText = JSON.stringify(await expandAll(s, scopes.State));
    assert.match(stateText, /120\.5|"1"/, stateText);
    assert.ok(scopes.Metrics['read-records'], 'the subtask metrics');
    await s.client.continueRequest({ threadId: event.body.threadId! });
    assert.equal(await s.continueToEnd(), 0);
}));

/** Every variable under a scope, expanded (values only), for content checks. */
async function expandAll(s: DapSession, vars: Record<string, { value: string; ref: number }>): Promise<unknown> {
    const out: Record<string, unknown> = {};
    for (const [name, v] of Object.entries(vars)) out[name] = v.ref > 0 ? await expandAll(s, await s.variables(v.ref)) : v.value;
    return out;
}

test('a conditional breakpoint stops only on the records for which its .flow condition holds', () => withSession(async (s) => {
    const [bp] = await s.launch({ program: SHOP, pipeline: 'Totals' }, [{ line: TOTALS_FILTER, condition: 'amount > 200 and country != "FR"' }]);
    assert.equal(bp.verified, true, bp.message);
    const amounts: string[] = [];
    for (let next = await s.nextEvent(); next; next = await s.nextEvent()) {
        const frames = (await s.client.stackTraceRequest({ threadId: next.body.threadId! })).body.stackFrames;
        amounts.push((await s.scopes(frames[0].id)).Record.amount.value);
        await s.client.continueRequest({ threadId: next.body.threadId! });
    }
    assert.deepEqual(amounts.sort(), ['230', '300']);
}));

test("a wrong condition is an unverified breakpoint with the type checker's message, not a silent miss", () => withSession(async (s) => {
    const [misspelt, notBoolean, syntax] = await s.launch({ program: SHOP, pipeline: 'Totals' }, [
        { line: TOTALS_FILTER, condition: 'amout > 100' },
        { line: TOTALS_SOURCE, condition: 'amount * 2' },
        { line: line('| map { id, customer'), condition: 'amount >' }
    ]);
    assert.equal(misspelt.verified, false);
    assert.match(misspelt.message!, /Unknown field 'amout'.*amount/);
    assert.equal(notBoolean.verified, false);
    assert.match(notBoolean.message!, /must be boolean, but this is double/);
    assert.equal(syntax.verified, false);
    assert.match(syntax.message!, /^Condition: /);
    // None of them stops the job.
    assert.equal(await s.continueToEnd(), 0);
}));

test('a hit count stops on the n-th record, from the n-th on, or on every n-th; other forms are unverified', () => withSession(async (s) => {
    const [third, everyFifth, bad] = await s.launch({ program: SHOP, pipeline: 'Totals' }, [
        { line: TOTALS_SOURCE, hitCondition: '== 3' },
        { line: TOTALS_FILTER, hitCondition: '% 5' },
        { line: line('| aggregate { country, orders'), hitCondition: '> 3' }
    ]);
    assert.equal(bad.verified, false);
    assert.match(bad.message!, /'> 3' is not one of/);
    const seen: string[] = [];
    for (let next = await s.nextEvent(); next; next = await s.nextEvent()) {
        const frames = (await s.client.stackTraceRequest({ threadId: next.body.threadId! })).body.stackFrames;
        seen.push(`${next.body.hitBreakpointIds!.join()}:${(await s.scopes(frames[0].id)).Record.id.value}`);
        await s.client.continueRequest({ threadId: next.body.threadId! });
    }
    // Source reads o1..o12 in order; the filter sees every order: its 5th and 10th are o5 and o10.
    assert.deepEqual(seen, [`${third.id}:"o3"`, `${everyFifth.id}:"o5"`, `${everyFifth.id}:"o10"`]);
}));

test('a logpoint prints its line for every record to the Debug Console without stopping', () => withSession(async (s) => {
    const [bp] = await s.launch({ program: SHOP, pipeline: 'Totals' }, [{ line: TOTALS_FILTER, logMessage: '{customer} paid {amount} ({{EUR}})' }]);
    assert.equal(bp.verified, true, bp.message);
    assert.equal(await s.continueToEnd(), 0);
    const lines = s.console().split('\n').filter((l) => l.includes(' paid '));
    assert.equal(lines.length, 12);
    assert.ok(lines.includes('alice paid 120.5 ({EUR})'), lines.join('\n'));
    const [wrongHole] = await (async () => {
        const other = await DapSession.start();
        try {
            return await other.launch({ program: SHOP, pipeline: 'Totals' }, [{ line: TOTALS_FILTER, logMessage: '{custmer} paid' }]);
        } finally {
            await other.stop();
        }
    })();
    assert.equal(wrongHole.verified, false);
    assert.match(wrongHole.message!, /\{custmer\}.*Unknown field 'custmer'/);
}));

test('a breakpoint on a line with no operator moves to the next operator line, or is unverified when there is none', () => withSession(async (s) => {
    const comment = line('// Orders worth a look');
    const keyBy = line('| keyBy country\n'.trim());
    const afterSink = line('sink perCountry -> print') + 1;
    const [moved, keyed, none] = await s.launch({ program: SHOP, pipeline: 'Totals' }, [{ line: comment }, { line: keyBy }, { line: afterSink }]);
    assert.deepEqual([moved.verified, moved.line], [true, TOTALS_FILTER]);
    // keyBy is not a node: it is the edge into the aggregate, where the breakpoint goes.
    assert.deepEqual([keyed.verified, keyed.line], [true, line('| aggregate { country, orders')]);
    assert.equal(none.verified, false);
    assert.equal(none.message, `No operator on or after line ${afterSink} in pipeline Totals.`);
}));

test('a file with several pipelines needs the pipeline attribute, and the error lists them', () => withSession(async (s) => {
    await assert.rejects(s.client.launchRequest({ program: SHOP } as never), /has 4 pipelines \(Totals, Hourly, BadRows, Ticks\).*'pipeline'/);
}));
