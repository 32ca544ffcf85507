/**
 * The line reader decodes each 256 KB read in 64 KB pieces (line-reader.ts: V8's large strings are
 * slow to split). Generated files of several hundred KB, with multi-byte characters, CRLF and LF
 * endings and long lines falling across the piece and chunk boundaries: the lines, their numbers
 * and the byte offset after each line equal those computed from the whole file at once.
 */
import assert from 'node:assert/strict';
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import fc from 'fast-check';
import { readLines } from '../../runtime/src/connectors/common/line-reader.js';

const dir = mkdtempSync(join(tmpdir(), 'flowline-line-pieces-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const line = fc.tuple(fc.string({ unit: fc.constantFrom('a', 'b', ' ', 'é', '€', '𝄞', ','), minLength: 0, maxLength: 40 }), fc.integer({ min: 1, max: 6000 }), fc.boolean())
    .map(([text, repeat, crlf]) => ({ text: [...text.repeat(Math.ceil(repeat / Math.max(1, text.length)))].slice(0, repeat).join(''), crlf }));

test('lines read in 64 KB pieces of 256 KB chunks are the whole file\'s lines, with their numbers and the byte offset after each', async () => {
    let run = 0;
    await fc.assert(fc.asyncProperty(fc.array(line, { minLength: 50, maxLength: 400 }), fc.boolean(), async (lines, endsWithNewline) => {
        const parts = lines.map((l, i) => l.text + (i < lines.length - 1 || endsWithNewline ? (l.crlf ? '\r\n' : '\n') : ''));
        const bytes = Buffer.from(parts.join(''), 'utf8');
        const path = join(dir, `f${run++}.txt`);
        writeFileSync(path, bytes);
        const expectedOffsets: number[] = [];
        let offset = 0;
        for (const p of parts) expectedOffsets.push((offset += Buffer.byteLength(p)));
        const read: string[] = [];
        const offsets: number[] = [];
        for await (const batch of readLines(createReadStream(path, { highWaterMark: 256 * 1024 }))) {
            assert.equal(batch.firstLine, read.length + 1);
            assert.equal(batch.invalid.size, 0);
            batch.lines.forEach((l, i) => { read.push(l); offsets.push(batch.offsetAfter(i)); });
        }
        const expected = lines.map((l) => l.text);
        // A file ending in a line break has no empty last line; one whose last line is empty has nothing to read for it.
        if (!endsWithNewline && expected.at(-1) === '') expected.pop();
        assert.deepEqual(read, expected);
        assert.deepEqual(offsets.slice(0, expected.length - (endsWithNewline ? 0 : 1)), expectedOffsets.slice(0, expected.length - (endsWithNewline ? 0 : 1)));
        assert.ok(bytes.length > 0);
    }), { seed: 20261128, numRuns: 25 });
});
