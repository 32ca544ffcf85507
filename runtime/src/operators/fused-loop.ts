/**
 * Compiles a chain of stateless stages (filter, map, flatMap) into one JavaScript loop over a
 * batch: no per-record function calls or intermediate arrays between the stages. Each stage
 * contributes code around the code of the stages after it.
 */
import type { LogicalNode } from '../../../protocol/logical-graph.js';
import { instantiate } from '../expressions/compile-expression.js';
import { ExpressionCodegen, propertyAccess, type CodegenScope } from '../expressions/expression-codegen.js';
import { columnBindings, columnFieldReader, materializeRows, type ColumnBatch } from './column-batch.js';
import type { OperatorContext, Row, StreamOperator } from './operator.js';
import { operatorError } from './operator-error.js';
import { StageTaps } from './stage-taps.js';

/**
 * What a stage needs to write its code. A record a stage hands on is named by a variable; it is
 * either an object in that variable, or kept in local variables (a map's output, a column batch's
 * record), in which case its fields are read from those and an object is built only where a
 * stage needs one (`materialize`: collected output, a tap, an aggregate group's first record).
 */
export interface StageWriter {
    /** An expression code generator reading the record named `row`. */
    codegen(row: string): ExpressionCodegen;
    /** The codegen scope of the record named `row`. */
    scope(row: string): CodegenScope;
    /** Code reading field `name` of the record named `record`. */
    field(record: string, name: string): string;
    /** Code for the record named `record` as an object (the variable itself when it holds one). */
    materialize(record: string): string;
    /** Names a record kept in locals: field `names[j]` is variable `variables[j]`. */
    keepInLocals(record: string, names: readonly string[], variables: readonly string[]): void;
    /** A fresh variable name. */
    fresh(prefix: string): string;
    /** Notes that variable `variable` holds a word of a WordInterner whose slot is in variable `slot` (-1: none). */
    noteSlot(variable: string, slot: string): void;
    /** The slot variable noted for code `code` when it is such a variable (word-interner.ts). */
    slotOf(code: string): string | undefined;
}

/** A record kept in local variables, not in an object. */
interface LocalRecord { field(name: string): string; literal: string }

/** Field names that an object literal does not store as a plain property. */
const SPECIAL_NAMES = new Set(['__proto__']);

/** True when a record of these fields may be kept in locals (its object literal would store each field as is). */
export function canKeepInLocals(names: readonly string[]): boolean {
    return names.every((n) => !SPECIAL_NAMES.has(n)) && new Set(names).size === names.length;
}

/** One stage of a fused loop. */
export interface FusedStage {
    node: LogicalNode;
    /**
     * Code consuming the record in variable `input`, continuing with `rest(output variable)`.
     * `slotKey`: the field of the output record by whose word slot the records' consumer keeps
     * its state (FusedTerminal.slotKey), when the records reach that consumer as they are.
     */
    write(writer: StageWriter, input: string, rest: (output: string) => string, slotKey?: string): string;
}

/**
 * What consumes the records at the end of a fused loop instead of collecting them (an
 * aggregation folding them into its state, so they need not be materialised).
 */
export interface FusedTerminal {
    node: LogicalNode;
    /** Statements consuming the record in variable `input`; the loop's `state` argument is in scope. */
    write(writer: StageWriter, input: string): string;
    /** Statements run once per batch before the loop (the terminal's per-batch locals). */
    preamble?: string;
    /**
     * The field of its input record by whose word slot (word-interner.ts) the terminal keeps its
     * state, if any: declared up front, so a stage making that field (a flatMap over a split)
     * knows before writing the terminal's code whether to scan for words with slots, and
     * `write` finds the slot by `slotOf`.
     */
    slotKey?: string;
}

/** A compiled batch loop: appends the chain's output records for `rows` to `out` (or folds them into `state`). */
export type FusedLoop = (rows: Row[], out: Row[], state?: unknown) => void;

/** The same loop over a column batch (compiled for one field list). */
export type FusedColumnLoop = (batch: ColumnBatch, out: Row[], state?: unknown) => void;

