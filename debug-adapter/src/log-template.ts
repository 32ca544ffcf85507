/**
 * Logpoint messages: literal text with `{expression}` holes (`{customer} paid {amount}`); `{{`
 * and `}}` are literal braces. A hole may itself hold braces (a record literal) and strings.
 */

export type TemplatePiece = { text: string } | { hole: string; column: number };

/** The message split into text and holes, or where it is malformed. */
export function splitLogTemplate(message: string): TemplatePiece[] | { error: string } {
    const pieces: TemplatePiece[] = [];
    let text = '';
    let i = 0;
    while (i < message.length) {
        const c = message[i];
        if ((c === '{' || c === '}') && message[i + 1] === c) {
            text += c;
            i += 2;
            continue;
        }
        if (c === '}') return { error: `The log message has a '}' without its '{' at column ${i + 1}; write '}}' for a literal brace.` };
        if (c !== '{') {
            text += c;
            i += 1;
            continue;
        }
        const end = closingBrace(message, i);
        if (end < 0) return { error: `The log message has a '{' without its '}' at column ${i + 1}; write '{{' for a literal brace.` };
        if (text) pieces.push({ text });
        text = '';
        const hole = message.slice(i + 1, end);
        if (hole.trim() === '') return { error: `The log message has an empty {} at column ${i + 1}.` };
        pieces.push({ hole, column: i + 1 });
        i = end + 1;
    }
    if (text) pieces.push({ text });
    return pieces;
}

/** The index of the `}` closing the `{` at `open`, skipping nested braces and strings; -1 when none. */
function closingBrace(message: string, open: number): number {
    let depth = 0;
    for (let i = open; i < message.length; i++) {
        const c = message[i];
        if (c === '"') {
            for (i++; i < message.length && message[i] !== '"'; i++) if (message[i] === '\\') i++;
            continue;
        }
        if (c === '{') depth++;
        if (c === '}' && --depth === 0) return i;
    }
    return -1;
}
