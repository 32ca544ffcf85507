/**
 * Half-typed input never makes `flowline check` throw: every valid fixture, cut off at many
 * points and with characters dropped, is checked in one CLI run; each file gets diagnostics
 * (syntax errors and the like, as sentences), never an internal error, and the command ends normally.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT, runCli } from '../support/run-cli.js';

const VALID = path.join(REPO_ROOT, 'test', 'fixtures', 'valid');
const CUTS_PER_FILE = 12;

test('truncated and damaged fixtures get diagnostics, never an internal error', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'flowline-truncated-'));
    try {
        const files: string[] = [];
        for (const name of readdirSync(VALID).filter((f) => f.endsWith('.flow'))) {
            const text = readFileSync(path.join(VALID, name), 'utf8');
            for (let i = 1; i <= CUTS_PER_FILE; i++) {
                // Evenly spread cut points (deterministic): a prefix, and the text with 3 characters dropped.
                const at = Math.floor((text.length * i) / (CUTS_PER_FILE + 1));
                for (const [kind, damaged] of [['cut', text.slice(0, at)], ['gap', text.slice(0, at) + text.slice(at + 3)]] as const) {
                    const file = path.join(dir, `${path.basename(name, '.flow')}-${kind}-${i}.flow`);
                    writeFileSync(file, damaged);
                    files.push(file);
                }
            }
        }
        const result = await runCli(['check', '--json', ...files]);
        assert.ok(result.code === 0 || result.code === 1, `exit code ${result.code}: ${result.stderr}`);
        assert.equal(result.stderr, '', 'nothing is logged besides the diagnostics');
        const diagnostics = JSON.parse(result.stdout) as { file: string; line: number; message: string }[];
        const internal = diagnostics.filter((d) => /An error occurred|Cannot read properties|is not a function/.test(d.message));
        assert.deepEqual(internal.map((d) => `${path.basename(d.file)}:${d.line}: ${d.message}`), []);
        assert.ok(diagnostics.length > files.length / 2, 'most damaged files get a diagnostic');
        const notSentences = diagnostics.filter((d) => !/^([A-Z]|'[^']+'|"[^"]*")/.test(d.message) || !/[.?)]$/.test(d.message));
        assert.deepEqual(notSentences.map((d) => `${path.basename(d.file)}:${d.line}: ${d.message}`), [], 'syntax errors read as sentences too');
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
});
