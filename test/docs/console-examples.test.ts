/**
 * The console examples of README.md and docs/*.md are run, and what they show is what they print.
 *
 * A ```console block holds commands, each on a line starting with `$ `, each followed by the
 * output it shows. Every command runs from the repository root through bash, with stdout and
 * stderr together as a terminal shows them (`npx flowline` runs `node bin/flowline.js`, the same
 * program without npm's start-up). The shown output must match line by line (trailing spaces
 * ignored), where a line of just `...` stands for any number of lines, none included: write
 * `...` where output is long or varies, and show the lines that matter (a count, a message).
 *
 * Commands that cannot run here are listed in SKIPPED with the reason, and reported as skipped
 * tests so that they stay visible.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from '../support/run-cli.js';

/** Commands (by their start) that the test does not run, and why. */
const SKIPPED: { prefix: string; reason: string }[] = [
    { prefix: 'code --install-extension', reason: 'needs a VS Code installation' },
    {
        prefix: 'npm run package',
        reason: 'rebuilds dist/ in place while the other test files use it; the size of the .vsix the docs state is '
            + 'checked by test/e2e/vsix-size.e2e.ts right after `npm test` packages the extension'
    }
];

/** An ellipsis line: any number of output lines. */
const ELISION = '...';

interface ConsoleExample { file: string; line: number; command: string; expected: string[] }

/** The documents whose console examples are checked. */
function documents(): string[] {
    const docs = readdirSync(path.join(REPO_ROOT, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => path.join('docs', f));
    return ['README.md', ...docs];
}

/** Every `$ command` of every ```console block of `file`, with the output shown after it. */
export function consoleExamples(file: string, text: string): ConsoleExample[] {
    const examples: ConsoleExample[] = [];
    const lines = text.split('\n');
    let inBlock = false;
    let current: ConsoleExample | undefined;
    lines.forEach((line, index) => {
        if (!inBlock) {
            inBlock = line.trim() === '```console';
            return;
        }
        if (line.trim() === '```') {
            inBlock = false;
            current = undefined;
            return;
        }
        if (line.startsWith('$ ')) {
            current = { file, line: index + 1, command: line.slice(2).trim(), expected: [] };
            examples.push(current);
        } else if (current) {
            current.expected.push(line.trimEnd());
        } else {
            assert.fail(`${file}:${index + 1}: a console block must start with a "$ " command line`);
        }
    });
    for (const example of examples) {
        while (example.expected.at(-1) === '') example.expected.pop();
    }
    return examples;
}

/** Whether `actual` lines match `expected` lines, where `...` matches any run of lines. */
export function matchesShown(expected: string[], actual: string[]): boolean {
    const memo = new Map<string, boolean>();
    const match = (e: number, a: number): boolean => {
        const key = `${e},${a}`;
        if (memo.has(key)) return memo.get(key)!;
        let result: boolean;
        if (e === expected.length) result = a === actual.length;
        else if (expected[e] === ELISION) result = match(e + 1, a) || (a < actual.length && match(e, a + 1));
        else result = a < actual.length && expected[e] === actual[a] && match(e + 1, a + 1);
        memo.set(key, result);
        return result;
    };
    return match(0, 0);
}

test('the output matcher: lines match exactly, `...` stands for any number of lines, none included', () => {
    assert.ok(matchesShown(['a', 'b'], ['a', 'b']));
    assert.ok(!matchesShown(['a', 'b'], ['a', 'c']));
    assert.ok(!matchesShown(['a'], ['a', 'b']), 'unshown output is a difference');
    assert.ok(matchesShown(['a', '...'], ['a', 'b', 'c']));
    assert.ok(matchesShown(['a', '...'], ['a']));
    assert.ok(matchesShown(['...', 'z'], ['x', 'y', 'z']));
    assert.ok(!matchesShown(['...', 'z'], ['z', 'y']));
    assert.ok(matchesShown(['a', '...', 'm', '...', 'z'], ['a', 'b', 'm', 'n', 'z']));
    assert.ok(matchesShown([], []));
});

const examples = documents().flatMap((file) => consoleExamples(file, readFileSync(path.join(REPO_ROOT, file), 'utf8')));

test('README.md and docs/*.md have console examples to check', () => {
    assert.ok(examples.length >= 5, `only ${examples.length} console examples`);
});

for (const example of examples) {
    const skipped = SKIPPED.find((s) => example.command.startsWith(s.prefix));
    test(`${example.file}:${example.line}: \`${example.command}\` prints what the example shows`, { skip: skipped?.reason }, () => {
        const command = example.command.replace(/^npx flowline\b/, 'node bin/flowline.js');
        const result = spawnSync('bash', ['-c', `{ ${command}\n} 2>&1`], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 120_000, env: { ...process.env, NO_COLOR: '1' } });
        assert.equal(result.error, undefined, String(result.error));
        const actual = result.stdout.replace(/\n$/, '').split('\n').map((l) => l.trimEnd());
        const printed = actual.length === 1 && actual[0] === '' ? [] : actual;
        assert.ok(matchesShown(example.expected, printed),
            `${example.file}:${example.line}: \`${example.command}\` printed:\n${printed.join('\n')}\n\nbut the example shows:\n${example.expected.join('\n')}`);
    });
}
