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
    flinkSql: 'flowline/flinkSql',
    /**
     * The test blocks of a document (DiscoverTestsParams -> DiscoveredTest[], protocol/pipeline-tests.ts),
     * from its syntax alone: listed while the file has errors, as the user types.
     */
    discoverTests: 'flowline/discoverTests'
} as const;

export type { DiscoverTestsParams, DiscoveredTest } from './pipeline-tests.js';

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

/** Parameters of `flowline/flinkSql`. */
export interface FlinkSqlParams {
    uri: string;
    /** The pipeline to translate; may be left out when the document has exactly one. */
    pipeline?: string;
}

/**
 * Why (part of) a pipeline cannot run on Flink, or an error of the document itself (then no
 * script is made). `uri` is the file holding the construct (an imported source may be in another).
 */
export interface FlinkSqlDiagnosticInfo {
    uri: string;
    range: { start: { line: number; character: number }; end: { line: number; character: number } };
    severity: 'error';
    /** `flink-...` for what Flink cannot run (docs/flink.md), the checker's code for a document error. */
    code: string;
    message: string;
    /** The construct as the user wrote it (`onError deadLetter`, `map fn(...)`). */
    construct?: string;
    /** The LogicalGraph node it belongs to. */
    nodeId?: string;
}

/**
 * Result of `flowline/flinkSql`: `statements` are sent one by one to Flink's SQL Gateway,
 * `script` is the same for display. Runnable on Flink only when `diagnostics` is empty (with
 * document errors, `script` is empty and `statements` too).
 */
export interface FlinkSqlResult {
    pipeline: string;
    script: string;
    statements: string[];
    diagnostics: FlinkSqlDiagnosticInfo[];
}

/** Settings the server reads from the client (`workspace/configuration`, section `flowline`). */
export interface FlowlineSettings {
    inlayHints?: {
        /** Show the schema after each operator of a stream (default true). */
        schemas?: boolean;
    };
}
