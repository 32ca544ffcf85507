/**
 * The checker through the real `flowline check` command over the fixtures: every
 * test/fixtures/valid file checks clean; every test/fixtures/invalid file yields exactly the
 * diagnostics its first lines name (`// expect: <code> at line <N>`), nothing more.
 * One CLI run checks all fixtures; the tests group its --json output by file.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { IssueCodes } from '../../language/src/validation/issue-codes.js';
import { REPO_ROOT, runCli, type CliResult } from '../support/run-cli.js';

const FIXTURES = path.join('test', 'fixtures');
const JSON_FIELDS = ['code', 'column', 'endColumn', 'endLine', 'file', 'line', 'message', 'severity'];
/** Every code a diagnostic can carry: the checker's, and Langium's for syntax errors. */
const KNOWN_CODES: string[] = [...Object.values(IssueCodes), 'lexing-error', 'parsing-error'];

interface JsonDiagnostic {
    file: string;
    line: number;
    column: number;
    endLine: number;
    endColumn: number;
    severity: string;
    code: string;
    message: string;
}

interface Expectation { code: string; line: number }

/** The .flow files under `dir` (relative to the repository), subfolders included. */
function flowFiles(dir: string): string[] {
    return readdirSync(path.join(REPO_ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
        const relative = path.join(dir, entry.name);
        return entry.isDirectory() ? flowFiles(relative) : entry.name.endsWith('.flow') ? [relative] : [];
    }).sort();
}

/** The `// expect: <code> at line <N>` lines at the top of an invalid fixture. */
function expectationsOf(file: string): Expectation[] {
    const expectations: Expectation[] = [];
    for (const line of readFileSync(path.join(REPO_ROOT, file), 'utf8').split('\n')) {
        const match = /^\/\/ expect: ([a-z-]+) at line (\d+)\s*$/.exec(line);
        if (!match) {
            break;
        }
        expectations.push({ code: match[1], line: Number(match[2]) });
    }
    return expectations;
}

const validFiles = flowFiles(path.join(FIXTURES, 'valid'));
// Files under invalid/imports/ are imported by the invalid fixtures; they are valid themselves.
const importedFiles = flowFiles(path.join(FIXTURES, 'invalid', 'imports'));
const invalidFiles = flowFiles(path.join(FIXTURES, 'invalid')).filter((f) => !importedFiles.includes(f));

let run: CliResult;
let diagnostics: JsonDiagnostic[];
const byFile = new Map<string, JsonDiagnostic[]>();

before(async () => {
    run = await runCli(['check', '--json', ...validFiles, ...importedFiles, ...invalidFiles]);
    diagnostics = JSON.parse(run.stdout) as JsonDiagnostic[];
    for (const d of diagnostics) {
        byFile.set(d.file, [...(byFile.get(d.file) ?? []), d]);
    }
});

/** `code at line N: message` for assertion messages. */
function describe(ds: JsonDiagnostic[]): string {
    return ds.map((d) => `${d.severity} ${d.code} at line ${d.line}: ${d.message}`).join('\n') || '(none)';
}

test('the fixtures cover at least 12 valid files and every diagnostic code', () => {
    assert.ok(validFiles.length >= 12, `only ${validFiles.length} valid fixtures`);
    const expected = new Set(invalidFiles.flatMap((f) => expectationsOf(f).map((e) => e.code)));
    const missing = KNOWN_CODES.filter((code) => !expected.has(code));
    assert.deepEqual(missing, [], `no invalid fixture expects ${missing.join(', ')}`);
});

test('every invalid fixture names its expected diagnostics in its first line', () => {
    const unnamed = invalidFiles.filter((f) => expectationsOf(f).length === 0);
    assert.deepEqual(unnamed, []);
    const unknownCodes = invalidFiles.flatMap((f) => expectationsOf(f).map((e) => e.code))
        .filter((code) => !KNOWN_CODES.includes(code));
    assert.deepEqual(unknownCodes, []);
});

test('checking the fixtures together prints only the JSON array on stdout and exits 1', () => {
    assert.equal(run.code, 1, run.stderr);
    assert.ok(Array.isArray(diagnostics));
    assert.equal(run.stderr, '', 'nothing is logged besides the diagnostics');
});

for (const file of [...validFiles, ...importedFiles]) {
    test(`${file} checks clean, without errors or warnings`, () => {
        assert.deepEqual(describe(byFile.get(file) ?? []), '(none)');
    });
}

for (const file of invalidFiles) {
    test(`${file} reports exactly the diagnostics its first line names`, () => {
        const actual = (byFile.get(file) ?? []).map((d) => `${d.code} at line ${d.line}`).sort();
        const expected = expectationsOf(file).map((e) => `${e.code} at line ${e.line}`).sort();
        assert.deepEqual(actual, expected, `reported:\n${describe(byFile.get(file) ?? [])}`);
    });
}

test('every --json diagnostic has exactly file, line, column, endLine, endColumn, severity, code and message', () => {
    assert.ok(diagnostics.length > 0);
    for (const d of diagnostics) {
        assert.deepEqual(Object.keys(d).sort(), JSON_FIELDS);
        for (const key of ['line', 'column', 'endLine', 'endColumn'] as const) {
            assert.ok(Number.isInteger(d[key]) && d[key] >= 1, `${key} of ${JSON.stringify(d)} is a 1-based number`);
        }
        assert.ok(d.endLine > d.line || (d.endLine === d.line && d.endColumn >= d.column), `the range of ${JSON.stringify(d)} ends after it starts`);
        assert.ok(['error', 'warning', 'info', 'hint'].includes(d.severity));
        assert.ok(!path.isAbsolute(d.file), `${d.file} is relative to the working directory`);
    }
});

