/**
 * What the Testing view shows, from the real answers of the tools it talks to: the language
 * server's `flowline/discoverTests` (the tree: file → pipeline → test) and the report of
 * `flowline test --reporter json` (the outcome of each test with its messages at the `expect`
 * lines, and the operators no test reached). The fixture workspace is the end-to-end suite's
 * (test/e2e/fixtures/testing): one test passes, one has a deliberately wrong expectation.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { FlowRequests } from '../../protocol/lsp-requests.js';
import type { DiscoveredTest, TestRunReport } from '../../protocol/pipeline-tests.js';
import { coverageNote, pipelineCoverage } from '../../client/src/testing/operator-coverage-model.js';
import { pipelineNodeId, fileTestTree } from '../../client/src/testing/test-tree-model.js';
import { erroredOutcomes, parseTestRunReport, testOutcomes } from '../../client/src/testing/test-run-outcomes.js';
import { testCommandArguments } from '../../client/src/testing/test-command-arguments.js';
import { LspClient } from '../lsp/lsp-client.js';
import { REPO_ROOT, runCli } from '../support/run-cli.js';

const PASSING = 'orders above 10 are summed per country';
const FAILING = 'small orders count towards the total';

let workspace: string;
let report: TestRunReport;
let testFile: string;

/** The 0-based line of the test file that contains `text` (after the line containing `after`, when given). */
function lineOf(text: string, after?: string): number {
    const lines = readFileSync(testFile, 'utf8').split('\n');
    const from = after === undefined ? 0 : lines.findIndex((l) => l.includes(after));
    return lines.findIndex((l, i) => i >= from && l.includes(text));
}

before(async () => {
    workspace = mkdtempSync(join(tmpdir(), 'flowline-test-explorer-'));
    cpSync(join(REPO_ROOT, 'test/e2e/fixtures/testing'), workspace, { recursive: true });
    testFile = join(workspace, 'spend.test.flow');
    // The arguments the extension gives the bundled CLI, so this report is the one it reads.
    const result = await runCli(testCommandArguments(testFile, undefined), { cwd: workspace });
    assert.equal(result.code, 1, `one test fails, so flowline test exits 1 (stderr: ${result.stderr})`);
    const parsed = parseTestRunReport(result.stdout);
    assert.ok(parsed, `stdout is one TestRunReport: ${result.stdout.slice(0, 300)}`);
    report = parsed;
});

after(() => rmSync(workspace, { recursive: true, force: true }));

describe('test outcomes from flowline test --reporter json', () => {
    test('the passing test passes with no message and its duration', () => {
        const [outcome] = testOutcomes(report, [{ id: 'a', name: PASSING }], 'spend.test.flow');
        assert.equal(outcome.status, 'passed');
        assert.deepEqual(outcome.messages, []);
        assert.ok(typeof outcome.durationMs === 'number' && outcome.durationMs >= 0);
    });

    test('the wrong expectation fails with one message at its expect line, carrying the expected and actual records for a diff', () => {
        const [outcome] = testOutcomes(report, [{ id: 'b', name: FAILING }], 'spend.test.flow');
        assert.equal(outcome.status, 'failed');
        assert.equal(outcome.messages.length, 1);
        const [message] = outcome.messages;
        assert.equal(message.location?.uri, pathToFileURL(testFile).href);
        assert.equal(message.location?.range.start.line, lineOf('expect perCountry', FAILING));
        assert.match(message.expected ?? '', /55/);
        assert.match(message.actual ?? '', /"?total"?: 50/);
        assert.doesNotMatch(message.actual ?? '', /55/);
    });

    test('a requested test the report does not have is errored, naming the test and the file', () => {
        const [outcome] = testOutcomes(report, [{ id: 'c', name: 'a test deleted since' }], 'spend.test.flow');
        assert.equal(outcome.status, 'errored');
        assert.match(outcome.messages[0].text, /no test named "a test deleted since" in spend\.test\.flow/);
    });

    test('the tests of a file with errors are errored with the checker\'s message from stderr, naming file and line', async () => {
        const broken = join(workspace, 'broken.test.flow');
        writeFileSync(broken, 'import "spend.flow"\ntest "x" for Spend {\n    given nowhere = values({ id: 1 })\n}\n');
        const result = await runCli(testCommandArguments(broken, undefined), { cwd: workspace });
        rmSync(broken);
        assert.equal(result.code, 1, `a file with errors fails the run (stdout: ${result.stdout})`);
        const parsed = parseTestRunReport(result.stdout);
        const outcomes = parsed
            ? testOutcomes(parsed, [{ id: 'x', name: 'x' }], 'broken.test.flow', result.stderr)
            : erroredOutcomes([{ id: 'x', name: 'x' }], result.stderr);
        assert.equal(outcomes[0].status, 'errored');
        assert.match(outcomes[0].messages[0].text, /broken\.test\.flow:3:\d+: .*nowhere/);
    });

    test('output that is not a report is recognised as such', () => {
        assert.equal(parseTestRunReport(''), undefined);
        assert.equal(parseTestRunReport('{"passed": 1}'), undefined);
        assert.equal(parseTestRunReport('spend.test.flow: 1 passed'), undefined);
    });
});

