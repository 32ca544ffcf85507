/**
 * Every custom request between the Flowline extension (or any LSP client) and the language
 * server, declared once. Dependency-free: plain method names and payload types, so the client,
 * the server and the tests share them without pulling in Langium or vscode.
 */
import type { Expr, FlowType, LogicalGraph } from './logical-graph.js';

/** Method names of the custom requests; all start with `flowline/`. */
export const FlowRequests = {
    /** The LogicalGraph of every pipeline of a document (or of one pipeline), with its diagnostics. */
    logicalGraph: 'flowline/logicalGraph',
    /** Checks a `.flow` expression in the context of one node of a pipeline (a tap's filter). */
    compileExpression: 'flowline/compileExpression',
    /** The Flink SQL script of one pipeline, with a diagnostic for every construct Flink cannot run. */
    flinkSql: 'flowline/flinkSql'
} as const;

/** Parameters of `flowline/logicalGraph`. */
export interface LogicalGraphParams {
    /** The document's URI, as the client knows it. */
    uri: string;
    /** Only this pipeline; every pipeline of the document when absent. */
    pipeline?: string;
}

/** A diagnostic of the document, in LSP coordinates (0-based lines and characters). */
export interface FlowDiagnostic {
    severity: 'error' | 'warning' | 'information' | 'hint';
    code?: string;
    message: string;
    range: { start: { line: number; character: number }; end: { line: number; character: number } };
}

/** Result of `flowline/logicalGraph`: graphs are only built when the document has no error. */
export interface LogicalGraphResult {
    graphs: LogicalGraph[];
    diagnostics: FlowDiagnostic[];
}

/** Parameters of `flowline/compileExpression`: the node is named by its id or by a stream's name. */
export interface CompileExpressionParams {
    uri: string;
    pipeline: string;
    /** A LogicalGraph node id (e.g. `Orders/big/0-filter`). */
    nodeId?: string;
    /** A stream or source of the pipeline: its last node. */
    stream?: string;
    /** The expression, as the user typed it (e.g. `amount > 100 and country == "DE"`). */
    text: string;
    /** Over the record reaching the node (`input`) or the record it emits (`output`). */
    at: 'input' | 'output';
    /** `condition`: must be boolean (a filter); `value` (default): any type. */
    expect?: 'condition' | 'value';
}

/** A problem in a compiled expression; columns are 0-based offsets into its text (end exclusive). */
export interface ExpressionError { message: string; column: number; endColumn: number }

/** Result of `flowline/compileExpression`: the checked tree and its type, or the checker's messages. */
export type CompileExpressionResult = { expr: Expr; type: FlowType } | { errors: ExpressionError[] };

/** Settings the server reads from the client (`workspace/configuration`, section `flowline`). */
export interface FlowlineSettings {
    inlayHints?: {
        /** Show the schema after each operator of a stream (default true). */
        schemas?: boolean;
    };
}

/** Parameters of `flowline/flinkSql`. */
export interface FlinkSqlParams {
    uri: string;
    /** The pipeline to translate. */
    pipeline: string;
}

/** Something of a pipeline Flink cannot run: the construct, why, and where it is written. */
export interface FlinkSqlDiagnosticInfo {
    code: string;
    message: string;
    nodeId?: string;
    construct: string;
    location: { uri: string; range: { start: { line: number; character: number }; end: { line: number; character: number } } };
}

/**
 * Result of `flowline/flinkSql`: `statements` go to the SQL Gateway one by one, `script` is them
 * joined for display. Non-empty `diagnostics`: the pipeline cannot run on Flink.
 */
export interface FlinkSqlResult {
    statements: string[];
    script: string;
    diagnostics: FlinkSqlDiagnosticInfo[];
}