test('every message is a full sentence: it starts with a capital letter or a quoted name and ends with a full stop, question mark or parenthesis', () => {
    for (const d of diagnostics) {
        assert.match(d.message, /^([A-Z]|'[^']+'|"[^"]*")/, `${d.file}:${d.line}: ${d.message}`);
        assert.match(d.message, /[.?)]$/, `${d.file}:${d.line}: ${d.message}`);
    }
});

test('an unknown name suggests the closest known one', () => {
    const find = (file: string) => (byFile.get(path.join(FIXTURES, 'invalid', file)) ?? [])[0]?.message;
    assert.match(find('unknown-field.flow') ?? '', /Did you mean 'amount'\?$/);
    assert.match(find('unknown-stream.flow') ?? '', /Did you mean 'orders'\?$/);
    assert.match(find('unknown-schema.flow') ?? '', /Did you mean 'Order'\?$/);
    assert.match(find('unknown-function.flow') ?? '', /Did you mean 'upper'\?$/);
});

test('in a test block, unknown pipelines, given sources and expected streams suggest the closest name, and a pipeline not imported names the import to add', () => {
    const messages = (byFile.get(path.join(FIXTURES, 'invalid', 'tests', 'unknown-names.test.flow')) ?? []).map((d) => d.message);
    assert.deepEqual(messages, [
        "Unknown pipeline 'Spnd'. Did you mean 'Spend'?",
        "Unknown source 'order'. Did you mean 'orders'?",
        "Unknown stream or source 'perCountri'. Did you mean 'perCountry'?",
        "Unknown pipeline 'InvoiceCleanup'. It is declared in '../../valid/dead-letter.flow', which this file does not import: add import \"../../valid/dead-letter.flow\"."
    ]);
});

test('a diagnostic range covers exactly the offending text', () => {
    const at = (file: string) => (byFile.get(path.join(FIXTURES, 'invalid', file)) ?? [])[0];
    // `| filter amout > 100`: just the unknown name.
    assert.deepEqual(pick(at('unknown-field.flow')), { line: 12, column: 18, endLine: 12, endColumn: 23 });
    // `cents: amount.cents`: just the member after the dot.
    assert.deepEqual(pick(at('unknown-field-of-non-record.flow')), { line: 12, column: 35, endLine: 12, endColumn: 40 });
    // `orders.customerId == customers.id`: the whole key equality.
    assert.deepEqual(pick(at('join-key-types.flow')), { line: 18, column: 29, endLine: 18, endColumn: 62 });
});

function pick(d: JsonDiagnostic | undefined) {
    return d && { line: d.line, column: d.column, endLine: d.endLine, endColumn: d.endColumn };
}

test('a syntax error is a sentence that says what was expected, with a did-you-mean for a misspelled keyword', () => {
    const message = (file: string) => (byFile.get(path.join(FIXTURES, 'invalid', file)) ?? [])[0]?.message;
    assert.equal(message('parsing-error-misspelled-operator.flow'),
        "Expected one of 'filter', 'map', 'select', 'flatMap', 'keyBy', 'window', 'aggregate', 'reduce', ..., but found 'fliter'. Did you mean 'filter'?");
    assert.equal(message('lexing-error.flow'), "Unexpected character '§'.");
    assert.equal(message('unknown-schema-misspelled-type.flow'), "Unknown type 'strng'. Did you mean 'string'?");
});

test('a type error names both types', () => {
    const message = (byFile.get(path.join(FIXTURES, 'invalid', 'join-key-types.flow')) ?? [])[0]?.message ?? '';
    assert.match(message, /'orders\.customerId' is long and 'customers\.id' is string/);
});

test('a file with only warnings exits 0, and its warnings are printed', async () => {
    const result = await runCli(['check', path.join(FIXTURES, 'invalid', 'dangling-stream.flow')]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /:14:12: warning dangling-stream: The stream 'small' reaches no sink/);
    assert.match(result.stderr, /1 file checked: 0 errors, 1 warning\./);
});

test('a file with an error exits 1 and prints file:line:column, severity, code and message', async () => {
    const result = await runCli(['check', path.join(FIXTURES, 'invalid', 'unknown-field.flow')]);
    assert.equal(result.code, 1);
    assert.equal(result.stdout.trim(), `${path.join(FIXTURES, 'invalid', 'unknown-field.flow')}:12:18: error unknown-field: Unknown field 'amout'. Did you mean 'amount'?`);
});

test('check without files is a usage error (exit 2)', async () => {
    const result = await runCli(['check']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /missing required argument 'files'/);
});

test('an unknown option is a usage error (exit 2)', async () => {
    const result = await runCli(['check', '--jsn', path.join(FIXTURES, 'valid', 'joins.flow')]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /unknown option '--jsn'/);
});

test('a file that does not exist is a usage error (exit 2) naming the file, and the help says so', async () => {
    const result = await runCli(['check', '--json', path.join(FIXTURES, 'valid', 'joins.flow'), 'no-such-file.flow']);
    assert.equal(result.code, 2);
    assert.equal(result.stderr.trim(), 'flowline: no-such-file.flow: no such file.');
    assert.equal(result.stdout, '');
    const help = await runCli(['check', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /2 {2}usage error: .*a file that does not exist/);
});

test('every file that cannot be read is named, a missing one and a directory, before anything is checked', async () => {
    const result = await runCli(['check', 'no-such-file.flow', FIXTURES, path.join(FIXTURES, 'valid', 'joins.flow')]);
    assert.equal(result.code, 2);
    assert.deepEqual(result.stderr.trim().split('\n'), ['flowline: no-such-file.flow: no such file.', `flowline: ${FIXTURES}: not a file.`]);
    assert.equal(result.stdout, '');
});
