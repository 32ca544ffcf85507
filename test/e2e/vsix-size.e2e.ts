/**
 * The size of flowline.vsix that README.md and docs/vscode-extension.md state ("about 1.8 MB") is
 * the size of the package `npm run package` builds. Runs with the end-to-end suite, right after
 * `npm test` (or `npm run test:e2e`) packaged the extension; the console-examples test cannot
 * build it, as packaging rebuilds dist/ under the other tests' feet.
 */
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from '../support/run-cli.js';

/** How far a stated "about" size may be from the real one: it is rounded to 0.1 MB and drifts a little. */
const TOLERANCE = 0.1;

const STATEMENTS: { file: string; pattern: RegExp }[] = [
    { file: 'README.md', pattern: /`flowline\.vsix` \(about ([\d.]+) MB/ },
    { file: 'docs/vscode-extension.md', pattern: /about ([\d.]+) MB packed/ }
];

for (const { file, pattern } of STATEMENTS) {
    test(`${file} states the size of flowline.vsix within ${TOLERANCE * 100}%`, () => {
        const match = pattern.exec(readFileSync(path.join(REPO_ROOT, file), 'utf8'));
        assert.ok(match, `${file} no longer states the package size as ${pattern}`);
        const stated = Number(match[1]);
        // MB as vsce prints it (2^20 bytes).
        const actual = statSync(path.join(REPO_ROOT, 'flowline.vsix')).size / 2 ** 20;
        assert.ok(Math.abs(actual - stated) <= stated * TOLERANCE, `${file} says about ${stated} MB; flowline.vsix is ${actual.toFixed(2)} MB`);
    });
}
