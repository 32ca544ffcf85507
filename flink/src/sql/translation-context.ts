/**
 * The state of one pipeline's translation: the relation (view or table) holding each node's
 * output, the statements written so far, and the diagnostics of what Flink cannot run.
 */
import type { LogicalEdge, LogicalGraph, LogicalNode } from '../../../protocol/logical-graph.js';
import type { FlinkDataFile, FlinkSqlDiagnostic } from './flink-sql-script.js';
import { identifier } from './sql-syntax.js';

/** Options of `translatePipeline`. */
export interface TranslateOptions {
    /** The job's default parallelism (default: the pipeline's). */
    parallelism?: number;
    /**
     * Where a sink writes instead of its own path (tests and submissions collect results this way).
     * A print or blackhole sink given a path becomes a JSON-lines file sink there.
     */
    sinkPathOverride?: (node: LogicalNode) => string | undefined;
    /**
     * The header row of a csv file, when it can be read where the translation runs: Flink reads
     * csv columns by position, so the source table declares them in the file's order. Default:
     * read from the file on this machine (csv-header.ts).
     */
    csvHeader?: (path: string, delimiter: string) => string[] | undefined;
    /**
     * The folder for the data files the script reads (the rows of a watermarked `values(...)`
     * source). Default: `.flowline/flink/<pipeline>/` beside the .flow file declaring the pipeline.
     */
    dataFileDir?: string;
}

/** The rows of one node's output as Flink SQL sees them. */
export interface Relation {
    /** The view or table to select from (an identifier, already quoted). */
    name: string;
    /** The .flow schema's columns, in order. */
    columns: string[];
    /** The column that is still an event-time attribute (rowtime) in Flink, if any. */
    rowtime?: string;
    /** False when, in streaming mode, Flink produces these rows as a changelog (updates, retractions). */
    appendOnly: boolean;
    /** The rows also carry Flink's window_start, window_end and window_time (a window aggregate's output). */
    windowColumns: boolean;
    /** An orderBy not yet applied, kept so that a limit after it becomes one Top-N query. */
    pendingOrder?: { node: LogicalNode; input: Relation };
}

/** Flink's columns describing a window TVF's window, kept after a window aggregate for Window Top-N. */
export const WINDOW_COLUMNS = ['window_start', 'window_end', 'window_time'];

export class TranslationContext {
    /** SET statements, then CREATE TEMPORARY TABLE/VIEW statements, in dependency order. */
    readonly settings: string[] = [];
    readonly definitions: string[] = [];
    /** One INSERT per sink. */
    readonly inserts: string[] = [];
    readonly diagnostics: FlinkSqlDiagnostic[] = [];
    /** Warnings: what runs on Flink, but not exactly as written (see FlinkSqlScript.notes). */
    readonly notes: FlinkSqlDiagnostic[] = [];
    /** Files the script reads that the translation made. */
    readonly dataFiles: FlinkDataFile[] = [];
    /** How many sinks write files (streaming mode commits them on checkpoints). */
    fileSinks = 0;
    private readonly relations = new Map<string, Relation>();
    private readonly usedNames = new Set<string>();

    constructor(readonly graph: LogicalGraph, readonly options: TranslateOptions) {}

    get streaming(): boolean {
        return this.graph.mode === 'streaming';
    }

    /** Records that Flink cannot run `construct` of `node`, and why. */
    report(node: LogicalNode, code: string, construct: string, message: string): void {
        this.diagnostics.push({ code, message, nodeId: node.id, construct, location: node.location });
    }

    /** Records that `construct` of `node` runs on Flink, but not exactly as written (does not block a submission). */
    note(node: LogicalNode, code: string, construct: string, message: string): void {
        this.notes.push({ code, message, nodeId: node.id, construct, location: node.location });
    }

    /** A view or table name not used yet in this script, derived from `hint`. */
    uniqueName(hint: string): string {
        const base = hint.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+|_+$/g, '') || 'v';
        let name = base;
        for (let i = 2; this.usedNames.has(name.toLowerCase()); i++) name = `${base}_${i}`;
        this.usedNames.add(name.toLowerCase());
        return name;
    }

    /** Defines a temporary view over `query` and returns its quoted name. */
    defineView(hint: string, query: string): string {
        const name = identifier(this.uniqueName(hint));
        this.definitions.push(`CREATE TEMPORARY VIEW ${name} AS\n${query}`);
        return name;
    }

    setRelation(node: LogicalNode, relation: Relation): void {
        this.relations.set(node.id, relation);
    }

    /** The main-output edges into `node`, in input order (left before right, union inputs by index). */
    inputEdges(node: LogicalNode): LogicalEdge[] {
        const order = (e: LogicalEdge) => (e.input === 'left' ? 0 : e.input === 'right' ? 1 : e.input ?? 0);
        return this.graph.edges.filter((e) => e.target === node.id).sort((a, b) => order(a) - order(b));
    }

    /** The relation an edge carries (its source node's output). */
    relationOf(edge: LogicalEdge): Relation {
        const relation = this.relations.get(edge.source);
        if (!relation) throw new Error(`internal: ${edge.source} was not translated before ${edge.target}`);
        return relation;
    }

    /** The relations feeding `node`, in input order. */
    inputs(node: LogicalNode): Relation[] {
        return this.inputEdges(node).map((e) => this.relationOf(e));
    }

    /** The nodes reading `node`'s output. */
    consumers(node: LogicalNode): LogicalNode[] {
        const ids = new Set(this.graph.edges.filter((e) => e.source === node.id).map((e) => e.target));
        return this.graph.nodes.filter((n) => ids.has(n.id));
    }
}

/** `node`'s view name hint: `<stream>_<index>_<kind>` from its id (`P/top/3-aggregate` -> `top_3_aggregate`). */
export function viewHint(node: LogicalNode): string {
    return node.id.split('/').slice(1).join('_').replace(/-/g, '_');
}

/** The column list of a relation, quoted, for a SELECT (with Flink's window columns when it has them). */
export function selectList(relation: Relation, qualifier?: string, withWindowColumns = relation.windowColumns): string {
    const q = qualifier ? `${qualifier}.` : '';
    const cols = [...relation.columns, ...(withWindowColumns && relation.windowColumns ? WINDOW_COLUMNS : [])];
    return cols.map((c) => q + identifier(c)).join(', ');
}
