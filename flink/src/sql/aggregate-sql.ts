/**
 * Aggregates: windowed (a window table-valued function grouped by window and key), and
 * unwindowed (GROUP BY the key; in streaming mode Flink emits it as a changelog).
 */
import type { LogicalNode, NodeConfig } from '../../../protocol/logical-graph.js';
import { nodeExpressionSql } from './node-expression-sql.js';
import { identifier } from './sql-syntax.js';
import { type Relation, type TranslationContext, viewHint, WINDOW_COLUMNS } from './translation-context.js';
import { windowTvfSql } from './window-tvf.js';

type AggregateConfig = Extract<NodeConfig, { kind: 'aggregate' }>;

export function translateAggregate(ctx: TranslationContext, node: LogicalNode, config: AggregateConfig, input: Relation): Relation {
    if (config.allowedLatenessMs !== undefined) {
        ctx.report(node, 'flink-allowed-lateness', 'allowedLateness',
            `The window allows late records for ${config.allowedLatenessMs} ms: Flink SQL's window aggregates fire once, when the watermark passes the window's end, and have no allowed lateness.`);
    }
    if (hasDistinctCall(config) && hasCall(config, 'collect')) {
        ctx.report(node, 'flink-collect-with-distinct', 'collect(...) beside a distinct aggregate',
            'This aggregate has collect(...) and a distinct aggregate (e.g. count(distinct x)): Flink\'s planner splits distinct aggregates into a second aggregation, which cannot carry an array ("Min aggregate function does not support type ARRAY"). Compute the distinct aggregate in an aggregate of its own.');
    }
    const items = config.fields.map((f) => `${nodeExpressionSql(ctx, node, f.expr)} AS ${identifier(f.name)}`);
    const keys = config.keys.map((k) => nodeExpressionSql(ctx, node, k));
    const columns = config.fields.map((f) => f.name);

    if (config.window?.type === 'count') {
        const { size, slide } = config.window;
        const construct = `window count ${size}${slide !== undefined ? ` every ${slide}` : ''}`;
        ctx.report(node, 'flink-count-window', construct,
            `'${construct}' cannot run on Flink: a count window groups each key's rows by their number, and Flink SQL has no count window (only the DataStream API's countWindow). Window by time instead (window tumbling ...), or run this pipeline on the local runtime.`);
        return { name: '`unavailable`', columns, appendOnly: input.appendOnly, windowColumns: false };
    }
    if (config.window) {
        // A session is per key: the keys that are plain columns partition the session function.
        const partition = config.window.type === 'session' ? config.keys.flatMap((k) => (k.k === 'field' ? [k.name] : [])) : [];
        if (config.window.type === 'session' && partition.length !== config.keys.length) {
            ctx.report(node, 'flink-session-key-expression', 'keyBy <expression> before a session window',
                'A session window keyed by a computed expression: Flink\'s SESSION function partitions by columns only. Compute the key with a map first.');
        }
        const tvf = windowTvfSql(ctx, node, config.window, input, partition);
        const group = ['window_start', 'window_end', 'window_time', ...keys];
        const view = ctx.defineView(viewHint(node),
            `SELECT ${[...items, ...WINDOW_COLUMNS].join(', ')}\nFROM ${tvf}\nGROUP BY ${group.join(', ')}`);
        // window_time is the rows' time attribute now; the user's columns are plain timestamps.
        return { name: view, columns, appendOnly: input.appendOnly, windowColumns: true };
    }

    if (config.rolling && !ctx.streaming) {
        ctx.report(node, 'flink-rolling-aggregate-batch', 'reduce in batch mode',
            'A rolling aggregate (reduce) emits an updated row after every input record; Flink in batch mode emits each group\'s final row only.');
    }
    // Without keys: one group, and no row at all for an empty input (SQL would give one row of zeros).
    const groupBy = keys.length > 0 ? `\nGROUP BY ${keys.join(', ')}` : '\nHAVING COUNT(*) > 0';
    const view = ctx.defineView(viewHint(node), `SELECT ${items.join(', ')}\nFROM ${input.name}${groupBy}`);
    // In streaming mode every update of a group is a retraction and a new row: a changelog.
    return { name: view, columns, appendOnly: !ctx.streaming, windowColumns: false };
}

type Expr = AggregateConfig['fields'][number]['expr'];

/** Every call in the aggregate's output expressions, nested ones included. */
function calls(config: AggregateConfig): Extract<Expr, { k: 'call' }>[] {
    const found: Extract<Expr, { k: 'call' }>[] = [];
    const visit = (value: unknown): void => {
        if (Array.isArray(value)) { value.forEach(visit); return; }
        if (value === null || typeof value !== 'object') return;
        const node = value as { k?: string };
        if (node.k === 'call') found.push(node as Extract<Expr, { k: 'call' }>);
        Object.values(node).forEach(visit);
    };
    config.fields.forEach((f) => visit(f.expr));
    return found;
}

const hasCall = (config: AggregateConfig, fn: string) => calls(config).some((c) => c.fn === fn);
const hasDistinctCall = (config: AggregateConfig) => calls(config).some((c) => c.distinct === true);