/** A stage writer sharing `constants`; records named in `locals` are kept in local variables. */
function stageWriter(constants: unknown[]): StageWriter {
    let counter = 0;
    const locals = new Map<string, LocalRecord>();
    const slots = new Map<string, string>();
    const scope = (row: string): CodegenScope => {
        const local = locals.get(row);
        return local ? { row, field: local.field } : { row };
    };
    return {
        scope,
        codegen: (row) => new ExpressionCodegen(scope(row), constants),
        field: (record, name) => locals.get(record)?.field(name) ?? propertyAccess(record, name),
        materialize: (record) => {
            const local = locals.get(record);
            return local ? `(${local.literal})` : record;
        },
        keepInLocals: (record, names, variables) => {
            const byName = new Map(names.map((n, j) => [n, variables[j]]));
            locals.set(record, {
                // A field the record lacks reads as undefined, as a missing property does.
                field: (name) => byName.get(name) ?? 'undefined',
                literal: `{ ${names.map((n, j) => `${JSON.stringify(n)}: ${variables[j]}`).join(', ')} }`
            });
        },
        fresh: (prefix) => `${prefix}${counter++}`,
        noteSlot: (variable, slot) => { slots.set(variable, slot); },
        slotOf: (code) => slots.get(code)
    };
}

/**
 * Compiles `stages` into one loop; errors are rethrown naming the stage's operator and location.
 * With `taps`, each stage's output record is also handed to `taps.hooks[stage]` when that is set
 * (the tapped variant, run only while a tap is open).
 */
export function compileFusedLoop(stages: FusedStage[], terminal?: FusedTerminal, taps?: StageTaps): FusedLoop {
    return compile(stages, terminal, taps) as FusedLoop;
}

/**
 * The loop of `compileFusedLoop` reading a column batch with fields `fields`: the first stage
 * reads `column[i]` where the row loop reads `row.field`, and a record is built from the columns
 * only where the row loop would hand the input record itself on (a filter's output collected).
 */
export function compileFusedColumnLoop(fields: readonly string[], stages: FusedStage[], terminal?: FusedTerminal, taps?: StageTaps): FusedColumnLoop {
    return compile(stages, terminal, taps, fields) as FusedColumnLoop;
}

function compile(stages: FusedStage[], terminal: FusedTerminal | undefined, taps: StageTaps | undefined, columns?: readonly string[]): unknown {
    const constants: unknown[] = [];
    const writer = stageWriter(constants);
    if (columns) {
        const read = columnFieldReader(columns, 'i');
        writer.keepInLocals('$row', columns, columns.map((name) => read(name)));
    }
    const track = stages.length + (terminal ? 1 : 0) > 1;
    // The terminal's slot key reaches back to the stages whose output records get to it through
    // filters only (a filter hands its input record on as it is; a map makes new locals).
    const slotKeys = stages.map((_, index) => stages.slice(index + 1).every((s) => s.node.config.kind === 'filter') ? terminal?.slotKey : undefined);
    const nodes = terminal ? [...stages.map((s) => s.node), terminal.node] : stages.map((s) => s.node);
    const writeFrom = (index: number, input: string): string => {
        if (index === stages.length) {
            if (!terminal) return `out.push(${writer.materialize(input)});`;
            try {
                return `${track ? `$s = ${index};\n` : ''}${terminal.write(writer, input)}`;
            } catch (err) {
                throw operatorError(terminal.node, err);
            }
        }
        let body: string;
        try {
            const hook = (output: string): string => (taps ? `{ const $h = $t[${index}]; if ($h !== null) $h(${writer.materialize(output)}); }\n` : '');
            body = stages[index].write(writer, input, (output) => `${hook(output)}${writeFrom(index + 1, output)}`, slotKeys[index]);
        } catch (err) {
            throw operatorError(stages[index].node, err);
        }
        return track ? `$s = ${index};\n${body}` : body;
    };
    // The record variable is not `r`: a terminal binds its own `r` (the name the aggregate code
    // reads), and `const r = r` in a block would read the block's uninitialised `r`.
    const body = writeFrom(0, '$row');
    const wrap = (stage: number, err: unknown) => operatorError(nodes[stage], err);
    const extra = { $wrap: wrap, $g: undefined, $t: taps?.hooks };
    if (columns) {
        return instantiate(`return function fusedColumnLoop(batch, out, state) {
        let $s = 0;
        let v, $acc;
        ${terminal?.preamble ?? ''}
        ${columnBindings(columns, 'batch')}
        try {
            for (let i = 0, n = batch.length; i < n; i++) {
                ${body}
            }
        } catch (e) {
            throw $wrap($s, e);
        }
    };`, constants, extra);
    }
    return instantiate(`return function fusedLoop(rows, out, state) {
        let $s = 0;
        let v, $acc;
        ${terminal?.preamble ?? ''}
        try {
            for (let i = 0, n = rows.length; i < n; i++) {
                const $row = rows[i];
                ${body}
            }
        } catch (e) {
            throw $wrap($s, e);
        }
    };`, constants, extra);
}