describe('pipeline coverage from the report', () => {
    test('the operator no test reached is the refunds map, located on its line of the pipeline', () => {
        const [coverage] = pipelineCoverage(report.tests);
        assert.equal(coverage.pipeline, 'Spend');
        assert.deepEqual(coverage.tests.sort(), [FAILING, PASSING].sort());
        const pipelineText = readFileSync(join(workspace, 'spend.flow'), 'utf8').split('\n');
        const unreached = coverage.unreached.map((op) => `${op.nodeId}@${op.location ? pipelineText[op.location.range.start.line].trim() : '?'}`);
        // The refunds filter sees every order and passes none: its map and its sink get nothing.
        assert.deepEqual(unreached, ['Spend/refunds/1-map@| map { id, refund: -amount }', 'Spend/sink/1@sink refunds -> jsonl("out/refunds.jsonl")']);
        assert.equal(coverage.reached + coverage.unreached.length, coverage.operators);
        const note = coverageNote(coverage, (uri) => uri.slice(uri.lastIndexOf('/') + 1));
        assert.match(note[0], /^Pipeline coverage of Spend: \d+ of \d+ operators reached by 2 tests; no test's records reached:$/);
        assert.ok(note.some((line) => /Spend\/refunds\/1-map \(spend\.flow:\d+\)/.test(line)), note.join('\n'));
    });

    test('an errored test counts for no operator', () => {
        const errored = report.tests.map((t) => ({ ...t, status: 'errored' as const }));
        assert.deepEqual(pipelineCoverage(errored), []);
    });
});

describe('the Testing view tree from flowline/discoverTests', () => {
    let client: LspClient;
    let discovered: DiscoveredTest[];
    let uri: string;

    before(async () => {
        client = await LspClient.start({ workspace });
        uri = await client.open('spend.test.flow');
        discovered = await client.connection.sendRequest(FlowRequests.discoverTests, { uri });
    });

    after(() => client.stop());

    test('a test file becomes one file item with its pipeline and the tests in the order written, each ranged on its block', () => {
        const tree = fileTestTree(uri, discovered);
        assert.ok(tree);
        assert.equal(tree.uri, uri);
        assert.deepEqual(tree.pipelines.map((p) => [p.id, p.label]), [[pipelineNodeId(uri, 'Spend'), 'Spend']]);
        const tests = tree.pipelines[0].tests;
        assert.deepEqual(tests.map((t) => t.label), [PASSING, FAILING]);
        assert.deepEqual(tests.map((t) => t.id), [`${uri}::${PASSING}`, `${uri}::${FAILING}`]);
        assert.deepEqual(tests.map((t) => t.range.start.line), [lineOf(`test "${PASSING}"`), lineOf(`test "${FAILING}"`)]);
    });

    test('the tree groups tests by pipeline and a file without tests has none', async () => {
        assert.equal(fileTestTree(uri, []), undefined);
        const pipelineUri = await client.open('spend.flow');
        const none = await client.connection.sendRequest<DiscoveredTest[]>(FlowRequests.discoverTests, { uri: pipelineUri });
        assert.equal(fileTestTree(pipelineUri, none), undefined);
    });

    test('tests typed into an open document are discovered from its unsaved text', async () => {
        const text = readFileSync(testFile, 'utf8') + '\ntest "typed just now" for Spend {\n    given orders = values({ id: 9, country: "IT", amount: 12.0 })\n    expect perCountry = values({ country: "IT", total: 12.0, n: 1 })\n}\n';
        await client.change(uri, text);
        const now = await client.connection.sendRequest<DiscoveredTest[]>(FlowRequests.discoverTests, { uri });
        assert.deepEqual(fileTestTree(uri, now)?.pipelines[0].tests.map((t) => t.label), [PASSING, FAILING, 'typed just now']);
    });
});
