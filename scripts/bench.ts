/**
 * `npm run bench [-- names...]`: runs the benchmark workloads in bench/ (all, or those whose file
 * name contains one of the names, e.g. `language`, `runtime`), each with its baselines in the same
 * process run, prints a table of figures and ratios and writes .bench/results.json.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BenchModule, BenchResult } from '../bench/bench-result.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const benchDir = path.join(root, 'bench');
const filters = process.argv.slice(2).filter((a) => !a.startsWith('-'));

const files = readdirSync(benchDir)
    .filter((f) => f.endsWith('.ts') && f !== 'bench-result.ts' && !f.startsWith('_'))
    .filter((f) => filters.length === 0 || filters.some((name) => f.includes(name)))
    .sort();
if (files.length === 0) {
    console.error(`No benchmark in bench/ matches ${filters.join(', ')}; there are: ${readdirSync(benchDir).filter((f) => f.endsWith('.ts')).join(', ')}.`);
    process.exit(2);
}

const results: BenchResult[] = [];
for (const file of files) {
    console.error(`running bench/${file} ...`);
    const mod = await import(pathToFileURL(path.join(benchDir, file)).href) as BenchModule;
    const own = await mod.run();
    results.push(...own);
    printTable(own);
}

mkdirSync(path.join(root, '.bench'), { recursive: true });
const out = path.join(root, '.bench', 'results.json');
writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), node: process.version, results }, null, 2));
console.log(`\n${results.length} figures written to ${path.relative(process.cwd(), out)}`);

function printTable(rows: BenchResult[]): void {
    const fmt = (n: number) => n >= 1000 ? Math.round(n).toLocaleString('en-US') : n.toPrecision(3);
    const lines = rows.map((r) => [
        r.workload, r.name, `${fmt(r.value)} ${r.unit}`,
        r.ratio !== undefined ? `${r.ratio.toFixed(2)}x ${r.baseline ?? ''}` : '', r.target ?? ''
    ]);
    const widths = [0, 1, 2, 3, 4].map((i) => Math.max(...lines.map((l) => l[i].length), 4));
    for (const l of lines) {
        console.log(l.map((c, i) => c.padEnd(widths[i])).join('  '));
    }
}
