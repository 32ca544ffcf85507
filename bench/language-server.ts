/**
 * Workload 6, the language server: generated workspaces of 1 K, 10 K and 50 K lines of valid .flow
 * (files of ~500 lines importing one schema file; pipelines with schemas, joins, windows).
 * Measures the full build (parse, index, link, validate through the services' DocumentBuilder;
 * with a warm parser, and on a fresh server), against parsing alone in the same run,
 * re-validation after a one-character edit (the build an editor's didChange starts) and
 * completion latency, each as a median. Targets (issue 2): 10 K lines build < 0.5 s,
 * re-validation < 100 ms, completion < 50 ms.
 *
 * The figures are measured in a child Node process started with the language server's own flags
 * (client/src/language/server-node-flags.ts), as the extension starts the server; beside them,
 * the full build in this process, under Node's default flags, shows what those flags change.
 */
import '../scripts/node20-polyfills.cjs';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { DocumentState, URI, type LangiumDocument } from 'langium';
import { NodeFileSystem } from 'langium/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { LANGUAGE_SERVER_NODE_FLAGS } from '../client/src/language/server-node-flags.js';
import { createFlowLspServices } from '../language/src/lsp/flow-lsp-module.js';
import type { BenchResult } from './bench-result.js';

const WORKLOAD = '6 language server';
/** `FLOWLINE_BENCH_SIZES=1000,10000` measures only those workspace sizes. */
const SIZES = (process.env.FLOWLINE_BENCH_SIZES ?? '1000,10000,50000').split(',').map(Number);
const PIPELINES_PER_FILE = 20;

const SCHEMAS = `schema Order {
    id: string
    customer: string
    amount: double
    ts: timestamp
}

schema Customer {
    id: string
    country: string
}
`;

/** One pipeline of about 25 lines: a source with a watermark, a filter, a map, a join, a window aggregate. */
function pipeline(name: string, i: number): string {
    return `/** Revenue per country, variant ${name}. */
pipeline ${name} {
    mode streaming
    parallelism 2

    source orders${name}: Order = csv("data/orders.csv") {
        watermark ts - 5s
    }
    source customers${name}: Customer = jsonl("data/customers.jsonl")

    stream valid${name} = orders${name}
        | filter amount > ${i % 100} and customer != ""
        | map { id, customer, amount: round(amount * 1.1, 2), ts }

    stream enriched${name} = valid${name}
        | join customers${name} on valid${name}.customer == customers${name}.id within 1h
        | select { country: customers${name}.country, amount, ts }

    stream revenue${name} = enriched${name}
        | keyBy country
        | window tumbling 1m on ts
        | aggregate { country, total: sum(amount), orders: count(), windowEnd: window.end }

    sink revenue${name} -> print
}
`;
}

export interface Workspace { dir: string; files: { path: string; text: string }[]; lines: number }

/** Writes a valid workspace of about `lines` lines into a temporary folder (also used to profile builds). */
export function generate(lines: number): Workspace {
    const dir = mkdtempSync(join(tmpdir(), 'flowline-bench-lsp-'));
    const files = [{ path: join(dir, 'schemas.flow'), text: SCHEMAS }];
    let total = SCHEMAS.split('\n').length;
    for (let f = 0; total < lines; f++) {
        let text = 'import "schemas.flow"\n\n';
        for (let p = 0; p < PIPELINES_PER_FILE && total + text.split('\n').length < lines; p++) text += `${pipeline(`F${f}P${p}`, p)}\n`;
        files.push({ path: join(dir, `pipelines-${f}.flow`), text });
        total += text.split('\n').length;
    }
    for (const file of files) writeFileSync(file.path, file.text);
    return { dir, files, lines: total };
}

/** CPU time of this process so far (user + system), in ms: on a loaded machine wall time is mostly waiting. */
function cpuMs(): number {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1000;
}

