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
    return script.split(`file://${REPO_ROOT}`).join('file://<repo>');
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
