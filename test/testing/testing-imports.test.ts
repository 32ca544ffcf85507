/**
 * The test runner (testing/src/) stays a runtime-side package: it imports protocol/, runtime/,
 * Node's modules and its own files, never the language (Langium) or the editor (vscode).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { REPO_ROOT } from '../support/run-cli.js';

it('testing/src imports only protocol/, runtime/, node: modules and its own files', () => {
    const folder = join(REPO_ROOT, 'testing', 'src');
    const wrong: string[] = [];
    for (const file of readdirSync(folder).filter((f) => f.endsWith('.ts'))) {
        const text = readFileSync(join(folder, file), 'utf8');
        for (const [, specifier] of text.matchAll(/^import[^'"]*['"]([^'"]+)['"]/gm)) {
            const allowed = specifier.startsWith('node:') || specifier.startsWith('./')
                || specifier.startsWith('../../protocol/') || specifier.startsWith('../../runtime/src/');
            if (!allowed) wrong.push(`${file}: ${specifier}`);
        }
    }
    assert.deepEqual(wrong, []);
});
