/**
 * Checks that submitted JSON is a LogicalGraph this runtime understands before planning it, so a
 * bad submission is refused with a message saying what is wrong instead of failing somewhere deep.
 */
import { LOGICAL_GRAPH_VERSION, SOURCE_ENCODINGS, usesCalendarArithmetic, type LogicalGraph } from '../../../protocol/logical-graph.js';
import { InvalidGraphError } from './job-graph-builder.js';

const SHIP = new Set(['FORWARD', 'HASH', 'REBALANCE', 'BROADCAST']);

function isWhole(v: unknown): boolean {
    return typeof v === 'number' && Number.isInteger(v) && v >= 1;
}

function isPositive(v: unknown): boolean {
    return typeof v === 'number' && Number.isFinite(v) && v > 0;
}

/** Throws InvalidGraphError naming the first problem found. */
export function validateLogicalGraph(value: unknown): asserts value is LogicalGraph {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InvalidGraphError('A LogicalGraph must be a JSON object.');
    const g = value as Record<string, unknown>;
    if (typeof g.version !== 'number' || !Number.isInteger(g.version) || g.version < 1 || g.version > LOGICAL_GRAPH_VERSION) {
        throw new InvalidGraphError(`Unsupported LogicalGraph version ${JSON.stringify(g.version)}; this runtime reads versions 1 to ${LOGICAL_GRAPH_VERSION}.`);
    }
    if (typeof g.pipeline !== 'string') throw new InvalidGraphError("A LogicalGraph needs a string 'pipeline' (its name).");
    if (g.mode !== 'batch' && g.mode !== 'streaming') throw new InvalidGraphError(`'mode' must be "batch" or "streaming", not ${JSON.stringify(g.mode)}.`);
    if (!Array.isArray(g.nodes) || g.nodes.length === 0) throw new InvalidGraphError("A LogicalGraph needs a non-empty 'nodes' array.");
    if (!Array.isArray(g.edges)) throw new InvalidGraphError("A LogicalGraph needs an 'edges' array.");
    g.nodes.forEach((node: unknown, i: number) => {
        const n = node as Record<string, unknown> | null;
        const where = `nodes[${i}]`;
        if (typeof n !== 'object' || n === null) throw new InvalidGraphError(`${where} must be an object.`);
        if (typeof n.id !== 'string' || n.id === '') throw new InvalidGraphError(`${where} needs a string 'id'.`);
        if (typeof n.name !== 'string') throw new InvalidGraphError(`${where} (${n.id}) needs a string 'name'.`);
        const config = n.config as Record<string, unknown> | null;
        if (typeof config !== 'object' || config === null || typeof config.kind !== 'string') {
            throw new InvalidGraphError(`${where} (${n.id}) needs a 'config' object with a 'kind'.`);
        }
        if (config.kind === 'source' && (typeof config.sourceName !== 'string' || config.sourceName === '')) {
            throw new InvalidGraphError(`${where} (${n.id}) is a source and needs a string 'sourceName' in its config (the name it is declared with).`);
        }
        const encoding = (config.options as Record<string, unknown> | undefined)?.encoding;
        if (config.kind === 'source' && encoding !== undefined && !(SOURCE_ENCODINGS as readonly unknown[]).includes(encoding)) {
            throw new InvalidGraphError(`${where} (${n.id}) has encoding ${JSON.stringify(encoding)}; a source reads ${SOURCE_ENCODINGS.map((e) => `"${e}"`).join(' or ')}, written exactly so.`);
        }
        if (config.kind === 'join' && config.temporal !== undefined) {
            if (g.version === 1) throw new InvalidGraphError(`${where} (${n.id}) is a temporal join, which needs LogicalGraph version 2; the graph says version 1.`);
            if (typeof config.leftTimeField !== 'string' || typeof config.rightTimeField !== 'string') {
                throw new InvalidGraphError(`${where} (${n.id}) is a temporal join and needs string 'leftTimeField' and 'rightTimeField' in its config.`);
            }
        }
        if (config.kind === 'sink' && config.partitionBy !== undefined) {
            if ((g.version as number) < 4) throw new InvalidGraphError(`${where} (${n.id}) is a partitioned file sink (partitionBy), which needs LogicalGraph version 4; the graph says version ${g.version}.`);
            const fields = config.partitionBy as unknown;
            const names = Array.isArray(n.schema) ? n.schema.map((f) => f.name) : [];
            if (!Array.isArray(fields) || fields.length === 0 || !fields.every((f) => typeof f === 'string' && names.includes(f)) || (config.connector !== 'csv' && config.connector !== 'jsonl')) {
                throw new InvalidGraphError(`${where} (${n.id}) is a partitioned file sink and needs a csv or jsonl connector and 'partitionBy', a non-empty array of its schema's field names.`);
            }
        }
        if (config.kind === 'aggregate' && config.updatingInput !== undefined) {
            if ((g.version as number) < 4) throw new InvalidGraphError(`${where} (${n.id}) is an aggregate over updating rows (updatingInput), which needs LogicalGraph version 4; the graph says version ${g.version}.`);
            const keyFields = (config.updatingInput as { keyFields?: unknown } | null)?.keyFields;
            if (!Array.isArray(keyFields) || !keyFields.every((f) => typeof f === 'string') || config.window) {
                throw new InvalidGraphError(`${where} (${n.id}) is an aggregate over updating rows and needs a string array 'updatingInput.keyFields' and no window.`);
            }
        }
        if (config.kind === 'topN') {
            if ((g.version as number) < 3) throw new InvalidGraphError(`${where} (${n.id}) is a Top-N (topN), which needs LogicalGraph version 3; the graph says version ${g.version}.`);
            if (typeof config.count !== 'number' || !Number.isInteger(config.count) || config.count < 1 || !Array.isArray(config.order) || !Array.isArray(config.keys)) {
                throw new InvalidGraphError(`${where} (${n.id}) is a Top-N and needs 'keys' and 'order' arrays and a whole 'count' of at least 1 in its config.`);
            }
        }
        if ((g.version as number) < 4 && usesCalendarArithmetic(config)) {
            throw new InvalidGraphError(`${where} (${n.id}) has calendar arithmetic (calendarAdd, e.g. ts + 1 month), which needs LogicalGraph version 4; the graph says version ${g.version}.`);
        }
        if (config.kind === 'over') {
            if ((g.version as number) < 4) throw new InvalidGraphError(`${where} (${n.id}) is an OVER aggregate (over), which needs LogicalGraph version 4; the graph says version ${g.version}.`);
            const rows = config.rows, range = config.rangeMs;
            const bound = (typeof rows === 'number' && Number.isInteger(rows) && rows >= 1 && range === undefined)
                || (typeof range === 'number' && range > 0 && rows === undefined);
            if (!bound || typeof config.timeField !== 'string' || !Array.isArray(config.keys) || !Array.isArray(config.fields)) {
                throw new InvalidGraphError(`${where} (${n.id}) is an OVER aggregate and needs 'keys' and 'fields' arrays, a string 'timeField' and either a whole 'rows' of at least 1 or a positive 'rangeMs' in its config.`);
            }
        }
        const window = config.kind === 'aggregate' ? config.window as Record<string, unknown> | undefined : undefined;
        if (window && (window.type === 'count' || window.type === 'cumulate') && (g.version as number) < 4) {
            throw new InvalidGraphError(`${where} (${n.id}) has a ${window.type} window, which needs LogicalGraph version 4; the graph says version ${g.version}.`);
        }
        if (window?.type === 'count' && !(isWhole(window.size) && (window.slide === undefined || (isWhole(window.slide) && (window.slide as number) <= (window.size as number))))) {
            throw new InvalidGraphError(`${where} (${n.id}) has a count window, which needs a whole 'size' of at least 1 and an optional whole 'slide' between 1 and it.`);
        }
        if (window?.type === 'cumulate' && !(isPositive(window.sizeMs) && isPositive(window.stepMs) && (window.sizeMs as number) % (window.stepMs as number) === 0)) {
            throw new InvalidGraphError(`${where} (${n.id}) has a cumulate window, which needs positive 'sizeMs' and 'stepMs', the size a whole multiple of the step.`);
        }
        if (!Array.isArray(n.schema)) throw new InvalidGraphError(`${where} (${n.id}) needs a 'schema' array.`);
        if (typeof n.parallelism !== 'number') throw new InvalidGraphError(`${where} (${n.id}) needs a numeric 'parallelism'.`);
    });
    g.edges.forEach((edge: unknown, i: number) => {
        const e = edge as Record<string, unknown> | null;
        if (typeof e !== 'object' || e === null || typeof e.source !== 'string' || typeof e.target !== 'string') {
            throw new InvalidGraphError(`edges[${i}] needs string 'source' and 'target' node ids.`);
        }
        if (typeof e.ship !== 'string' || !SHIP.has(e.ship)) {
            throw new InvalidGraphError(`edges[${i}] has ship strategy ${JSON.stringify(e.ship)}; expected FORWARD, HASH, REBALANCE or BROADCAST.`);
        }
    });
    const kinds = (g.nodes as { config: { kind: string } }[]).map((n) => n.config.kind);
    if (!kinds.includes('source')) throw new InvalidGraphError('The graph has no source node.');
}
