/**
 * Every custom request between the Flowline extension (or any LSP client) and the language
 * server, declared once. Dependency-free: plain method names and payload types, so the client,
 * the server and the tests share them without pulling in Langium or vscode.
 */
import type { LogicalGraph } from './logical-graph.js';

/** Method names of the custom requests; all start with `flowline/`. */
export const FlowRequests = {
    /** The LogicalGraph of every pipeline of a document (or of one pipeline), with its diagnostics. */
    logicalGraph: 'flowline/logicalGraph'
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

/** Settings the server reads from the client (`workspace/configuration`, section `flowline`). */
export interface FlowlineSettings {
    inlayHints?: {
        /** Show the schema after each operator of a stream (default true). */
        schemas?: boolean;
    };
}
