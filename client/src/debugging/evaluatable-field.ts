/**
 * Which text of a `.flow` line a debugger should evaluate when the mouse rests on it: the field
 * name (or `record.field` path) under the cursor. Keywords, function names, strings and comments
 * are not values, so they give nothing. No vscode import: unit-tested on its own.
 */

/** Words of the grammar that never name a field in an expression. */
const STRUCTURE_KEYWORDS = new Set([
    'across', 'aggregate', 'and', 'as', 'asc', 'batch', 'boolean', 'broadcast', 'case', 'cast', 'deadLetter', 'desc',
    'distinct', 'double', 'duration', 'else', 'every', 'fail', 'false', 'filter', 'flatMap', 'fn', 'gap', 'idle', 'if',
    'import', 'in', 'int', 'is', 'join', 'keyBy', 'late', 'left', 'like', 'limit', 'long', 'map', 'not', 'null', 'of', 'on',
    'onError', 'or', 'orderBy', 'parallelism', 'pipeline', 'rebalance', 'reduce', 'returns', 'schema', 'select',
    'session', 'sink', 'skip', 'sliding', 'source', 'stream', 'streaming', 'string', 'then', 'timestamp', 'true',
    'tumbling', 'union', 'watermark', 'when', 'windows', 'within'
]);

/** A span of the line (0-based, end exclusive) and its text. */
export interface EvaluatableSpan { start: number; end: number; text: string }

/** Where code ends on this line: the start of a `//` comment outside strings, else its length. */
function codeEnd(line: string): number {
    let quote: string | undefined;
    for (let i = 0; i < line.length; i++) {
        const c = line[i];
        if (quote) {
            if (c === '\\') i++;
            else if (c === quote) quote = undefined;
        } else if (c === '"' || c === "'") {
            quote = c;
        } else if (c === '/' && line[i + 1] === '/') {
            return i;
        }
    }
    return line.length;
}

/** True when `index` lies inside a string literal of the line. */
function inString(line: string, index: number): boolean {
    let quote: string | undefined;
    for (let i = 0; i < index; i++) {
        const c = line[i];
        if (quote) {
            if (c === '\\') i++;
            else if (c === quote) quote = undefined;
        } else if (c === '"' || c === "'") {
            quote = c;
        }
    }
    return quote !== undefined;
}

/**
 * The field reference at `character` of `line` (a name, or a dotted path up to the hovered
 * name, so `customer.address.city` hovered on `address` gives `customer.address`), or undefined
 * when the cursor is on something that is not a field.
 */
export function evaluatableFieldAt(line: string, character: number): EvaluatableSpan | undefined {
    if (character >= codeEnd(line) || inString(line, character)) return undefined;
    const word = /[A-Za-z_][A-Za-z0-9_]*/g;
    let match: RegExpExecArray | null;
    while ((match = word.exec(line)) !== null) {
        const start = match.index;
        const end = start + match[0].length;
        if (character < start || character >= end) continue;
        const name = match[0];
        if (STRUCTURE_KEYWORDS.has(name)) return undefined;
        // A function call (`round(...)`), a named argument or declaration (`count: 10`, `x = `):
        // not a value of the record.
        const after = line.slice(end);
        if (/^\s*\(/.test(after)) return undefined;
        if (/^\s*:(?!:)/.test(after) || /^\s*=(?!=)/.test(after)) return undefined;
        // Extend left over `a.b.` so a nested field is evaluated with its parents.
        let from = start;
        for (;;) {
            const before = /([A-Za-z_][A-Za-z0-9_]*)\.$/.exec(line.slice(0, from));
            if (!before) break;
            from -= before[0].length;
        }
        if (/[0-9]$/.test(line.slice(0, from))) return undefined; // part of a literal like 1m30s
        return { start: from, end, text: line.slice(from, end) };
    }
    return undefined;
}
