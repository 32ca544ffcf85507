/**
 * The updating-table display of `flowline run` (cli/src/run/updating-table-output.ts) and the
 * model the results view shares with it (protocol/updating-table.ts): a print sink of an updating
 * stream shows its current table with `--updates table`, equal to the batch run's rows, and says
 * how many changes built it; piped output without the option stays the changelog, one line per
 * change; the table keeps each key where it first came and replaces its row in place.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { UpdatingTable } from '../../protocol/updating-table.js';
import { runCli } from '../support/run-cli.js';

const dir = mkdtempSync(path.join(tmpdir(), 'flowline-updating-table-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const RECORDS = 400;
const flow = (mode: string): string => `pipeline Counts {
    mode ${mode}
    source clicks = datagen(count: ${RECORDS}, seed: 5) {
        page: long = random(0, 9)
        ms: long = random(1, 500)
    }
    stream perPage = clicks | keyBy page | aggregate { page, views: count(), slowest: max(ms) }
    sink perPage -> print
}
`;

async function run(mode: string, args: string[] = []): Promise<{ lines: string[]; stderr: string }> {
    const file = path.join(dir, `${mode}.flow`);
    writeFileSync(file, flow(mode));
    const result = await runCli(['run', file, ...args]);
    assert.equal(result.code, 0, result.stderr);
    return { lines: result.stdout.split('\n').filter((l) => l !== '').map((l) => l.replace(/^\d+> /, '')), stderr: result.stderr };
}

test('with --updates table a print sink of an updating stream shows its final table (the batch rows) and how many changes built it', async () => {
    const batch = await run('batch');
    const table = await run('streaming', ['--updates', 'table', '--parallelism', '2']);
    assert.deepEqual([...table.lines].sort(), [...batch.lines].sort());
    assert.equal(table.lines.length, 10);
    assert.match(table.stderr, new RegExp(`sink: print: an updating table of 10 rows by page, after ${RECORDS} changes`));
});

test('piped without --updates, a print sink of an updating stream still writes every change as a line', async () => {
    const changelog = await run('streaming');
    assert.equal(changelog.lines.length, RECORDS);
});

test('the updating table replaces a key\'s row where the key first came and counts every change', () => {
    const table = new UpdatingTable(['page', 'day']);
    table.apply({ page: 'a', day: 1, n: 1 });
    table.apply({ page: 'b', day: 1, n: 1 });
    table.apply({ page: 'a', day: 1, n: 2 });
    table.apply({ page: 'a', day: 2, n: 1 });
    assert.deepEqual(table.rows(), [{ page: 'a', day: 1, n: 2 }, { page: 'b', day: 1, n: 1 }, { page: 'a', day: 2, n: 1 }]);
    assert.equal(table.changes, 4);
    assert.equal(table.size, 3);
});
