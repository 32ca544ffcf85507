/**
 * Finds the innermost call whose parentheses are open at an offset (`round(amount * 2, |`),
 * scanning the text before it while skipping strings and comments.
 */

/** The open call at the cursor: who is called, which argument the cursor is in, and its `name:` if any. */
export interface OpenCall {
    callee: string;
    argumentIndex: number;
    argumentName?: string;
}

/** How far back to look: calls are short, and this keeps long files cheap. */
const LOOK_BACK = 4000;

export function openCallAt(text: string, offset: number): OpenCall | undefined {
    // Start at a line start, so the scan never begins inside a string or a comment of that line.
    const from = Math.max(0, text.lastIndexOf('\n', Math.max(0, offset - LOOK_BACK)) + 1);
    const stack: { callee: string; commas: number; argumentStart: number }[] = [];
    let inBlockComment = false;
    for (let i = from; i < offset; i++) {
        const c = text[i];
        if (inBlockComment) {
            if (c === '*' && text[i + 1] === '/') { inBlockComment = false; i++; }
        } else if (c === '/' && text[i + 1] === '*') {
            inBlockComment = true; i++;
        } else if (c === '/' && text[i + 1] === '/') {
            const end = text.indexOf('\n', i);
            if (end < 0 || end >= offset) return undefined; // The cursor is in a line comment.
            i = end;
        } else if (c === '"') {
            let j = i + 1;
            while (j < offset && text[j] !== '"' && text[j] !== '\n') j += text[j] === '\\' ? 2 : 1;
            if (j >= offset) break; // The cursor is inside this string: still an argument of the call.
            i = j;
        } else if (c === '(') {
            const callee = /([A-Za-z_]\w*)\s*$/.exec(text.slice(Math.max(from, i - 64), i))?.[1] ?? '';
            stack.push({ callee, commas: 0, argumentStart: i + 1 });
        } else if (c === ')') {
            stack.pop();
        } else if (c === ',' && stack.length > 0) {
            const top = stack[stack.length - 1];
            top.commas++;
            top.argumentStart = i + 1;
        }
    }
    const top = stack[stack.length - 1];
    if (!top || top.callee === '') return undefined;
    const argumentName = /^\s*([A-Za-z_]\w*)\s*:/.exec(text.slice(top.argumentStart, offset))?.[1];
    return { callee: top.callee, argumentIndex: top.commas, argumentName };
}
