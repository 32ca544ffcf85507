/**
 * `flowline sql` on fixture pipelines: the script of every golden fixture (one per source and
 * sink kind, operator, window, join and ranking) equals its `.sql` golden, and every fixture of
 * test/flink-sql/unsupported/ is refused with the diagnostics its `// expect:` lines name (code,
 * line, a part of the message). Update goldens with
 * `UPDATE_GOLDEN=1 node --import tsx --test test/flink-sql/sql-golden.test.ts`.
 */
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT, runCli } from '../support/run-cli.js';

const GOLDEN = join(REPO_ROOT, 'test/flink-sql/golden');
const UNSUPPORTED = join(REPO_ROOT, 'test/flink-sql/unsupported');
const update = process.env.UPDATE_GOLDEN === '1';

/** Absolute paths in the script (file:// URIs of data files) as `<repo>`, so goldens do not depend on the checkout. */
function portable(script: string): string {
    return script.split(`file://${REPO_ROOT}`).join('file://<repo>').split(REPO_ROOT).join('<repo>');
}

describe('flowline sql prints the golden Flink SQL of each fixture', () => {
    for (const file of readdirSync(GOLDEN).filter((f) => f.endsWith('.flow')).sort()) {
        it(`translates ${file} into its golden script`, async () => {
            const result = await runCli(['sql', join('test/flink-sql/golden', file)]);
            assert.equal(result.stderr, '', `no diagnostics expected for ${file}`);
            assert.equal(result.code, 0);
            const golden = join(GOLDEN, file.replace(/\.flow$/, '.sql'));
            const script = portable(result.stdout);
            if (update) writeFileSync(golden, script);
            assert.ok(existsSync(golden), `${golden} is missing; run with UPDATE_GOLDEN=1 to create it.`);
            assert.equal(script, readFileSync(golden, 'utf-8'));
        });
    }
});

interface Expectation { code: string; line: number; fragment: string }

function expectations(file: string): Expectation[] {
    return readFileSync(file, 'utf-8').split('\n')
        .map((line) => /^\/\/ expect: (\S+) at (\d+): (.+)$/.exec(line))
        .filter((m): m is RegExpExecArray => m !== null)
        .map((m) => ({ code: m[1], line: Number(m[2]), fragment: m[3] }));
}

describe('flowline sql refuses what Flink cannot run, naming the construct, why and where', () => {
    for (const file of readdirSync(UNSUPPORTED).filter((f) => f.endsWith('.flow')).sort()) {
        it(`reports the diagnostics ${file} expects and prints no script`, async () => {
            const expected = expectations(join(UNSUPPORTED, file));
            assert.ok(expected.length > 0, `${file} names no expected diagnostic`);
            const relative = join('test/flink-sql/unsupported', file);
            const result = await runCli(['sql', relative]);
            assert.equal(result.code, 1);
            assert.equal(result.stdout, '', 'no script is printed when something cannot run on Flink');
            const reported = result.stderr.split('\n').filter((l) => l.includes(': error '));
            assert.equal(reported.length, expected.length, `diagnostics:\n${result.stderr}`);
            for (const e of expected) {
                const line = reported.find((l) => l.startsWith(`${relative}:${e.line}:`) && l.includes(`error ${e.code}: `));
                assert.ok(line, `expected ${e.code} at line ${e.line}; got:\n${result.stderr}`);
                assert.ok(line.includes(e.fragment), `the message of ${e.code} should say "${e.fragment}": ${line}`);
            }
        });
    }
});

describe('flowline sql on the command line', () => {
    it('refuses an unknown --pipeline as a usage error (exit 2), naming the pipelines the file has', async () => {
        const result = await runCli(['sql', 'test/flink-sql/golden/joins.flow', '--pipeline', 'Nope']);
        assert.equal(result.code, 2);
        assert.equal(result.stdout, '');
        assert.match(result.stderr, /has no pipeline 'Nope'; it has BatchJoins, IntervalJoin/);
    });

    it('refuses a file with errors without a script (exit 1), with the checker\'s diagnostics', async () => {
        const result = await runCli(['sql', 'test/fixtures/invalid/unknown-field.flow']);
        assert.equal(result.code, 1);
        assert.equal(result.stdout, '');
        assert.match(result.stderr, /unknown-field\.flow:\d+:\d+: error unknown-field/);
    });

    it('prints one script for --pipeline, without the pipeline heading', async () => {
        const result = await runCli(['sql', 'test/flink-sql/golden/joins.flow', '--pipeline', 'IntervalJoin']);
        assert.equal(result.code, 0);
        assert.ok(result.stdout.startsWith("SET 'execution.runtime-mode' = 'streaming';"), result.stdout.slice(0, 200));
        assert.ok(!result.stdout.includes('-- Pipeline'));
    });

    it('documents its exit codes and the diagnostic format in --help', async () => {
        const result = await runCli(['sql', '--help']);
        assert.equal(result.code, 0);
        assert.match(result.stdout, /file:line:column: error CODE: message/);
        assert.match(result.stdout, /1 {2}the file has errors, or a pipeline uses something Flink cannot run/);
    });
});
