/**
 * The side-by-side half of the Nexmark benchmark: the same query over the same event files
 * (JSON lines written by `flowline nexmark generate`) on the local runtime (jsonl sources in
 * place of the nexmark sources) and on Flink's MiniCluster (the official Flink SQL, filesystem
 * tables, blackhole sink; bench/flink-minicluster/NexmarkMiniCluster.java on the locked Flink
 * jars). Both figures are events per CPU second, less the CPU of the same job over 1,000 events
 * (for Flink measured after a warm-up run of that small job in the same JVM).
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ensureArtifacts, flowlineCacheDir, mavenRepositoryUrl } from '../flink/src/cluster/artifact-cache.js';
import { FLINK_ARTIFACT_LOCK } from '../flink/src/cluster/artifact-lock.js';
import { JAVA_17_MODULE_FLAGS } from '../flink/src/cluster/flink-config.js';
import { findJava } from '../flink/src/cluster/java-runtime.js';
import type { LogicalGraph } from '../protocol/logical-graph.js';
import { nexmarkKindOf } from '../protocol/nexmark.js';
import { nexmarkFile, writeNexmarkFiles } from '../runtime/src/connectors/nexmark/nexmark-files.js';
import { eventTableDdl, localGraph, officialStatements, REPO } from '../scripts/nexmark/nexmark-parity.js';
import { BENCH_DIR, runJob } from './_runtime-harness.js';

const SMALL_EVENTS = 1_000;
const PLACEHOLDER_DIR = '/FLOWLINE_EVENTS_DIR';

export interface MiniClusterSetup {
    java: string;
    classpath: string;
    smallDir: string;
    fullDir: string;
}

/** Java, the Flink jars and the compiled main, and both event sets; or why the side-by-side cannot run. */
export async function miniClusterSetup(events: number, rate: number): Promise<MiniClusterSetup | string> {
    let java: string;
    try {
        java = findJava().executable;
    } catch (error) {
        return (error as Error).message;
    }
    const javac = join(java, '..', 'javac');
    if (!existsSync(javac)) return `no javac next to ${java}: the MiniCluster main cannot be compiled`;
    const { jars } = await ensureArtifacts(FLINK_ARTIFACT_LOCK, { cacheDir: flowlineCacheDir(), repositoryUrl: mavenRepositoryUrl() });
    const classes = join(BENCH_DIR, 'minicluster-classes');
    mkdirSync(classes, { recursive: true });
    execFileSync(javac, ['-cp', jars.join(':'), '-d', classes, join(REPO, 'bench', 'flink-minicluster', 'NexmarkMiniCluster.java')]);
    const dirOf = (n: number) => join(BENCH_DIR, `nexmark-events-${n}-${rate}`);
    for (const n of [SMALL_EVENTS, events]) {
        if (!existsSync(nexmarkFile(dirOf(n), 'bid'))) writeNexmarkFiles({ events: n, seed: 1, rate, outOfOrder: 1 }, dirOf(n));
    }
    return { java, classpath: [...jars, classes].join(':'), smallDir: dirOf(SMALL_EVENTS), fullDir: dirOf(events) };
}

/** Flink's CPU seconds for the query's events at parallelism p (the MiniCluster main's own subtraction). */
export async function miniClusterCpu(setup: MiniClusterSetup, query: string, p: number): Promise<number> {
    const { setup: statements, sinkTable, insert } = officialStatements(query);
    // q10's official sink writes files under Nexmark's own variables: a work folder here.
    const output = `file://${join(BENCH_DIR, 'minicluster-output', `${query}-p${p}`)}`;
    const script = [...eventTableDdl(PLACEHOLDER_DIR), ...statements, sinkTable, insert].join('\n;;\n').split(`file://${PLACEHOLDER_DIR}`).join('file://${EVENTS_DIR}')
        .split('file://${NEXMARK_DIR}/data/output/${SUBMIT_TIME}').join(output);
    const file = join(BENCH_DIR, `minicluster-${query}.sql`);
    writeFileSync(file, script);
    const { stdout } = await promisify(execFile)(setup.java, [...JAVA_17_MODULE_FLAGS, '-Xmx1g', '-cp', setup.classpath, 'NexmarkMiniCluster', String(p), file, setup.smallDir, setup.fullDir], { maxBuffer: 16 * 1024 * 1024 });
    const line = stdout.split('\n').find((l) => l.startsWith('{"cpuSeconds"'));
    if (!line) throw new Error(`NexmarkMiniCluster printed no figure for ${query}: ${stdout.slice(-500)}`);
    return (JSON.parse(line) as { cpuSeconds: number }).cpuSeconds;
}

/** The query's graph reading the event files of `dir` with jsonl sources, sink a blackhole. */
async function filesGraph(query: string, dir: string): Promise<LogicalGraph> {
    const graph = await localGraph(query, { events: 1, seed: 1, rate: 1 }, join(BENCH_DIR, 'unused.jsonl'));
    for (const node of graph.nodes) {
        const kind = node.config.kind === 'source' ? nexmarkKindOf(node.config.connector) : undefined;
        if (node.config.kind === 'source' && kind) {
            node.config = { ...node.config, connector: 'jsonl', path: nexmarkFile(dir, kind), options: {} };
            node.parallelism = 1;
            node.parallelismPinned = true;
        }
        if (node.config.kind === 'sink') node.config = { kind: 'sink', connector: 'blackhole', options: {} };
    }
    return graph;
}

/** The local runtime's CPU seconds for the query's events over the files at parallelism p (less the small files' run). */
export async function flowlineFilesCpu(setup: MiniClusterSetup, query: string, p: number): Promise<number> {
    const cpu = async (dir: string, name: string): Promise<number> => {
        const path = join(BENCH_DIR, `nexmark-files-${query}-${name}.json`);
        writeFileSync(path, JSON.stringify(await filesGraph(query, dir)));
        return (await runJob(path, ['--mode', 'streaming', '--parallelism', String(p)])).cpuSeconds;
    };
    return (await cpu(setup.fullDir, 'full')) - (await cpu(setup.smallDir, 'small'));
}
