/**
 * What the translator hands back: the Flink SQL statements of one pipeline, and a diagnostic for
 * every construct Flink cannot run (non-empty diagnostics = not runnable on Flink).
 */
import type { SourceLocation } from '../../../protocol/logical-graph.js';

/** A construct of the pipeline that Flink SQL cannot express, and why. */
export interface FlinkSqlDiagnostic {
    /** Stable code, `flink-...` (docs/flink.md, "What cannot run on Flink, and why"). */
    code: string;
    /** A full sentence naming the construct and why Flink cannot run it. */
    message: string;
    /** The LogicalGraph node the construct belongs to. */
    nodeId?: string;
    /** The construct as a user would name it (`map fn`, `onError deadLetter`, `random(...)`). */
    construct: string;
    location: SourceLocation;
}

export interface FlinkSqlScript {
    /** Sent one by one to the SQL Gateway: SET ..., CREATE TEMPORARY TABLE/VIEW ..., then one INSERT or one EXECUTE STATEMENT SET. */
    statements: string[];
    /** The statements joined with ';\n', for display. */
    script: string;
    diagnostics: FlinkSqlDiagnostic[];
}
