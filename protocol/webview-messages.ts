/**
 * Messages between the extension and its webviews (job graph, results, peek records), declared once.
 * Dependency-free: the extension bundle and the browser bundles of the webviews import it.
 */
import type { BackpressureLevel, ExecutionState, JobDetails, JobStatus, TappedRecord, VertexDetails } from './cluster-api.js';
import type { LogicalGraph, SchemaField } from './logical-graph.js';
import type { CheckpointingStatistics } from './checkpoints.js';
import type { ExpressionError, FlowDiagnostic } from './lsp-requests.js';

/** Which graph the job graph view draws. */
export type GraphLevel = 'logical' | 'job' | 'execution';

/** A running (or finished) job's state, overlaid on the graph's nodes. */
export interface JobOverlay {
    details: JobDetails;
    /** Subtasks with their metrics; back-pressure levels are derived from them as Flink does. */
    vertices: VertexDetails[];
    /** GET /jobs/:jid/checkpoints, for a job that takes checkpoints. */
    checkpoints?: CheckpointingStatistics;
}

/** Extension → job graph webview. */
export type ToGraphView =
    | {
        type: 'graph';
        documentUri: string;
        graphs: LogicalGraph[];
        diagnostics: FlowDiagnostic[];
        /** The pipeline to show first. */
        pipeline?: string;
        /** True when the document has errors and `graphs` is the last graph that had none. */
        stale: boolean;
    }
    | { type: 'job'; pipeline: string; overlay: JobOverlay | undefined }
    | { type: 'level'; level: GraphLevel }
    /** A job of a Flink cluster: its vertices as Flink planned them, with their figures. */
    | { type: 'flink-job'; drawing: FlinkJobDrawing };

/** A Flink job's graph, ready to lay out: a box per vertex, an arrow per input. */
export interface FlinkJobDrawing {
    jid: string;
    name: string;
    state: JobStatus | 'RECONCILING';
    graph: {
        nodes: { id: string; label: string; detail: string; shape: 'source' | 'operator' | 'sink'; parallelism: number; nodeIds: string[]; vertexId: string }[];
        edges: { id: string; source: string; target: string; label: string; sourceNode: string }[];
    };
    /** Figures per box id, as the local jobs' overlay has them. */
    states: Record<string, JobGraphBoxFigures>;
}

/** The live figures of one job graph box, for a local job's overlay and a Flink job alike. */
export interface JobGraphBoxFigures {
    state: ExecutionState;
    /** Records into the box from the network; undefined for a source and for an operator chained after the head. */
    recordsIn: number | undefined;
    /** Records out of the box; undefined for an operator chained before the tail (its vertex counts at the tail). */
    recordsOut: number | undefined;
    recordsPerSecond: number | undefined;
    backpressure: BackpressureLevel;
    /** Lowest input watermark over the box's subtasks (epoch ms), when any. */
    watermark: number | null;
}

/** Job graph webview → extension. */
export type FromGraphView =
    | { type: 'ready' }
    | { type: 'reveal-node'; nodeId: string; pipeline: string }
    /** Peek Records on an edge: the records leaving `nodeId` (the edge's source). */
    | { type: 'peek-edge'; nodeId: string; pipeline: string }
    | { type: 'export-svg'; pipeline: string; svg: string }
    | { type: 'rendered'; pipeline: string; level: GraphLevel; nodeCount: number; layoutMs: number };

/** One sink's results, as the results view pages them. */
export interface ResultSetSummary {
    nodeId: string;
    name: string;
    schema: SchemaField[];
    total: number;
    /** Rows the editor did not keep (beyond its limit per sink); 0 normally. */
    notKept: number;
    /** The sink's rows are updates: `total` rows are its current table (one per key), built by `changes` updates. */
    updating?: { keyFields: string[]; changes: number };
}

/** Extension → results webview. */
export type ToResultsView =
    | { type: 'result-sets'; jobName: string; jobState: string; sets: ResultSetSummary[] }
    | { type: 'page'; nodeId: string; page: number; pageSize: number; total: number; rows: Record<string, unknown>[] };

/** Results webview → extension. */
export type FromResultsView =
    | { type: 'ready' }
    | { type: 'request-page'; nodeId: string; page: number }
    | { type: 'export'; nodeId: string; format: 'csv' | 'json' };

/** Extension → peek records webview. */
export type ToPeekView =
    | {
        type: 'tap';
        /** What is tapped, e.g. `stream big of SlowOrders`. */
        title: string;
        fields: SchemaField[];
        recordsPerSecond: number;
        /** The filter in effect ('' for none). */
        filter: string;
    }
    | { type: 'records'; records: TappedRecord[]; seen: number; matched: number; sampled: number }
    | { type: 'paused'; paused: boolean; missed: number }
    | { type: 'filter-errors'; text: string; errors: ExpressionError[] }
    /** The tap ended: the job finished, failed or was canceled, or the cluster stopped. */
    | { type: 'ended'; reason: string };

/** Peek records webview → extension. */
export type FromPeekView =
    | { type: 'ready' }
    | { type: 'pause' }
    | { type: 'resume' }
    | { type: 'set-filter'; text: string };
