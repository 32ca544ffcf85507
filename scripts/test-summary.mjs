// Adds up the TAP summaries (`# pass N`, `# fail N`, `# skipped N`) of the test runs whose TAP
// files are given, and prints the closing line `N passed, N failed[, N skipped]`.
import { readFileSync } from 'node:fs';

let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of process.argv.slice(2)) {
    const tap = readFileSync(file, 'utf8');
    // The runner's own summary is the last `# pass N` (etc.) at the start of a line.
    const count = (name) => {
        const all = [...tap.matchAll(new RegExp(`^# ${name} (\\d+)$`, 'gm'))];
        return all.length ? Number(all[all.length - 1][1]) : 0;
    };
    passed += count('pass');
    failed += count('fail') + count('cancelled');
    skipped += count('skipped');
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);
