/**
 * The lexical pieces of Flink SQL the structural translator writes. Identifiers, literals and
 * types come from sql-literals.ts (shared with the expression translator, so both agree on how a
 * .flow timestamp or duration looks in SQL); connector options are written here.
 */
import { stringLiteral } from './sql-literals.js';

export { intervalLiteral, quoteIdentifier as identifier, sqlType, stringLiteral } from './sql-literals.js';

/** `WITH ('k' = 'v', ...)` options of a CREATE TABLE, one per line. */
export function withOptions(options: [string, string][]): string {
    return `WITH (\n${options.map(([k, v]) => `  ${stringLiteral(k)} = ${stringLiteral(v)}`).join(',\n')}\n)`;
}