/** The build phases timed separately: parsing (loading the documents), then Langium's states. */
const PHASES: { name: string; state?: DocumentState }[] = [
    { name: 'parse' },
    { name: 'index', state: DocumentState.IndexedContent },
    { name: 'scopes', state: DocumentState.ComputedScopes },
    { name: 'link', state: DocumentState.Linked },
    { name: 'index references', state: DocumentState.IndexedReferences },
    { name: 'validate', state: DocumentState.Validated }
];

/** Builds the workspace on `services`, returning the CPU time of each of PHASES, and wall and CPU in all. */
async function timedBuild(services: Services, workspace: Workspace): Promise<{ documents: LangiumDocument[]; wall: number; cpu: number; phases: number[] }> {
    const builder = services.shared.workspace.DocumentBuilder;
    const marks: number[] = [];
    const listeners = PHASES.filter((p) => p.state !== undefined).map((p) => builder.onBuildPhase(p.state!, () => { marks.push(cpuMs()); }));
    const start = performance.now();
    const cpuStart = cpuMs();
    const documents = load(services, workspace);
    marks.unshift(cpuMs());
    await builder.build(documents, { validation: true });
    const wall = performance.now() - start;
    listeners.forEach((l) => l.dispose());
    const phases = marks.map((mark, i) => mark - (i === 0 ? cpuStart : marks[i - 1]));
    return { documents, wall, cpu: cpuMs() - cpuStart, phases };
}

function median(values: number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)];
}

type Services = ReturnType<typeof createFlowLspServices>;

/** Fresh services, with the parser built (once per process in an editor, so not part of a build). */
function freshServices(): Services {
    const services = createFlowLspServices(NodeFileSystem);
    services.Flow.parser.LangiumParser.parse('');
    return services;
}

/** Parses the workspace's files into documents, opened as an editor would. */
function load(services: Services, workspace: Workspace): LangiumDocument[] {
    return workspace.files.map((file) => {
        const uri = URI.file(file.path);
        services.shared.workspace.TextDocuments.set(TextDocument.create(uri.toString(), 'flow', 1, file.text));
        const document = services.shared.workspace.LangiumDocumentFactory.fromString(file.text, uri);
        services.shared.workspace.LangiumDocuments.addDocument(document);
        return document;
    });
}

