/**
 * Golden runs through the CLI users run: each golden/*.flow is translated with `flowline graph`
 * and run with `flowline run`; its print output must equal golden/<name>.out as a multiset of
 * lines (parallel subtasks interleave). Header comments set expectations:
 * `// args: ...` (for flowline run), `// expect-exit: N`, `// expect-stderr: text` (repeatable),
 * `// modes: batch streaming` (run in each, same output), `// parallelism: 1 2 4` (run at each, `n> `
 * prefixes stripped, all equal to the .out file), `// ordered` (lines compared in order).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, test } from 'node:test';

const root = resolve(import.meta.dirname, '..', '..');
const goldenDir = join(import.meta.dirname, 'golden');
const work = mkdtempSync(join(tmpdir(), 'flowline-golden-'));
after(() => rmSync(work, { recursive: true, force: true }));

function flowline(args: string[]) {
    return spawnSync(process.execPath, [join(root, 'bin', 'flowline.js'), ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });
}

const lines = (text: string, ordered = false) => {
    const all = text.split('\n').filter((l) => l !== '');
    return ordered ? all : all.sort();
};

for (const file of readdirSync(goldenDir).filter((f) => f.endsWith('.flow')).sort()) {
    const name = file.replace(/\.flow$/, '');
    const source = readFileSync(join(goldenDir, file), 'utf8');
    const header = (key: string) => new RegExp(`^// ${key}: (.*)$`, 'm').exec(source)?.[1];
    const exit = Number(header('expect-exit') ?? 0);
    const stderr = [...source.matchAll(/^\/\/ expect-stderr: (.*)$/gm)].map((m) => m[1]);
    const args = header('args')?.split(/\s+/) ?? [];
    const parallelisms = header('parallelism')?.split(/\s+/) ?? [undefined];
    const modes = header('modes')?.split(/\s+/) ?? [undefined];
    const ordered = /^\/\/ ordered$/m.test(source);
    const summary = source.match(/\/\*\*\s*(.*?)\s*\*\//s)?.[1] ?? name;

    test(`golden ${name}: ${summary}`, () => {
        const graph = flowline(['graph', join('test', 'runtime-operators', 'golden', file), '--format', 'json']);
        assert.equal(graph.status, 0, graph.stderr);
        const graphFile = join(work, `${name}.json`);
        writeFileSync(graphFile, graph.stdout);
        const expected = lines(readFileSync(join(goldenDir, `${name}.out`), 'utf8'), ordered);
        for (const mode of modes) for (const p of parallelisms) {
            const run = flowline(['run', graphFile, ...args, ...(p ? ['--parallelism', p] : []), ...(mode ? ['--mode', mode] : [])]);
            const at = `at parallelism ${p ?? 'as written'}, mode ${mode ?? 'as written'}`;
            assert.equal(run.status, exit, `exit code ${at}; stderr:\n${run.stderr}`);
            for (const text of stderr) assert.ok(run.stderr.includes(text), `stderr should contain ${text}, was:\n${run.stderr}`);
            const actual = lines(p ? run.stdout.replace(/^\d+> /gm, '') : run.stdout, ordered);
            assert.deepEqual(actual, expected, `output ${at}`);
        }
    });
}
