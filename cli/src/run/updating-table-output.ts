/**
 * `flowline run --updates table` (the default on a terminal): the print sinks whose rows are
 * updates (an updating stream, docs/language.md) are shown as their current table, one JSON line
 * per key, a key's line replaced in place, instead of one line per change. On a terminal the
 * table is redrawn as updates come (at most every 250 ms); otherwise it is written once, when the
 * job ends. Either way a line on stderr says how many changes built it.
 */
import type { LogicalGraph } from '../../../protocol/logical-graph.js';
import { UpdatingTable, updatingKeyFields } from '../../../protocol/updating-table.js';
import type { RecordOutput } from './record-output.js';

interface SinkTable { name: string; table: UpdatingTable }

export class UpdatingTableOutput {
    private readonly tables = new Map<string, SinkTable>();
    /** Lines of the table drawn last on the terminal (erased before the next drawing). */
    private drawn = 0;
    private timer: ReturnType<typeof setTimeout> | undefined;

    constructor(graph: LogicalGraph, private readonly pipeline: string, private readonly output: RecordOutput,
        private readonly terminal: NodeJS.WriteStream | undefined, private readonly beforeDrawing: () => void) {
        for (const node of graph.nodes) {
            const keyFields = node.config.kind === 'sink' && node.config.connector === 'print' ? updatingKeyFields(node) : undefined;
            if (keyFields) this.tables.set(node.id, { name: node.name, table: new UpdatingTable(keyFields) });
        }
    }

    /** True when this sink's records are shown as a table (then `apply` takes them instead of printing). */
    shows(nodeId: string): boolean {
        return this.tables.has(nodeId);
    }

    /** Applies a print sink's printed lines (`{...}`, or `2> {...}` at parallelism > 1): each a JSON row. */
    apply(nodeId: string, lines: string[]): void {
        const sink = this.tables.get(nodeId)!;
        for (const line of lines) sink.table.apply(JSON.parse(line.replace(/^\d+> /, '')) as Record<string, unknown>);
        if (this.terminal && this.timer === undefined) this.timer = setTimeout(() => { this.timer = undefined; this.draw(); }, 250);
    }

    /** The job ended: the final tables (drawn once more on a terminal), and what built them on stderr. */
    finish(several: boolean): void {
        if (this.timer !== undefined) clearTimeout(this.timer);
        this.timer = undefined;
        if (this.tables.size === 0) return;
        this.draw();
        this.drawn = 0; // the final table stays
        for (const { name, table } of this.tables.values()) {
            process.stderr.write(`${several ? `${this.pipeline}: ` : ''}${name}: an updating table of ${table.size} rows by ${table.keyFields.join(', ')}, after ${table.changes} changes (--updates changelog prints every change)\n`);
        }
    }

    private draw(): void {
        const lines = [...this.tables.values()].flatMap((sink) => sink.table.rows().map((row) => JSON.stringify(row)));
        if (this.terminal) {
            this.beforeDrawing();
            if (this.drawn > 0) this.terminal.write(`\x1b[${this.drawn}F\x1b[J`);
            this.drawn = lines.length;
        }
        this.output.write(this.pipeline, lines);
    }
}
