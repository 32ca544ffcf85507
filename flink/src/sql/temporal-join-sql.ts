/**
 * Temporal joins (`join R as of t`) as Flink's event-time temporal join: the right side becomes a
 * versioned view (the latest row per key by version time, a deduplication Flink accepts as a
 * versioned table with that key as primary key), joined `FOR SYSTEM_TIME AS OF` the left row's
 * time attribute. The output keeps the left side's time attribute, so a window may follow.
 */
import type { LogicalNode } from '../../../protocol/logical-graph.js';
import { type JoinConfig, keyedSide } from './join-sql.js';
import { identifier } from './sql-syntax.js';
import { type Relation, type TranslationContext, viewHint } from './translation-context.js';

export function translateTemporalJoin(ctx: TranslationContext, node: LogicalNode, config: JoinConfig, left: Relation, right: Relation): Relation {
    const leftTime = config.leftTimeField ?? '';
    const rightTime = config.rightTimeField ?? '';
    if (!ctx.streaming) {
        ctx.report(node, 'flink-temporal-join-batch', 'join ... as of',
            'Flink runs an event-time temporal join (FOR SYSTEM_TIME AS OF a time attribute) in streaming mode only; its batch mode rejects it. Run the pipeline in streaming mode (`mode streaming`) to deploy it to Flink; the local runtime runs it in both modes.');
    } else if (left.rowtime !== leftTime || right.rowtime !== rightTime) {
        const side = left.rowtime !== leftTime ? `the left side's '${leftTime}'` : `the right side's '${rightTime}'`;
        // (A right side that is a changelog in Flink, after a rolling aggregate or a regular join, has lost its time attribute: this covers it.)
        ctx.report(node, 'flink-temporal-join-needs-time-attribute', 'join ... as of',
            `A temporal join needs both sides' event-time columns as Flink time attributes, but ${side} is not one at this point (a regular join, a distinct, a rolling aggregate or a computed field before it drops it).`);
    }
    const l = keyedSide(ctx, node, left, config.leftKeys, 'left');
    const r = keyedSide(ctx, node, right, config.rightKeys, 'right');
    // The rows of one key are the versions of one row: keep the latest, by version time. Flink reads
    // this deduplication as a versioned table whose primary key is the key.
    const rightColumns = [...right.columns.map(identifier), ...r.keys.filter((k) => !right.columns.map(identifier).includes(k))];
    const versions = ctx.defineView(`${viewHint(node)}_versions`,
        `SELECT ${rightColumns.join(', ')}\nFROM (\n  SELECT *, ROW_NUMBER() OVER (PARTITION BY ${r.keys.join(', ')} ORDER BY ${identifier(rightTime)} DESC) AS ${identifier('__version')}\n  FROM ${r.name}\n)\nWHERE ${identifier('__version')} = 1`);
    const items = [
        ...config.leftFields.map((f) => `l.${identifier(f)}`),
        ...config.rightFields.map((f) => `r.${identifier(f.from)}${f.as !== f.from ? ` AS ${identifier(f.as)}` : ''}`)
    ];
    const conditions = l.keys.map((k, i) => `l.${k} = r.${r.keys[i]}`);
    const joinKeyword = config.joinType === 'left' ? 'LEFT JOIN' : 'JOIN';
    const view = ctx.defineView(viewHint(node),
        `SELECT ${items.join(', ')}\nFROM ${l.name} AS l\n${joinKeyword} ${versions} FOR SYSTEM_TIME AS OF l.${identifier(leftTime)} AS r\nON ${conditions.join(' AND ')}`);
    return {
        name: view,
        columns: node.schema.map((f) => f.name),
        // Each left row is emitted once, when the watermark passes it: append-only, with the left's time attribute.
        rowtime: config.leftFields.includes(left.rowtime ?? '') ? left.rowtime : undefined,
        appendOnly: left.appendOnly,
        windowColumns: false
    };
}
