// One esbuild script bundles every entry point for Node 20 (`--watch`, `--production`).
// Bundles go to dist/: the language server, the CLI and the TaskManager worker are ESM
// (langium is ESM-only); the VS Code extension is CommonJS, as VS Code loads it.
import * as esbuild from 'esbuild';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { createRequire } from 'node:module';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');


const esmEntries = [
    { in: 'server/src/main.ts', out: 'server' },
    { in: 'cli/src/main.ts', out: 'cli' },
    { in: 'runtime/src/cluster/taskmanager-worker.ts', out: 'taskmanager-worker' },
    { in: 'runtime/src/cluster/cluster-process.ts', out: 'cluster' },
    { in: 'debug-adapter/src/main.ts', out: 'debug-adapter' }
].filter((entry) => existsSync(entry.in));

const cjsEntries = [
    { in: 'client/src/extension.ts', out: 'extension' }
].filter((entry) => existsSync(entry.in));

// Webviews run in the browser: one IIFE script (+ its CSS) per view. ELK's worker script is
// copied as is: the graph view starts it as a Web Worker so layout stays off every UI thread.
const browserEntries = [
    { in: 'client/src/webviews/job-graph/browser/job-graph-view.ts', out: 'webviews/job-graph' },
    { in: 'client/src/webviews/results/browser/results-view.ts', out: 'webviews/results' },
    { in: 'client/src/webviews/peek-records/browser/peek-records-view.ts', out: 'webviews/peek-records' }
].filter((entry) => existsSync(entry.in));
if (browserEntries.length > 0) {
    mkdirSync('dist/webviews', { recursive: true });
    copyFileSync('node_modules/elkjs/lib/elk-worker.min.js', 'dist/webviews/elk-worker.js');
}

// Langium's core imports four objects and two error codes from vscode-languageserver-protocol,
// which evaluates the whole protocol (~170 KB) in every process that checks a .flow file, the
// CLI's included. Those three files get language/src/langium-core-protocol.ts instead (the same
// vscode-jsonrpc objects the protocol re-exports); langium/lsp and the language server keep the
// real package. Its vscode-jsonrpc is resolved from the protocol's own folder, so both are one copy.
const langiumCoreProtocol = {
    name: 'langium-core-protocol',
    setup(build) {
        const coreFiles = /[\\/]node_modules[\\/]langium[\\/]lib[\\/](utils[\\/](cancellation|event)|workspace[\\/]document-builder)\.js$/;
        const shim = resolve('language/src/langium-core-protocol.ts');
        // The folder of the protocol's own code, where its require('vscode-jsonrpc') resolves from.
        const protocolDir = dirname(createRequire(import.meta.url).resolve('vscode-languageserver-protocol'));
        build.onResolve({ filter: /^vscode-languageserver-protocol$/ }, (args) =>
            coreFiles.test(args.importer) ? { path: shim } : undefined);
        build.onResolve({ filter: /^vscode-jsonrpc$/ }, (args) =>
            args.importer === shim ? build.resolve('vscode-jsonrpc', { kind: args.kind, resolveDir: protocolDir }) : undefined);
    }
};

const common = {
    bundle: true,
    platform: 'node',
    target: 'node20',
    sourcemap: !production,
    minify: production,
    logLevel: 'warning'
};

const contexts = [];
if (esmEntries.length > 0) {
    contexts.push(await esbuild.context({
        ...common,
        entryPoints: esmEntries,
        outdir: 'dist',
        format: 'esm',
        outExtension: { '.js': '.mjs' },
        // Shared code goes to chunks that load on first use: `flowline run graph.json` never
        // parses the language (Langium) it does not need.
        splitting: true,
        chunkNames: 'chunks/[name]-[hash]',
        // Bundled CommonJS dependencies call require(); ESM output needs one made for it.
        banner: { js: "import { createRequire as __flowlineCreateRequire } from 'node:module'; const require = __flowlineCreateRequire(import.meta.url);" },
        // esbuild (native binary) transpiles TypeScript user functions at run time: load it from node_modules.
        external: ['vscode', 'esbuild'],
        plugins: [langiumCoreProtocol]
    }));
}
if (cjsEntries.length > 0) {
    contexts.push(await esbuild.context({
        ...common,
        entryPoints: cjsEntries,
        outdir: 'dist',
        format: 'cjs',
        outExtension: { '.js': '.cjs' },
        external: ['vscode']
    }));
}

if (browserEntries.length > 0) {
    contexts.push(await esbuild.context({
        bundle: true,
        platform: 'browser',
        target: 'es2022',
        format: 'iife',
        sourcemap: !production,
        minify: production,
        logLevel: 'warning',
        entryPoints: browserEntries,
        outdir: 'dist'
    }));
}

if (watch) {
    await Promise.all(contexts.map((ctx) => ctx.watch()));
    console.log('esbuild: watching');
} else {
    await Promise.all(contexts.map((ctx) => ctx.rebuild()));
    await Promise.all(contexts.map((ctx) => ctx.dispose()));
}