async function measure(lines: number): Promise<BenchResult[]> {
    const workspace = generate(lines);
    try {
        // Full build from scratch: parse, index, link, validate; fresh services each time (median of 3).
        // A fresh parser's lookahead caches start empty: the first build of a server pays for that
        // (cold); later builds do not, which is what warming the parser over the same files shows.
        const coldBuilds: number[] = [];
        const builds: number[] = [];
        const buildCpu: number[] = [];
        const phaseCpu: number[][] = PHASES.map(() => []);
        let services = freshServices();
        let documents: LangiumDocument[] = [];
        for (let run = 0; run < 6; run++) {
            const warm = run % 2 === 1;
            services = freshServices();
            if (warm) for (const file of workspace.files) services.Flow.parser.LangiumParser.parse(file.text);
            const build = await timedBuild(services, workspace);
            documents = build.documents;
            (warm ? builds : coldBuilds).push(build.wall);
            if (warm) {
                buildCpu.push(build.cpu);
                build.phases.forEach((ms, i) => phaseCpu[i].push(ms));
            }
        }
        // Baseline in the same run: the parser alone over the same files (the floor of any build).
        const parses: number[] = [];
        const parseCpu: number[] = [];
        for (let run = 0; run < 3; run++) {
            const parser = services.Flow.parser.LangiumParser;
            const start = performance.now();
            const cpuStart = cpuMs();
            for (const file of workspace.files) parser.parse(file.text);
            parses.push(performance.now() - start);
            parseCpu.push(cpuMs() - cpuStart);
        }
        const errors = documents.flatMap((d) => d.diagnostics ?? []).filter((d) => d.severity === 1);
        if (errors.length > 0) throw new Error(`the generated workspace must be valid, but has ${errors.length} errors, e.g. ${errors[0].message}`);

        // Re-validation after a one-character edit to a pipeline file (`amount > 1` <-> `amount > 2`).
        const edited = workspace.files[1];
        const uri = URI.file(edited.path);
        const revalidations: number[] = [];
        const revalidationCpu: number[] = [];
        let version = 1;
        for (let run = 0; run < 11; run++) {
            const text = edited.text.replace('amount > 1 ', `amount > ${run % 2 === 0 ? 2 : 1} `);
            services.shared.workspace.TextDocuments.set(TextDocument.create(uri.toString(), 'flow', ++version, text));
            const start = performance.now();
            const cpuStart = cpuMs();
            await services.shared.workspace.DocumentBuilder.update([uri], []);
            revalidations.push(performance.now() - start);
            revalidationCpu.push(cpuMs() - cpuStart);
        }

        // Completion of the upstream fields inside a filter of the edited file (median of 21).
        const document = services.shared.workspace.LangiumDocuments.getDocument(uri)!;
        const offset = document.textDocument.getText().indexOf('amount > ');
        const position = document.textDocument.positionAt(offset);
        const completions: number[] = [];
        const completionCpu: number[] = [];
        let items = 0;
        for (let run = 0; run < 21; run++) {
            const start = performance.now();
            const cpuStart = cpuMs();
            const list = await services.Flow.lsp.CompletionProvider!.getCompletion(document, { textDocument: { uri: uri.toString() }, position });
            completions.push(performance.now() - start);
            completionCpu.push(cpuMs() - cpuStart);
            items = list?.items.length ?? 0;
        }
        if (items === 0) throw new Error('completion returned no items');

        const size = `${Math.round(workspace.lines / 1000)} K lines, ${workspace.files.length} files`;
        const target = (text: string): string | undefined => (lines === 10_000 ? text : undefined);
        return [
            { workload: WORKLOAD, name: `parse only, ${size}`, value: median(parses), unit: 'ms' },
            {
                workload: WORKLOAD, name: `full build, ${size}`, value: median(builds), unit: 'ms', target: target('< 500 ms'),
                ratio: median(builds) / median(parses), baseline: 'parse only'
            },
            { workload: WORKLOAD, name: `full build on a fresh server (cold parser), ${size}`, value: median(coldBuilds), unit: 'ms' },
            { workload: WORKLOAD, name: `build throughput, ${size}`, value: workspace.lines / (median(builds) / 1000), unit: 'lines/s' },
            { workload: WORKLOAD, name: `re-validation after a 1-char edit, ${size}`, value: median(revalidations), unit: 'ms', target: target('< 100 ms') },
            { workload: WORKLOAD, name: `completion, ${size}`, value: median(completions), unit: 'ms', target: target('< 50 ms') },
            // CPU time (this process, user + system): what the work costs when the machine is shared.
            { workload: WORKLOAD, name: `CPU: parse only, ${size}`, value: median(parseCpu), unit: 'ms' },
            {
                workload: WORKLOAD, name: `CPU: full build, ${size}`, value: median(buildCpu), unit: 'ms', target: target('< 500 ms'),
                ratio: median(buildCpu) / median(parseCpu), baseline: 'CPU: parse only'
            },
            ...PHASES.map((phase, i) => ({ workload: WORKLOAD, name: `CPU: full build, ${phase.name} phase, ${size}`, value: median(phaseCpu[i]), unit: 'ms' })),
            { workload: WORKLOAD, name: `CPU: re-validation after a 1-char edit, ${size}`, value: median(revalidationCpu), unit: 'ms', target: target('< 100 ms') },
            { workload: WORKLOAD, name: `CPU: completion, ${size}`, value: median(completionCpu), unit: 'ms', target: target('< 50 ms') }
        ];
    } finally {
        rmSync(workspace.dir, { recursive: true, force: true });
    }
}

