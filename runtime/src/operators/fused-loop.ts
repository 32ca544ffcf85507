/**
 * Compiles a chain of stateless stages (filter, map, flatMap) into one JavaScript loop over a
 * batch: no per-record function calls or intermediate arrays between the stages. Each stage
 * contributes code around the code of the stages after it.
 */
import type { LogicalNode } from '../../../protocol/logical-graph.js';
import { instantiate } from '../expressions/compile-expression.js';
import { ExpressionCodegen } from '../expressions/expression-codegen.js';
import type { OperatorContext, Row, StreamOperator } from './operator.js';
import { operatorError } from './operator-error.js';
import { StageTaps } from './stage-taps.js';

/** What a stage needs to write its code. */
export interface StageWriter {
    /** An expression code generator reading the record in variable `row`. */
    codegen(row: string): ExpressionCodegen;
    /** A fresh variable name. */
    fresh(prefix: string): string;
}

/** One stage of a fused loop. */
export interface FusedStage {
    node: LogicalNode;
    /** Code consuming the record in variable `input`, continuing with `rest(output variable)`. */
    write(writer: StageWriter, input: string, rest: (output: string) => string): string;
}

/**
 * What consumes the records at the end of a fused loop instead of collecting them (an
 * aggregation folding them into its state, so they need not be materialised).
 */
export interface FusedTerminal {
    node: LogicalNode;
    /** Statements consuming the record in variable `input`; the loop's `state` argument is in scope. */
    write(writer: StageWriter, input: string): string;
}

/** A compiled batch loop: appends the chain's output records for `rows` to `out` (or folds them into `state`). */
export type FusedLoop = (rows: Row[], out: Row[], state?: unknown) => void;

/**
 * Compiles `stages` into one loop; errors are rethrown naming the stage's operator and location.
 * With `taps`, each stage's output record is also handed to `taps.hooks[stage]` when that is set
 * (the tapped variant, run only while a tap is open).
 */
export function compileFusedLoop(stages: FusedStage[], terminal?: FusedTerminal, taps?: StageTaps): FusedLoop {
    const constants: unknown[] = [];
    let counter = 0;
    const writer: StageWriter = {
        codegen: (row) => new ExpressionCodegen({ row }, constants),
        fresh: (prefix) => `${prefix}${counter++}`
    };
    const track = stages.length + (terminal ? 1 : 0) > 1;
    const nodes = terminal ? [...stages.map((s) => s.node), terminal.node] : stages.map((s) => s.node);
    const writeFrom = (index: number, input: string): string => {
        if (index === stages.length) {
            if (!terminal) return `out.push(${input});`;
            try {
                return `${track ? `$s = ${index};\n` : ''}${terminal.write(writer, input)}`;
            } catch (err) {
                throw operatorError(terminal.node, err);
            }
        }
        let body: string;
        try {
            const hook = (output: string): string => (taps ? `{ const $h = $t[${index}]; if ($h !== null) $h(${output}); }\n` : '');
            body = stages[index].write(writer, input, (output) => `${hook(output)}${writeFrom(index + 1, output)}`);
        } catch (err) {
            throw operatorError(stages[index].node, err);
        }
        return track ? `$s = ${index};\n${body}` : body;
    };
    // The record variable is not `r`: a terminal binds its own `r` (the name the aggregate code
    // reads), and `const r = r` in a block would read the block's uninitialised `r`.
    const body = writeFrom(0, '$row');
    const wrap = (stage: number, err: unknown) => operatorError(nodes[stage], err);
    return instantiate(`return function fusedLoop(rows, out, state) {
        let $s = 0;
        let v, $acc;
        try {
            for (let i = 0, n = rows.length; i < n; i++) {
                const $row = rows[i];
                ${body}
            }
        } catch (e) {
            throw $wrap($s, e);
        }
    };`, constants, { $wrap: wrap, $g: undefined, $t: taps?.hooks }) as FusedLoop;
}

/** A stream operator running a fused loop over each batch. */
export class FusedStatelessOperator implements StreamOperator {
    private ctx!: OperatorContext;
    private readonly loop: FusedLoop;
    /** Compiled when a tap first opens on one of the stages. */
    private tappedLoop: FusedLoop | undefined;
    /** Hooks for taps on the stages' outputs (the last stage's output is also the operator's). */
    readonly stageTaps: StageTaps;

    constructor(private readonly stages: FusedStage[]) {
        this.loop = compileFusedLoop(stages);
        this.stageTaps = new StageTaps(stages.length);
    }

    open(ctx: OperatorContext): void {
        this.ctx = ctx;
    }

    processBatch(rows: Row[]): void {
        const out: Row[] = [];
        const loop = this.stageTaps.active ? (this.tappedLoop ??= compileFusedLoop(this.stages, undefined, this.stageTaps)) : this.loop;
        loop(rows, out);
        if (out.length > 0) this.ctx.emit(out);
    }
}
