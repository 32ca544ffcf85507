/**
 * What the translator hands back: the Flink SQL statements of one pipeline, and a diagnostic for
 * every construct Flink cannot run (non-empty diagnostics = not runnable on Flink).
 */
import type { SourceLocation } from '../../../protocol/logical-graph.js';
import type { FlinkDataFile } from '../../../protocol/lsp-requests.js';

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

export type { FlinkDataFile } from '../../../protocol/lsp-requests.js';

export interface FlinkSqlScript {
    /** Sent one by one to the SQL Gateway: SET ..., CREATE TEMPORARY TABLE/VIEW ..., then one INSERT or one EXECUTE STATEMENT SET. */
    statements: string[];
    /** The statements joined with ';\n', for display, after comment lines naming the data files and the notes. */
    script: string;
    diagnostics: FlinkSqlDiagnostic[];
    /** Files the script reads that must be written before it is submitted (writeFlinkDataFiles). */
    dataFiles: FlinkDataFile[];
    /**
     * What runs on Flink but not quite as the pipeline says (an operator's parallelism Flink SQL
     * cannot set): warnings that do not block a submission, also comment lines at the script's head.
     */
    notes: FlinkSqlDiagnostic[];
}
