/**
 * "Debug Test" through a real DAP client against `flowline debug-adapter`: the launch attribute
 * `test` debugs a test block's graph (its given rows in place of the pipeline's CSV source), with
 * breakpoints on the pipeline's own file, and writes no sink file. The fixture is the end-to-end
 * suite's test workspace (test/e2e/fixtures/testing), copied so a written file would show.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT } from '../support/run-cli.js';
import { withSession, lineOf } from './dap-session.js';

const FAILING = 'small orders count towards the total';
const PASSING = 'orders above 10 are summed per country';
let workspace: string;
let pipelineFile: string;
let testFile: string;

before(() => {
    workspace = mkdtempSync(path.join(tmpdir(), 'flowline-debug-test-'));
    cpSync(path.join(REPO_ROOT, 'test/e2e/fixtures/testing'), workspace, { recursive: true });
    pipelineFile = path.join(workspace, 'spend.flow');
    testFile = path.join(workspace, 'spend.test.flow');
});

after(() => rmSync(workspace, { recursive: true, force: true }));

test('Debug Test stops at a breakpoint in the pipeline file on each given row of the test, not on the rows of the CSV file, and writes no sink file', () => withSession(async (s) => {
    const filterLine = lineOf('| filter amount > 10.0', readFileSync(pipelineFile, 'utf8'));
    const [bp] = await s.launch({ program: testFile, test: FAILING }, [{ line: filterLine }], pipelineFile);
    assert.equal(bp.verified, true, bp.message);
    const seen: string[] = [];
    for (let next = await s.nextEvent(); next; next = await s.nextEvent()) {
        const frames = (await s.client.stackTraceRequest({ threadId: next.body.threadId! })).body.stackFrames;
        assert.equal(frames[0].line, filterLine);
        assert.equal(frames[0].source?.path, pipelineFile);
        const scopes = await s.scopes(frames[0].id);
        seen.push(`${scopes.Record.id.value}:${scopes.Record.amount.value}`);
        await s.client.continueRequest({ threadId: next.body.threadId! });
    }
    // The test gives orders 1 (50.0) and 2 (5.0); the CSV file has four orders.
    assert.deepEqual(seen.sort(), ['1:50', '2:5']);
    assert.deepEqual(s.printed().map((l) => JSON.parse(l) as unknown), [{ country: 'DE', total: 50, n: 1 }]);
    assert.equal(existsSync(path.join(workspace, 'out')), false, 'the jsonl sink of refunds wrote nothing');
    assert.match(s.console(), new RegExp(`Debugging test "${FAILING}" of Spend`));
    assert.match(s.console(), /expectation is not compared: run the test for its outcome/);
}));

test('a launch naming a test the file does not have fails with the tests it has', () => withSession(async (s) => {
    await assert.rejects(s.client.launchRequest({ program: testFile, test: 'no such test' } as never),
        new RegExp(`spend\\.test\\.flow has no test "no such test"; it has "${PASSING}", "${FAILING}"`));
}));

test('a launch with both a test and a pipeline, mode or parallelism is refused, naming each', () => withSession(async (s) => {
    await assert.rejects(s.client.launchRequest({ program: testFile, test: PASSING, pipeline: 'Spend', mode: 'streaming' } as never),
        /'pipeline' does not go with 'test'.*'mode' does not go with 'test'/s);
}));
