#!/usr/bin/env node
// The `flowline` command: runs the bundled CLI (built by `npm install` / `npm run build`).
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const bundle = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cli.mjs');
if (!existsSync(bundle)) {
    console.error(`flowline: ${bundle} is missing; run \`npm install\` (or \`npm run build\`) in the Flowline folder first.`);
    process.exit(2);
}
await import(pathToFileURL(bundle).href);
