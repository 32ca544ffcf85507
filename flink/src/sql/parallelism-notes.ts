/**
 * Parallelism that Flink SQL cannot set. Flink SQL has no per-operator parallelism: a `|
 * parallelism N` on an operator, a values source or a filesystem source (Flink 2.3's filesystem
 * source has no `scan.parallelism`), or on the input of a blackhole sink (Flink's blackhole takes
 * no `sink.parallelism`) runs at the job's default parallelism instead. Results do not change
 * (only how many instances run), so these are notes, which do not block a submission; datagen
 * sources (`scan.parallelism`) and print and file sinks (`sink.parallelism`) do get theirs.
 */
import type { LogicalNode } from '../../../protocol/logical-graph.js';
import type { TranslationContext } from './translation-context.js';

/** Adds a note for every node whose fixed parallelism the script cannot give it. */
export function noteUnsetParallelism(ctx: TranslationContext): void {
    const jobDefault = ctx.options.parallelism ?? ctx.graph.parallelism;
    for (const node of ctx.graph.nodes) {
        if (!node.parallelismPinned || node.parallelism === jobDefault || setByScript(node) || singleOnBoth(node)) continue;
        const what = whatCannotBeSet(node);
        ctx.note(node, 'flink-operator-parallelism', `parallelism ${node.parallelism}`,
            `${node.name} runs with parallelism ${node.parallelism} locally, but ${what}, so Flink runs it at the job's default parallelism (${jobDefault}). The results are the same; only the number of parallel instances differs.`);
    }
}

/** The script sets this node's parallelism itself (a connector option). */
function setByScript(node: LogicalNode): boolean {
    const config = node.config;
    if (config.kind === 'source') return config.connector === 'datagen';
    if (config.kind === 'sink') return config.connector !== 'blackhole';
    return false;
}

/**
 * Nodes that run as one instance on the local runtime because of what they are, and that Flink
 * runs as one instance too: a ranking or a global aggregate (Flink gathers their rows into one
 * task), a file or values source at 1 (one file, one split).
 */
function singleOnBoth(node: LogicalNode): boolean {
    if (node.parallelism !== 1) return false;
    const config = node.config;
    if (config.kind === 'orderBy' || config.kind === 'limit') return true;
    if (config.kind === 'aggregate') return config.keys.length === 0;
    return config.kind === 'source';
}

function whatCannotBeSet(node: LogicalNode): string {
    const config = node.config;
    if (config.kind === 'source') {
        return config.connector === 'values'
            ? 'inline values are a VALUES list (or a filesystem table), which takes no parallelism in Flink SQL'
            : 'Flink 2.3\'s filesystem source has no \'scan.parallelism\' option';
    }
    if (config.kind === 'sink') return 'Flink\'s blackhole connector has no \'sink.parallelism\' option';
    return 'Flink SQL sets no parallelism per operator';
}
