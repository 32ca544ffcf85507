/**
 * `flowline submit` against a real Flink 2.3.0 (test/support/flink-cluster.ts): a batch pipeline
 * runs to FINISHED and writes the rows the local runtime writes for the same file; a job that
 * fails on Flink exits like a failed `flowline run`, with Flink's message; a pipeline Flink cannot
 * run is refused with the translator's diagnostic; no answering cluster is a clear error.
 */
import { strict as assert } from 'node:assert';
import { copyFileSync, cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { flinkClusterForTests, freePort, type FlinkClusterForTests } from '../support/flink-cluster.js';
import { REPO_ROOT, runCli } from '../support/run-cli.js';

const FIXTURES = join(REPO_ROOT, 'test', 'flink', 'fixtures');
const temp = mkdtempSync(join(tmpdir(), 'flowline-submit-test-'));
after(() => rmSync(temp, { recursive: true, force: true }));

/** The data lines of a csv sink: Flink writes a folder of part files without a header, the local runtime one file with one. */
function csvRows(path: string): string[] {
    const files = statSync(path).isDirectory() ? readdirSync(path).filter((f) => !f.startsWith('.')).map((f) => join(path, f)) : [path];
    const lines = files.flatMap((f) => readFileSync(f, 'utf8').split('\n')).filter((l) => l.length > 0);
    return lines.filter((l) => l !== 'n,doubled').sort();
}

/** The records of a jsonl sink (Flink's folder of part files or the local file), each re-serialised with the keys in `keys`' order, sorted. */
function jsonRecords(path: string, keys = ['sensor', 'n', 'withValue', 'top', 'end']): string[] {
    const files = statSync(path).isDirectory() ? readdirSync(path).filter((f) => !f.startsWith('.')).map((f) => join(path, f)) : [path];
    return files.flatMap((f) => readFileSync(f, 'utf8').split('\n')).filter((l) => l.length > 0).map((l) => {
        const record = JSON.parse(l) as Record<string, unknown>;
        return JSON.stringify(Object.fromEntries(keys.map((k) => [k, record[k]])));
    }).sort();
}

function fixtureIn(name: string): { dir: string; file: string } {
    const dir = mkdtempSync(join(temp, 'run-'));
    copyFileSync(join(FIXTURES, name), join(dir, name));
    cpSync(join(FIXTURES, 'data'), join(dir, 'data'), { recursive: true });
    return { dir, file: join(dir, name) };
}

describe('flowline submit', () => {
    let cluster: FlinkClusterForTests;
    let target: string[];
    before(async () => {
        cluster = await flinkClusterForTests();
        target = ['--flink', cluster.restUrl, '--sql-gateway', cluster.sqlGatewayUrl];
    });

    it('--wait runs a batch pipeline to FINISHED and it writes the rows the local runtime writes', async () => {
        const onFlink = fixtureIn('doubled-to-csv.flow');
        const result = await runCli(['submit', onFlink.file, ...target, '--wait']);
        assert.equal(result.code, 0, result.stderr);
        const printed = JSON.parse(result.stdout);
        assert.equal(printed.pipeline, 'DoubledToCsv');
        assert.match(printed.jobId, /^[0-9a-f]{32}$/);
        assert.equal(printed.webUiUrl, `${cluster.restUrl}/#/job/running/${printed.jobId}/overview`);
        assert.match(result.stderr, /FINISHED\n/);
        const job = await (await fetch(`${cluster.restUrl}/jobs/${printed.jobId}`)).json() as { state: string };
        assert.equal(job.state, 'FINISHED');

        const local = fixtureIn('doubled-to-csv.flow');
        const reference = await runCli(['run', local.file]);
        assert.equal(reference.code, 0, reference.stderr);
        const flinkRows = csvRows(join(onFlink.dir, 'out', 'doubled.csv'));
        assert.deepEqual(flinkRows, ['16,32', '17,34', '18,36', '19,38', '20,40']);
        assert.deepEqual(flinkRows, csvRows(join(local.dir, 'out', 'doubled.csv')));
    });

    it('--wait exits with 1, as flowline run, when the job fails on Flink, printing Flink\'s exception', async () => {
        const result = await runCli(['submit', join(FIXTURES, 'fails-on-flink.flow'), ...target, '--wait']);
        assert.equal(result.code, 1, result.stderr);
        assert.match(result.stderr, /FAILED\n/);
        assert.match(result.stderr, /flowline: Flink job [0-9a-f]{32} FAILED: java\.lang\.ArithmeticException: \/ by zero/);
        const local = await runCli(['run', join(FIXTURES, 'fails-on-flink.flow')]);
        assert.equal(local.code, result.code, 'the local runtime fails the same pipeline with the same exit code');
    });

    it('refuses a pipeline Flink cannot run with the translator\'s diagnostic at its line and column', async () => {
        const result = await runCli(['submit', 'test/flink/fixtures/udf-pipeline.flow', ...target]);
        assert.equal(result.code, 1);
        assert.match(result.stderr, /test\/flink\/fixtures\/udf-pipeline\.flow:9:11: error flink-user-function: shout is a TypeScript user function/);
        assert.match(result.stderr, /WithUserFunction cannot run on Flink \(1 problem above\)/);
        assert.equal(result.stdout, '', 'nothing was submitted');
    });

    it('--wait runs watermarked values(...) from the data file it writes, and Flink\'s records equal the local runtime\'s', async () => {
        const onFlink = fixtureIn('values-watermark-to-jsonl.flow');
        const result = await runCli(['submit', onFlink.file, ...target, '--wait']);
        assert.equal(result.code, 0, result.stderr);
        const dataFile = join(onFlink.dir, '.flowline', 'flink', 'ValuesPerWindow', 'readings.jsonl');
        assert.equal(readFileSync(dataFile, 'utf8').split('\n').filter((l) => l !== '').length, 5, 'one JSON line per inline row');

        const local = fixtureIn('values-watermark-to-jsonl.flow');
        const reference = await runCli(['run', local.file]);
        assert.equal(reference.code, 0, reference.stderr);
        const flinkRecords = jsonRecords(join(onFlink.dir, 'out', 'per-window.jsonl'));
        assert.equal(flinkRecords.length, 4);
        assert.deepEqual(flinkRecords, jsonRecords(join(local.dir, 'out', 'per-window.jsonl')));
        assert.ok(flinkRecords.includes(JSON.stringify({ sensor: 'b', n: 1, withValue: 1, top: 1e-7, end: '2024-01-01T00:00:10.000Z' })));
        assert.ok(flinkRecords.includes(JSON.stringify({ sensor: 'a', n: 1, withValue: 0, top: null, end: '2024-01-01T00:00:20.000Z' })));
    });

    it('--wait skips the malformed csv rows of an onError skip source that the local runtime skips, and keeps the same rows', async () => {
        const keys = ['id', 'n', 'score', 'ok', 'note', 'ts'];
        const onFlink = fixtureIn('skip-bad-rows.flow');
        const result = await runCli(['submit', onFlink.file, ...target, '--wait']);
        assert.equal(result.code, 0, result.stderr);
        const local = fixtureIn('skip-bad-rows.flow');
        const reference = await runCli(['run', local.file]);
        assert.equal(reference.code, 0, reference.stderr);
        assert.match(reference.stderr, /13 rows read, 9 skipped/);
        const flinkRecords = jsonRecords(join(onFlink.dir, 'out', 'kept.jsonl'), keys);
        assert.deepEqual(flinkRecords.map((r) => (JSON.parse(r) as { id: number }).id).sort((a, b) => a - b), [1, 3, 8, 11]);
        assert.deepEqual(flinkRecords, jsonRecords(join(local.dir, 'out', 'kept.jsonl'), keys));
    });

    it('submits to the local Flink recorded in the state folder when no URL is given', async () => {
        const { file } = fixtureIn('doubled-to-csv.flow');
        const result = await runCli(['submit', file, '--state-dir', cluster.stateDir, '--pipeline', 'DoubledToCsv'], {
            env: { FLOWLINE_FLINK_REST_URL: '', FLOWLINE_FLINK_SQL_GATEWAY_URL: '' }
        });
        assert.equal(result.code, 0, result.stderr);
        assert.match(result.stderr, /Submitted DoubledToCsv to the local Flink of `flowline flink start`/);
        assert.match(JSON.parse(result.stdout).jobId, /^[0-9a-f]{32}$/);
    });
});

describe('flowline submit without a Flink to submit to', () => {
    it('reports what Flink cannot run before looking for a cluster (exit 1, the diagnostics, no reachability error)', async () => {
        const [rest, gateway] = [await freePort(), await freePort()];
        const result = await runCli(['submit', 'test/flink/fixtures/udf-pipeline.flow', '--flink', `http://127.0.0.1:${rest}`, '--sql-gateway', `http://127.0.0.1:${gateway}`]);
        assert.equal(result.code, 1);
        assert.match(result.stderr, /udf-pipeline\.flow:9:11: error flink-user-function: shout is a TypeScript user function/);
        assert.match(result.stderr, /WithUserFunction cannot run on Flink \(1 problem above\)/);
        assert.doesNotMatch(result.stderr, /does not answer/);
    });

    it('prints a parallelism Flink SQL cannot set as a warning that does not stop the submit (it goes on to look for the cluster)', async () => {
        const [rest, gateway] = [await freePort(), await freePort()];
        const result = await runCli(['submit', 'test/flink-sql/golden/parallelism.flow', '--flink', `http://127.0.0.1:${rest}`, '--sql-gateway', `http://127.0.0.1:${gateway}`]);
        assert.equal(result.code, 1);
        assert.match(result.stderr, /test\/flink-sql\/golden\/parallelism\.flow:15:11: warning flink-operator-parallelism: filter runs with parallelism 4 locally, but Flink SQL sets no parallelism per operator/);
        assert.match(result.stderr, /parallelism\.flow:\d+:\d+: warning flink-operator-parallelism: sink: blackhole runs with parallelism 3 locally, but Flink's blackhole connector has no 'sink\.parallelism' option/);
        assert.match(result.stderr, /does not answer/);
        assert.doesNotMatch(result.stderr, /: error /);
    });

    it('fails naming the URL that does not answer', async () => {
        const [rest, gateway] = [await freePort(), await freePort()];
        const result = await runCli(['submit', join(FIXTURES, 'doubled-to-csv.flow'), '--flink', `http://127.0.0.1:${rest}`, '--sql-gateway', `http://127.0.0.1:${gateway}`]);
        assert.equal(result.code, 1);
        assert.match(result.stderr, new RegExp(`Flink's REST API at http://127\\.0\\.0\\.1:${rest} does not answer .*the SQL Gateway at http://127\\.0\\.0\\.1:${gateway} does not answer`));
    });

    it('fails saying how to start one when no cluster was started and no URL is given', async () => {
        const result = await runCli(['submit', join(FIXTURES, 'doubled-to-csv.flow'), '--state-dir', join(temp, 'never-started')], {
            env: { FLOWLINE_FLINK_REST_URL: '', FLOWLINE_FLINK_SQL_GATEWAY_URL: '' }
        });
        assert.equal(result.code, 1);
        assert.match(result.stderr, /No Flink cluster to submit to: start a local one with `flowline flink start`/);
    });
});
