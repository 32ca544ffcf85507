/**
 * Loads a user function from a TypeScript or JavaScript file. TypeScript is bundled with esbuild
 * (its own relative imports included) into a temporary ES module, then imported; JavaScript is
 * imported directly.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, extname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { LogicalNode } from '../../../protocol/logical-graph.js';

/** The file of a udf node, resolved against the directory of the .flow file that names it. */
export function resolveUserFile(node: LogicalNode, file: string): string {
    if (isAbsolute(file)) return file;
    const uri = node.location?.uri;
    const base = uri?.startsWith('file:') ? dirname(fileURLToPath(uri)) : process.cwd();
    return resolve(base, file);
}

/** Imports `file` and returns its export `exportName`, which must be a function. */
export async function loadUserFunction(file: string, exportName: string): Promise<(...args: unknown[]) => unknown> {
    let url = pathToFileURL(file).href;
    if (['.ts', '.mts', '.cts', '.tsx'].includes(extname(file))) {
        let build: typeof import('esbuild').build;
        try {
            ({ build } = await import('esbuild'));
        } catch (err) {
            throw new Error(`${file}: TypeScript user functions are transpiled with esbuild, which could not be loaded (${(err as Error).message}); install esbuild or write the function in JavaScript`, { cause: err });
        }
        const result = await build({ entryPoints: [file], bundle: true, platform: 'node', format: 'esm', target: 'node20', write: false, logLevel: 'silent' });
        const dir = await mkdtemp(join(tmpdir(), 'flowline-udf-'));
        const out = join(dir, 'udf.mjs');
        await writeFile(out, result.outputFiles[0].text);
        url = pathToFileURL(out).href;
    }
    const module = (await import(url)) as Record<string, unknown>;
    const fn = module[exportName];
    if (typeof fn !== 'function') {
        const exported = Object.keys(module).filter((k) => typeof module[k] === 'function');
        throw new Error(`${file} has no exported function "${exportName}" (its exported functions: ${exported.join(', ') || 'none'})`);
    }
    return fn as (...args: unknown[]) => unknown;
}
