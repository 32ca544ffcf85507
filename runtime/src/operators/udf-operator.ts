/**
 * A user function from a TypeScript/JavaScript file as map (`(row) => row`, the result checked
 * against the declared schema) or filter (`(row) => boolean`). Functions are synchronous; a thrown
 * error fails the job naming the operator, its location, the function and the record.
 */
import type { LogicalNode } from '../../../protocol/logical-graph.js';
import { compileJsonRecordConverter } from '../connectors/common/row-converter.js';
import type { OperatorContext, Row, StreamOperator } from './operator.js';
import { operatorError } from './operator-error.js';
import { loadUserFunction, resolveUserFile } from './user-function-loader.js';

/** Runs a user function over each record. */
export class UdfOperator implements StreamOperator {
    private ctx!: OperatorContext;
    private fn!: (row: Row) => unknown;
    private readonly role: 'map' | 'filter';
    private readonly file: string;
    private readonly exportName: string;

    private readonly conform: (value: unknown) => Row;

    constructor(private readonly node: LogicalNode) {
        if (node.config.kind !== 'udf') throw new Error(`${node.id} is not a user function`);
        this.conform = compileJsonRecordConverter(node.schema);
        this.role = node.config.role;
        this.exportName = node.config.exportName;
        this.file = resolveUserFile(node, node.config.file);
    }

    async open(ctx: OperatorContext): Promise<void> {
        this.ctx = ctx;
        try {
            this.fn = (await loadUserFunction(this.file, this.exportName)) as (row: Row) => unknown;
        } catch (err) {
            throw operatorError(this.node, err);
        }
    }

    processBatch(rows: Row[]): void {
        const out: Row[] = [];
        const fn = this.fn;
        let i = 0;
        try {
            if (this.role === 'filter') {
                for (; i < rows.length; i++) if (fn(rows[i])) out.push(rows[i]);
            } else {
                for (; i < rows.length; i++) {
                    const result = fn(rows[i]);
                    if (result === null || typeof result !== 'object' || result instanceof Promise) {
                        throw new Error(`must return a record object synchronously, returned ${result instanceof Promise ? 'a Promise' : JSON.stringify(result)}`);
                    }
                    // The declared schema is checked (and the record reduced to it), so a wrong
                    // return value fails here, naming the field, not somewhere downstream.
                    out.push(this.conform(result));
                }
            }
        } catch (err) {
            const message = err instanceof Error ? err.message : String(err);
            throw operatorError(this.node, new Error(`user function ${this.exportName} (${this.file}) failed on ${JSON.stringify(rows[i])}: ${message}`, { cause: err }));
        }
        if (out.length > 0) this.ctx.emit(out);
    }
}
