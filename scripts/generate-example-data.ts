/**
 * Writes the data files of the examples under examples/<name>/ from seeded generators, so the
 * committed data can be reproduced byte for byte: `npx tsx scripts/generate-example-data.ts`.
 * `--check` writes nothing and exits 1 when a committed file differs from what would be generated.
 */
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { seededRandom, type Random } from './seeded-random.js';
import { generateWordCountData } from '../examples/word-count/generate-data.js';
import { generateRevenueData } from '../examples/revenue/generate-data.js';
import { generateCsvCleanupData } from '../examples/csv-cleanup/generate-data.js';
import { generateTopNData } from '../examples/top-n/generate-data.js';
import { generateUnionData } from '../examples/union/generate-data.js';
import { generateUserFunctionsData } from '../examples/user-functions/generate-data.js';
import { generateAdAttributionData } from '../examples/ad-attribution/generate-data.js';

interface ExampleData {
    folder: string;
    seed: number;
    generate: (random: Random) => Map<string, string>;
}

// Each example has its own seed, so changing one generator leaves the others' data unchanged.
const EXAMPLES: ExampleData[] = [
    { folder: 'word-count', seed: 1851, generate: generateWordCountData },
    { folder: 'revenue', seed: 2026, generate: generateRevenueData },
    { folder: 'csv-cleanup', seed: 404, generate: generateCsvCleanupData },
    { folder: 'top-n', seed: 10, generate: generateTopNData },
    { folder: 'union', seed: 77, generate: generateUnionData },
    { folder: 'user-functions', seed: 5, generate: generateUserFunctionsData },
    { folder: 'ad-attribution', seed: 3, generate: generateAdAttributionData }
];

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const check = process.argv.includes('--check');
let stale = 0;

for (const example of EXAMPLES) {
    const files = example.generate(seededRandom(example.seed));
    for (const [path, content] of files) {
        const target = join(root, 'examples', example.folder, path);
        const shown = relative(root, target);
        if (check) {
            const current = existsSync(target) ? readFileSync(target, 'utf8') : undefined;
            if (current !== content) {
                console.error(`${shown} differs from what scripts/generate-example-data.ts generates.`);
                stale++;
            }
        } else {
            mkdirSync(dirname(target), { recursive: true });
            writeFileSync(target, content);
            console.log(`wrote ${shown} (${Buffer.byteLength(content)} bytes)`);
        }
    }
}
process.exit(stale > 0 ? 1 : 0);
