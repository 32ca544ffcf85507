/**
 * A checked .flow expression (protocol/logical-graph.ts `Expr`) as Flink SQL text with the same
 * meaning on every input the local runtime accepts. What Flink cannot say with that meaning throws
 * FlinkUnsupported (the pipeline translator reports it as a diagnostic at the node's location).
 * Built-in function calls are mapped by builtin-function-sql.ts, casts by cast-sql.ts.
 */
import type { Expr } from '../../../protocol/logical-graph.js';
import { builtinCallSql } from './builtin-function-sql.js';
import { castSql } from './cast-sql.js';
import { FlinkUnsupported } from './flink-unsupported.js';
import { decimalLiteralSql, doubleLiteral, integerLiteral, intervalLiteral, quoteIdentifier, sqlType, stringLiteral, timestampLiteral } from './sql-literals.js';

export type CallExpr = Extract<Expr, { k: 'call' }>;

/** What an expression may refer to besides the record's fields, given by the place it is translated in. */
export interface ExprSqlContext {
    /** SQL for `window.start` / `window.end` (e.g. `window_start`); absent outside a windowed aggregate. */
    windowProperty?: (property: 'start' | 'end') => string;
    /** SQL for a column of the input record (default: the quoted field name). */
    field?: (name: string) => string;
}

const BINARY_SQL: Partial<Record<Extract<Expr, { k: 'binary' }>['op'], string>> = {
    and: 'AND', or: 'OR', '==': '=', '!=': '<>', '<': '<', '<=': '<=', '>': '>', '>=': '>='
};

const INTEGRAL = new Set(['int', 'long']);

/** Flink SQL for `expr`; throws FlinkUnsupported when Flink has no equivalent with the same meaning. */
export function exprToSql(expr: Expr, context: ExprSqlContext = {}): string {
    const sql = (e: Expr) => exprToSql(e, context);
    switch (expr.k) {
        case 'field': return context.field ? context.field(expr.name) : quoteIdentifier(expr.name);
        case 'member': return `(${sql(expr.receiver)}).${quoteIdentifier(expr.name)}`;
        case 'literal': return literalSql(expr);
        case 'unary': return expr.op === 'not' ? `(NOT ${sql(expr.operand)})` : `(-${sql(expr.operand)})`;
        case 'binary': return binarySql(expr, sql);
        case 'isNull': return `(${sql(expr.operand)} IS ${expr.negated ? 'NOT ' : ''}NULL)`;
        case 'in': return `(${sql(expr.operand)} IN (${expr.values.map(sql).join(', ')}))`;
        case 'if': return `(CASE WHEN ${sql(expr.condition)} THEN ${sql(expr.then)} ELSE ${sql(expr.else)} END)`;
        case 'case': {
            const branches = expr.branches.map((b) => `WHEN ${sql(b.when)} THEN ${sql(b.then)}`).join(' ');
            return `(CASE ${branches}${expr.otherwise ? ` ELSE ${sql(expr.otherwise)}` : ''} END)`;
        }
        case 'cast': return castSql(expr.value, expr.type, sql(expr.value));
        // Flink's DATE/TIMESTAMP + INTERVAL 'n' MONTH clamps to the month's last day, as .flow does.
        case 'calendarAdd': {
            // An interval literal's leading field holds 2 digits (and Flink takes DAY(p) only to 3): a larger
            // amount is a multiple of one unit, which Flink also moves by whole months, clamping the day.
            const amount = Math.abs(expr.amount);
            const unit = expr.unit === 'month' ? 'MONTH' : 'DAY';
            const interval = amount < 100 ? `INTERVAL '${amount}' ${unit}` : `${amount} * INTERVAL '1' ${unit}`;
            return `(${sql(expr.value)} ${expr.amount < 0 ? '-' : '+'} ${interval})`;
        }
        case 'window':
            if (!context.windowProperty) throw new FlinkUnsupported(`window.${expr.property}`, 'it is only available in an aggregate over a window');
            return context.windowProperty(expr.property);
        case 'record':
            return `CAST(ROW(${expr.fields.map((f) => sql(f.value)).join(', ')}) AS ${sqlType(expr.type)})`;
        case 'array':
            if (expr.items.length === 0) throw new FlinkUnsupported('[]', 'Flink SQL has no empty array literal');
            return `ARRAY[${expr.items.map(sql).join(', ')}]`;
        case 'call': {
            const result = builtinCallSql(expr.fn, expr.args.map(sql), expr);
            if (typeof result !== 'string') throw new FlinkUnsupported(`${expr.fn}(${expr.distinct ? 'distinct ...' : '...'})`, result.unsupported);
            return result;
        }
    }
}

function literalSql(expr: Extract<Expr, { k: 'literal' }>): string {
    const { value, type } = expr;
    if (value === null) return type.kind === 'null' ? 'NULL' : `CAST(NULL AS ${sqlType(type)})`;
    switch (type.kind) {
        case 'string': return stringLiteral(String(value));
        case 'boolean': return value ? 'TRUE' : 'FALSE';
        case 'int': case 'long': return integerLiteral(Number(value), type.kind);
        case 'double': return doubleLiteral(Number(value));
        case 'timestamp': return timestampLiteral(Number(value));
        case 'duration': return intervalLiteral(Number(value));
        case 'decimal': return decimalLiteralSql(String(value), type);
        case 'date': return `DATE ${stringLiteral(String(value))}`;
        default: throw new FlinkUnsupported(JSON.stringify(value), `a literal of type ${type.kind} has no Flink SQL form`);
    }
}

function binarySql(expr: Extract<Expr, { k: 'binary' }>, sql: (e: Expr) => string): string {
    const left = sql(expr.left);
    const right = sql(expr.right);
    const simple = BINARY_SQL[expr.op];
    if (simple) return `(${left} ${simple} ${right})`;
    const l = expr.left.type.kind;
    const r = expr.right.type.kind;
    switch (expr.op) {
        // .flow's LIKE escapes with a backslash; Flink's LIKE has no escape character unless told.
        case 'like': return `(${left} LIKE ${right} ESCAPE '\\')`;
        case '+': return expr.type.kind === 'string' ? `(${left} || ${right})` : `(${left} + ${right})`;
        case '-':
            if (l === 'timestamp' && r === 'timestamp') {
                throw new FlinkUnsupported('timestamp - timestamp', 'Flink SQL cannot subtract two timestamps into an interval (TIMESTAMPDIFF counts whole units)');
            }
            return `(${left} - ${right})`;
        case '*': return `(${left} * ${right})`;
        // Both runtimes truncate integer division (7 / 2 is 3) and fail on a zero divisor.
        case '/': return `(${left} / ${right})`;
        case '%':
            if ((!INTEGRAL.has(l) && l !== 'decimal') || (!INTEGRAL.has(r) && r !== 'decimal')) {
                throw new FlinkUnsupported('% on a double', 'Flink SQL\'s MOD takes only whole numbers');
            }
            return `MOD(${left}, ${right})`;
        default: throw new FlinkUnsupported(expr.op, 'no Flink SQL operator');
    }
}