/**
 * What the records leaving a fused loop at the end of its task's chain may be folded into
 * instead of being built and emitted: the output gate's combiner (window-combiner.ts). The
 * loop ends in `terminal`, its `state` argument is `state`.
 */
export interface FoldingTail {
    readonly terminal: FusedTerminal;
    readonly state: unknown;
    /** False while records must be emitted as rows (the combiner stopped, a tap is open on the output). */
    canFold(): boolean;
    /** A batch was folded: the gate sends what is due. */
    folded(): void;
}

const NO_OUTPUT: Row[] = [];

/** A stream operator running a fused loop over each batch. */
export class FusedStatelessOperator implements StreamOperator {
    private ctx!: OperatorContext;
    private readonly loop: FusedLoop;
    /** Compiled when a tap first opens on one of the stages. */
    private tappedLoop: FusedLoop | undefined;
    /** Hooks for taps on the stages' outputs (the last stage's output is also the operator's). */
    readonly stageTaps: StageTaps;
    /** The loop folding into `tail` (see FoldingTail). */
    private readonly foldLoop: FusedLoop | undefined;

    constructor(private readonly stages: FusedStage[], private readonly tail?: FoldingTail) {
        this.loop = compileFusedLoop(stages);
        this.stageTaps = new StageTaps(stages.length);
        this.foldLoop = tail ? compileFusedLoop(stages, tail.terminal) : undefined;
    }

    open(ctx: OperatorContext): void {
        this.ctx = ctx;
    }

    /** True when this batch folds into the tail (nothing is emitted then). */
    private folding(): boolean {
        return this.foldLoop !== undefined && !this.stageTaps.active && this.tail!.canFold();
    }

    processBatch(rows: Row[]): void {
        if (this.folding()) {
            this.foldLoop!(rows, NO_OUTPUT, this.tail!.state);
            this.tail!.folded();
            return;
        }
        const out: Row[] = [];
        const loop = this.stageTaps.active ? (this.tappedLoop ??= compileFusedLoop(this.stages, undefined, this.stageTaps)) : this.loop;
        loop(rows, out);
        if (out.length > 0) this.ctx.emit(out);
    }

    /** A column batch from the source: the same loop reading the columns (compiled per field list). */
    processColumns(batch: ColumnBatch): void {
        if (this.stageTaps.active) {
            this.processBatch(materializeRows(batch));
            return;
        }
        if (this.folding()) {
            this.columnFoldLoops.loopFor(batch.fields)(batch, NO_OUTPUT, this.tail!.state);
            this.tail!.folded();
            return;
        }
        const out: Row[] = [];
        this.columnLoops.loopFor(batch.fields)(batch, out);
        if (out.length > 0) this.ctx.emit(out);
    }

    private readonly columnLoops = new ColumnLoops((fields) => compileFusedColumnLoop(fields, this.stages));
    private readonly columnFoldLoops = new ColumnLoops((fields) => compileFusedColumnLoop(fields, this.stages, this.tail!.terminal));
}

/** The column loops of one operator, one per field list (a source sends one field list, so one). */
export class ColumnLoops<L> {
    private fields: readonly string[] | undefined;
    private loop: L | undefined;
    private readonly others = new Map<string, L>();

    constructor(private readonly compileFor: (fields: readonly string[]) => L) {}

    loopFor(fields: readonly string[]): L {
        if (fields === this.fields) return this.loop!;
        if (this.fields === undefined) {
            this.fields = fields;
            this.loop = this.compileFor(fields);
            return this.loop;
        }
        const key = JSON.stringify(fields);
        if (key === JSON.stringify(this.fields)) return this.loop!;
        let loop = this.others.get(key);
        if (loop === undefined) this.others.set(key, (loop = this.compileFor(fields)));
        return loop;
    }
}