/** The full build (warm parser, median of 3 after one unmeasured build) in this process, under whatever flags it runs with. */
async function measureBuildOnly(lines: number): Promise<BenchResult[]> {
    const workspace = generate(lines);
    try {
        const builds: number[] = [];
        const buildCpu: number[] = [];
        for (let run = 0; run < 4; run++) {
            const services = freshServices();
            for (const file of workspace.files) services.Flow.parser.LangiumParser.parse(file.text);
            const build = await timedBuild(services, workspace);
            if (run === 0) continue; // compiles the build's code, as measure's first (cold) build does
            builds.push(build.wall);
            buildCpu.push(build.cpu);
        }
        const size = `${Math.round(workspace.lines / 1000)} K lines, ${workspace.files.length} files`;
        return [
            { workload: WORKLOAD, name: `full build under Node's default flags (no ${LANGUAGE_SERVER_NODE_FLAGS.join(' ')}), ${size}`, value: median(builds), unit: 'ms' },
            { workload: WORKLOAD, name: `CPU: full build under Node's default flags, ${size}`, value: median(buildCpu), unit: 'ms' }
        ];
    } finally {
        rmSync(workspace.dir, { recursive: true, force: true });
    }
}

const CHILD_ARGUMENT = '--language-server-bench-child';

/** measure(lines) in a child process started with the language server's Node flags. */
function measureWithServerFlags(lines: number): BenchResult[] {
    const output = execFileSync(process.execPath, [...LANGUAGE_SERVER_NODE_FLAGS, '--import', 'tsx', fileURLToPath(import.meta.url), CHILD_ARGUMENT, String(lines)],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 16 * 1024 * 1024 });
    return JSON.parse(output) as BenchResult[];
}

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const STARTUP_FLOW = join(REPO_ROOT, 'examples', 'word-count', 'word-count.flow');

/** CPU ms of one `flowline <args>` process (bin/flowline.js, the bundled CLI), from its own process.cpuUsage at exit. */
function cliCpuMs(args: string[]): number {
    const dir = mkdtempSync(join(tmpdir(), 'flowline-bench-cli-'));
    try {
        const report = join(dir, 'cpu');
        execFileSync(process.execPath, ['--import', join(REPO_ROOT, 'bench', 'cli-cpu-at-exit.mjs'), join(REPO_ROOT, 'bin', 'flowline.js'), ...args],
            { cwd: REPO_ROOT, stdio: 'ignore', env: { ...process.env, FLOWLINE_CPU_REPORT: report } });
        return Number(readFileSync(report, 'utf8'));
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
}

/**
 * What a `.flow` file costs the CLI before anything runs: `flowline graph` (load, parse, link,
 * validate, lower; the same path `flowline run` takes before it submits) against `flowline
 * --help` (Node and the CLI's own modules) in the same run, median of 5 alternated processes.
 * Needs the bundles (`node scripts/build.mjs`).
 */
function measureCliStartup(): BenchResult[] {
    const graph: number[] = [];
    const help: number[] = [];
    for (let run = 0; run < 5; run++) {
        help.push(cliCpuMs(['--help']));
        graph.push(cliCpuMs(['graph', STARTUP_FLOW]));
    }
    return [
        { workload: WORKLOAD, name: 'CPU: flowline --help (start-up floor)', value: median(help), unit: 'ms' },
        { workload: WORKLOAD, name: 'CPU: flowline graph word-count.flow (start-up before a run submits)', value: median(graph), unit: 'ms' },
        { workload: WORKLOAD, name: 'CPU: .flow start-up beyond the floor (Langium: load, parser, build)', value: median(graph) - median(help), unit: 'ms' }
    ];
}

/** Runs the language-server workload for every workspace size, then the CLI's .flow start-up. */
export async function run(): Promise<BenchResult[]> {
    const results: BenchResult[] = [...measureCliStartup()];
    for (const lines of SIZES) {
        results.push(...measureWithServerFlags(lines));
        results.push(...await measureBuildOnly(lines));
    }
    return results;
}

if (process.argv[2] === CHILD_ARGUMENT) {
    process.stdout.write(JSON.stringify(await measure(Number(process.argv[3]))));
}
