/**
 * The LogicalGraph of one pipeline as a Flink SQL script: settings, a table and a view per
 * source, a view per operator, a table per sink, then one INSERT (or one statement set when there
 * are several sinks). What Flink cannot run is a diagnostic at its node, never dropped.
 */
import type { LogicalGraph, LogicalNode } from '../../../protocol/logical-graph.js';
import { translateAggregate } from './aggregate-sql.js';
import { faultToleranceSettings } from './fault-tolerance-sql.js';
import type { FlinkSqlScript } from './flink-sql-script.js';
import { translateJoin } from './join-sql.js';
import { translateOver } from './over-sql.js';
import { noteUnsetParallelism } from './parallelism-notes.js';
import { translateLimit, translateTopN, translateOrderBy } from './ranking-sql.js';
import { translateDistinct, translateFilter, translateFlatMap, translateMap, translateUnion } from './row-operators.js';
import { translateSink } from './sink-tables.js';
import { translateSource } from './source-tables.js';
import { stringLiteral } from './sql-syntax.js';
import { type Relation, type TranslateOptions, TranslationContext } from './translation-context.js';

export type { FlinkDataFile, FlinkSqlDiagnostic, FlinkSqlScript } from './flink-sql-script.js';
export type { TranslateOptions } from './translation-context.js';

/** Translates one pipeline's graph; `diagnostics` lists every construct Flink cannot run. */
export function translatePipeline(graph: LogicalGraph, options: TranslateOptions = {}): FlinkSqlScript {
    const ctx = new TranslationContext(graph, options);
    for (const node of topologicalOrder(graph)) {
        const relation = translateNode(ctx, node);
        if (relation) ctx.setRelation(node, relation);
    }
    noteUnsetParallelism(ctx);
    const statements = [...settings(ctx), ...ctx.settings, ...ctx.definitions, ...insertStatements(ctx)];
    const script = scriptHeader(ctx) + statements.map((s) => `${s};`).join('\n\n') + '\n';
    return { statements, script, diagnostics: ctx.diagnostics, dataFiles: ctx.dataFiles, notes: ctx.notes };
}

/** Comment lines before the statements: the data files the script reads, and the notes. */
function scriptHeader(ctx: TranslationContext): string {
    const lines = [
        ...ctx.dataFiles.map((f) => `-- Reads ${f.path}: the ${f.rows} row${f.rows === 1 ? '' : 's'} of the values source ${f.sourceName} (written before the script is submitted)`),
        ...ctx.notes.map((n) => `-- Note (${n.code}, line ${n.location.range.start.line + 1}): ${n.message}`)
    ];
    return lines.length > 0 ? `${lines.join('\n')}\n\n` : '';
}

function translateNode(ctx: TranslationContext, node: LogicalNode): Relation | undefined {
    const config = node.config;
    if (config.kind === 'source') return translateSource(ctx, node, config);
    const edges = ctx.inputEdges(node);
    if (config.kind === 'sink') {
        translateSink(ctx, node, config, edges[0]);
        return undefined;
    }
    // A side output feeds only sinks (checked there); every operator reads main outputs.
    const inputs = ctx.inputs(node);
    const input = inputs[0];
    switch (config.kind) {
        case 'filter': return translateFilter(ctx, node, config, input);
        case 'map': return translateMap(ctx, node, config, input);
        case 'flatMap': return translateFlatMap(ctx, node, config, input);
        case 'distinct': return translateDistinct(ctx, node, input);
        case 'union': return translateUnion(ctx, node, inputs);
        case 'aggregate': return translateAggregate(ctx, node, config, input);
        case 'join': return translateJoin(ctx, node, config, inputs[0], inputs[1]);
        case 'orderBy': return translateOrderBy(node, input);
        case 'limit': return translateLimit(ctx, node, config, input);
        case 'topN': return translateTopN(ctx, node, config, input);
        case 'over': return translateOver(ctx, node, config, input);
        case 'udf':
            ctx.report(node, 'flink-user-function', `${config.role} fn("${config.file.split('/').pop()}", "${config.exportName}")`,
                `${config.exportName} is a TypeScript user function: Flink runs Java, Scala or Python functions, not TypeScript, so this ${config.role} cannot run on Flink. Write it with built-in functions, or as a Flink UDF outside Flowline.`);
            // The rows go on with the schema the function declares, so later operators are checked too.
            return { name: '`unavailable`', columns: node.schema.map((f) => f.name), appendOnly: input.appendOnly, windowColumns: false, rowtime: undefined };
    }
}

/**
 * The job's settings: runtime mode, default parallelism, UTC (the zone the local runtime reads and
 * writes times in), the job's name, checkpointing and the restart strategy.
 */
function settings(ctx: TranslationContext): string[] {
    const { graph, options } = ctx;
    const result = [
        `SET 'execution.runtime-mode' = '${graph.mode}'`,
        `SET 'parallelism.default' = '${options.parallelism ?? graph.parallelism}'`,
        `SET 'table.local-time-zone' = 'UTC'`,
        `SET 'pipeline.name' = ${stringLiteral(graph.pipeline)}`
    ];
    result.push(...faultToleranceSettings(graph, ctx.fileSinks));
    return result;
}

/** One INSERT, or one EXECUTE STATEMENT SET holding every INSERT (one job for all sinks). */
function insertStatements(ctx: TranslationContext): string[] {
    if (ctx.inserts.length <= 1) return ctx.inserts;
    return [`EXECUTE STATEMENT SET\nBEGIN\n${ctx.inserts.map((s) => `${s};`).join('\n')}\nEND`];
}

/** Nodes ordered so every node comes after the nodes feeding it (the graph's order where it allows). */
function topologicalOrder(graph: LogicalGraph): LogicalNode[] {
    const done = new Set<string>();
    const ordered: LogicalNode[] = [];
    const byId = new Map(graph.nodes.map((n) => [n.id, n]));
    const visit = (node: LogicalNode) => {
        if (done.has(node.id)) return;
        done.add(node.id);
        for (const e of graph.edges) if (e.target === node.id) visit(byId.get(e.source)!);
        ordered.push(node);
    };
    graph.nodes.forEach(visit);
    return ordered;
}
